//! Server functions: thin adapters from a page to one `domain` service, like the `/v1`
//! handlers. Their bodies compile only into the server.

pub mod billing;
pub mod dashboard;
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

/// A session with nothing in it from before, under a new id: a session id known before a
/// sign-in is worth nothing after it, and a talent's sign-in never survives an owner's nor the
/// reverse.
#[cfg(feature = "ssr")]
pub(crate) async fn fresh_session() -> Result<tower_sessions::Session, domain::Error> {
    let session = session().await?;
    session.clear().await;
    session.cycle_id().await.map_err(session_error)?;
    Ok(session)
}

/// The client's network address, as the server read it (limits on public forms use it).
#[cfg(feature = "ssr")]
pub(crate) async fn client_address() -> Result<String, domain::Error> {
    use axum::Extension;
    let Extension(domain::caller::ClientAddress(addr)) =
        leptos_axum::extract::<Extension<domain::caller::ClientAddress>>()
            .await
            .map_err(|e| domain::Error::internal(format!("client address missing: {e}")))?;
    Ok(addr)
}

/// The caller the server's authentication put into the request's extensions, if any.
#[cfg(feature = "ssr")]
async fn request_caller() -> Result<Option<domain::caller::Caller>, domain::Error> {
    let caller = leptos_axum::extract::<Option<axum::Extension<domain::caller::Caller>>>()
        .await
        .map_err(|e| domain::Error::internal(format!("reading the caller: {e:?}")))?;
    Ok(caller.map(|axum::Extension(c)| c))
}

/// The account owner this browser is signed in as in the dashboard, if any: a principal from
/// the session, never an agent's API key (which has no owner's rights: it cannot sign anyone
/// out nor see what only the owner sees).
#[cfg(feature = "ssr")]
pub(crate) async fn dashboard_caller() -> Result<Option<domain::caller::Caller>, domain::Error> {
    Ok(request_caller().await?.filter(|c| matches!(c.actor, domain::caller::Actor::Principal { api_key_id: None, .. })))
}

/// The talent this browser is signed in as, if any: the server's authentication put the
/// caller of the request into its extensions (the portal session, or a talent token).
#[cfg(feature = "ssr")]
pub(crate) async fn portal_caller() -> Result<Option<domain::caller::Caller>, domain::Error> {
    Ok(request_caller().await?.filter(|c| c.talent_id().is_ok()))
}
