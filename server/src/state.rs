use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Shared by the `/v1` handlers and both Leptos handlers (pages and server functions).
#[derive(Clone, FromRef)]
pub struct AppState {
    pub services: domain::Services,
    pub workers: crate::workers::Workers,
    pub sessions: crate::sessions::Store,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
}
