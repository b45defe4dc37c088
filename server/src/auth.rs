//! Bearer authentication for `/v1`: the middleware resolves the token once; handlers take the
//! caller they need with an extractor.

use crate::{error::ApiError, request_id::RequestId, state::AppState};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{
    Error,
    auth::Actor,
    caller::{PrincipalCaller, TalentCaller},
};
use tower_sessions::Session;

/// Requires a valid bearer token on every route it wraps, or, without an `Authorization`
/// header, a talent's portal session (so a signed-in phone calls the talent endpoints as its
/// talent).
pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let authorization = request.headers().get(header::AUTHORIZATION).map(|v| v.to_str().unwrap_or("\u{0}"));
    let request_id = request.extensions().get::<RequestId>().map(|r| r.0.clone());
    let resolved = match (authorization, request.extensions().get::<Session>()) {
        (None, Some(session)) => match app::api::session_talent(&state.services, session, request_id.clone()).await {
            Ok(Some(talent)) => Ok(Actor::Talent(talent)),
            Ok(None) => domain::auth::authenticate(&state.services, None, request_id).await,
            Err(e) => Err(e),
        },
        _ => domain::auth::authenticate(&state.services, authorization, request_id).await,
    };
    match resolved {
        Ok(actor) => {
            request.extensions_mut().insert(actor);
            next.run(request).await
        }
        Err(e) => ApiError(e).into_response(),
    }
}

/// The principal behind the request's API key.
pub struct Principal(pub PrincipalCaller);

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Actor>() {
            Some(Actor::Principal(caller)) => Ok(Principal(caller.clone())),
            Some(Actor::Talent(_)) => {
                Err(ApiError(Error::auth("This endpoint needs a principal's API key; a talent token cannot use it")))
            }
            None => Err(ApiError(Error::auth("This endpoint needs a principal's API key"))),
        }
    }
}

/// The talent behind the request's talent token.
pub struct Talent(pub TalentCaller);

impl<S: Send + Sync> FromRequestParts<S> for Talent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<Actor>() {
            Some(Actor::Talent(caller)) => Ok(Talent(caller.clone())),
            Some(Actor::Principal(_)) => {
                Err(ApiError(Error::auth("This endpoint needs a talent token (hd_talent_…); an API key cannot use it")))
            }
            None => Err(ApiError(Error::auth("This endpoint needs a talent token"))),
        }
    }
}

/// Whoever the token belongs to, for endpoints that principals and talent share.
pub struct AnyCaller(pub Actor);

impl AnyCaller {
    pub fn owner(&self) -> domain::files::Owner<'_> {
        match &self.0 {
            Actor::Principal(p) => domain::files::Owner::Principal(p),
            Actor::Talent(t) => domain::files::Owner::Talent(t),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AnyCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Actor>()
            .cloned()
            .map(AnyCaller)
            .ok_or_else(|| ApiError(Error::auth("This endpoint needs an API key or a talent token")))
    }
}
