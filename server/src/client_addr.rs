//! The client's address, attached to every request for limits on unauthenticated endpoints.

use crate::state::AppState;
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use domain::caller::ClientAddress;
use std::net::SocketAddr;

/// The peer address, or the first `X-Forwarded-For` hop when the operator says a proxy sets it.
fn of(request: &Request, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for
        && let Some(first) = request
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return first.to_owned();
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

pub async fn attach(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let addr = of(&request, state.config.trust_forwarded_for);
    request.extensions_mut().insert(ClientAddress(addr));
    next.run(request).await
}

/// The address [`attach`] put on the request.
pub fn get(request: &Request) -> String {
    request.extensions().get::<ClientAddress>().map(|a| a.0.clone()).unwrap_or_else(|| "unknown".to_owned())
}
