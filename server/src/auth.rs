//! Who is calling, resolved once per request into the one [`Caller`]: from a bearer token (an
//! API key or a talent token), or, without an `Authorization` header, from the session (the
//! portal's talent or the dashboard's account owner).
//! `/v1`'s private routes require a caller; `/api` (server functions) takes one when there is
//! one. Handlers take it with an extractor; the domain checks which side it is.

use crate::{error::ApiError, request_id::RequestId, state::AppState};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, caller::Caller};
use tower_sessions::Session;

/// Requires a caller on every route it wraps.
pub async fn authenticate(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match resolve(&state, credentials(&request)).await {
        Ok(Some(caller)) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Ok(None) => ApiError(Error::auth("Missing `Authorization: Bearer <api key>` header")).into_response(),
        Err(e) => ApiError(e).into_response(),
    }
}

/// Attaches the caller when the request has one; lets anonymous requests through.
pub async fn identify(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    match resolve(&state, credentials(&request)).await {
        Ok(Some(caller)) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Ok(None) => next.run(request).await,
        Err(e) => ApiError(e).into_response(),
    }
}

/// What a request says about its caller, copied out of it (the request is not `Sync`, so it is
/// not held across an await).
struct Credentials {
    request_id: Option<String>,
    authorization: Option<Result<String, Error>>,
    session: Option<Session>,
}

fn credentials(request: &Request) -> Credentials {
    Credentials {
        request_id: request.extensions().get::<RequestId>().map(|r| r.0.clone()),
        authorization: request
            .headers()
            .get(header::AUTHORIZATION)
            .map(|v| v.to_str().map(str::to_owned).map_err(|_| malformed())),
        session: request.extensions().get::<Session>().cloned(),
    }
}

async fn resolve(state: &AppState, credentials: Credentials) -> Result<Option<Caller>, Error> {
    let Credentials { request_id, authorization, session } = credentials;
    match authorization {
        Some(header) => {
            let header = header?;
            let token = header
                .strip_prefix("Bearer ")
                .or_else(|| header.strip_prefix("bearer "))
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .ok_or_else(malformed)?;
            domain::auth::resolve_token(&state.services, token, request_id).await.map(Some)
        }
        None => match session {
            Some(session) => crate::sessions::caller(&state.services, &session, request_id).await,
            None => Ok(None),
        },
    }
}

fn malformed() -> Error {
    Error::auth("Malformed Authorization header: expected `Bearer <api key>`")
}

fn caller_of(parts: &Parts) -> Result<Caller, ApiError> {
    parts
        .extensions
        .get::<Caller>()
        .cloned()
        .ok_or_else(|| ApiError(Error::auth("This endpoint needs an API key or a talent token")))
}

/// The caller, which must be a principal (an API key, or the owner's session).
pub struct Principal(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Principal {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = caller_of(parts)?;
        caller.principal_id().map_err(ApiError)?;
        Ok(Principal(caller))
    }
}

/// The caller, which must be a talent (their token, or their portal session).
pub struct Talent(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Talent {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let caller = caller_of(parts)?;
        caller.talent_id().map_err(ApiError)?;
        Ok(Talent(caller))
    }
}

/// Whoever the caller is, for endpoints that principals and talent share.
pub struct AnyCaller(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for AnyCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        caller_of(parts).map(AnyCaller)
    }
}
