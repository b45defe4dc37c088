//! The client's address, attached to every request for limits on unauthenticated endpoints.

use crate::state::AppState;
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::Response,
};
use domain::caller::ClientAddress;
use std::net::SocketAddr;

/// The client's address: the peer's, or, behind `proxies` proxies that each append the address
/// they received from to `X-Forwarded-For`, the one the outermost of ours appended. What the
/// client wrote itself (the left of the list) is never taken: it could write anything.
fn of(request: &Request, proxies: usize) -> String {
    if proxies > 0 {
        let hops: Vec<&str> = request
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        if let Some(hop) = hops.len().checked_sub(proxies).and_then(|i| hops.get(i)) {
            return (*hop).to_owned();
        }
    }
    request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

pub async fn attach(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let addr = of(&request, state.config.trusted_proxies);
    request.extensions_mut().insert(ClientAddress(addr));
    next.run(request).await
}

/// The address [`attach`] put on the request.
pub fn get(request: &Request) -> String {
    request.extensions().get::<ClientAddress>().map(|a| a.0.clone()).unwrap_or_else(|| "unknown".to_owned())
}
