use crate::config::Config;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

/// Shared by the `/v1` handlers and both Leptos handlers (pages and server functions). One
/// pointer: every layer and extractor clones the state, so a clone must not copy its parts.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub services: domain::Services,
    pub workers: crate::workers::Workers,
    pub sessions: crate::sessions::Store,
    pub leptos_options: LeptosOptions,
    pub config: Arc<Config>,
    /// The per-minute rate-limit counters (in this process, the database or Redis).
    pub rate_limits: crate::rate_limit::Counters,
}

impl AppState {
    pub fn new(shared: Shared) -> AppState {
        AppState(Arc::new(shared))
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> LeptosOptions {
        state.leptos_options.clone()
    }
}
