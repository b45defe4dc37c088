//! `/api`: the pages' server functions, behind the same authentication and limits as `/v1`.
//! Leptos would register them itself; they are registered here instead (and excluded from its
//! route list) so that they get these layers. Functions under `/api/money/` move money and sit
//! on their own sub-router with the money limit.

use crate::{auth, csrf, rate_limit, state::AppState};
use axum::{
    Router,
    body::Body,
    extract::Request,
    middleware::from_fn_with_state,
    routing::{MethodFilter, on},
};

/// The paths of every server function, for Leptos to leave alone.
pub fn paths() -> Vec<String> {
    leptos::server_fn::axum::server_fn_paths().map(|(path, _)| path.to_owned()).collect()
}

pub fn router(state: &AppState, context: impl Fn() + Clone + Send + Sync + 'static) -> Router<AppState> {
    let (mut general, mut money) = (Router::new(), Router::new());
    for (path, method) in leptos::server_fn::axum::server_fn_paths() {
        let Ok(filter) = MethodFilter::try_from(method.clone()) else {
            tracing::error!(path, %method, "a server function with a method axum cannot route");
            continue;
        };
        let context = context.clone();
        let handler = on(filter, move |request: Request<Body>| async move {
            leptos_axum::handle_server_fns_with_context(context, request).await
        });
        if path.starts_with("/api/money/") {
            money = money.route(path, handler);
        } else {
            general = general.route(path, handler);
        }
    }
    general
        .merge(money.route_layer(from_fn_with_state(state.clone(), rate_limit::money)))
        .route_layer(from_fn_with_state(state.clone(), rate_limit::general))
        .route_layer(from_fn_with_state(state.clone(), auth::identify))
        .route_layer(from_fn_with_state(state.clone(), csrf::same_origin))
}
