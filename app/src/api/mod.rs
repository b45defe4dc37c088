//! Server functions: thin adapters from a page to one `domain` service, like the `/v1`
//! handlers. Their bodies compile only into the server.

pub mod billing;
pub mod developer;
pub mod flash;
pub mod passkeys;
pub mod portal;
pub mod system;

/// The domain services the server put into the Leptos context.
#[cfg(feature = "ssr")]
pub(crate) fn services() -> Result<domain::Services, domain::Error> {
    leptos::prelude::use_context::<domain::Services>()
        .ok_or_else(|| domain::Error::internal("domain::Services missing from the Leptos context"))
}

/// The id the server gave this request (`X-Request-Id`), for the audit log.
#[cfg(feature = "ssr")]
pub(crate) async fn request_id() -> Option<String> {
    let headers = leptos_axum::extract::<http::HeaderMap>().await.ok()?;
    headers.get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// The request's session (the server wraps every route in the session layer).
#[cfg(feature = "ssr")]
pub(crate) async fn session() -> Result<tower_sessions::Session, domain::Error> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(|e| domain::Error::internal(format!("session layer missing: {e:?}")))
}

/// The session store failed: the request may be retried.
#[cfg(feature = "ssr")]
pub(crate) fn session_error(e: tower_sessions::session::Error) -> domain::Error {
    domain::Error::unavailable("Session store unavailable; retry shortly", e)
}

/// The talent this browser is signed in as, if any: the server's authentication put the
/// caller of the request into its extensions (the portal session, or a talent token).
#[cfg(feature = "ssr")]
pub(crate) async fn portal_caller() -> Result<Option<domain::caller::Caller>, domain::Error> {
    let caller = leptos_axum::extract::<Option<axum::Extension<domain::caller::Caller>>>()
        .await
        .map_err(|e| domain::Error::internal(format!("reading the caller: {e:?}")))?;
    Ok(caller.map(|axum::Extension(c)| c).filter(|c| c.talent_id().is_ok()))
}
