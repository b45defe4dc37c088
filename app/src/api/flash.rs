//! What a form posted without the wasm comes back to. Leptos answers a plain form post to a
//! server function with a redirect to the page it came from (an error rides along in the
//! URL), which would otherwise lose what the function returned: the API key of a sign-up, the
//! news that a sign-in link is on its way. The function keeps its result in the session; the
//! page it returns to takes it, once.

use domain::Error;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::{Serialize, de::DeserializeOwned};

#[cfg(feature = "ssr")]
fn key(path: &str) -> String {
    format!("flash:{path}")
}

/// Whether this request is a form the browser posted itself, the wasm not running (the wasm's
/// calls ask for JSON; a browser's own form post asks for HTML), as Leptos decides it.
#[cfg(feature = "ssr")]
pub(crate) async fn posted_without_wasm() -> bool {
    leptos_axum::extract::<http::HeaderMap>().await.is_ok_and(|headers| {
        headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    })
}

/// Keeps the result of the server function `S` for the page a form without the wasm returns
/// to. Does nothing for the wasm's calls, which get the result themselves.
#[cfg(feature = "ssr")]
pub(crate) async fn keep<S: ServerFn>(result: &S::Output) -> Result<(), Error>
where
    S::Output: Serialize,
{
    if !posted_without_wasm().await {
        return Ok(());
    }
    let value = serde_json::to_value(result).map_err(Error::internal)?;
    super::session().await?.insert(&key(S::PATH), value).await.map_err(super::session_error)
}

/// The result the server function at `path` kept for this browser, taken out of the session.
#[server(endpoint = "flash")]
pub async fn take_flash(path: String) -> Result<Option<String>, Error> {
    let session = super::session().await?;
    let key = key(&path);
    // Looked at first: removing marks the session changed, which would save it on every view.
    if session.get_value(&key).await.map_err(super::session_error)?.is_none() {
        return Ok(None);
    }
    let kept = session.remove_value(&key).await.map_err(super::session_error)?;
    Ok(kept.map(|v| v.to_string()))
}

/// What a form posted without the wasm to the server function `S` left for this page: nothing,
/// its result, or why it could not be read. Read it inside a `Suspense`. Call it once per page,
/// in the page's component: called in a view that is rebuilt as data arrives, each build would
/// take the result anew and all but the first would find nothing.
pub fn use_flashed<S>() -> Resource<Option<Result<S::Output, Error>>>
where
    S: ServerFn,
    S::Output: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    Resource::new(
        || (),
        |()| async {
            match take_flash(S::PATH.to_owned()).await {
                Ok(None) => None,
                Ok(Some(kept)) => Some(
                    serde_json::from_str(&kept)
                        .map_err(|e| Error::internal(format!("the result kept for {} cannot be read: {e}", S::PATH))),
                ),
                Err(e) => Some(Err(e)),
            }
        },
    )
}

/// Where the input a function refused is kept, beside its result's place.
fn refused_path(path: &str) -> String {
    format!("{path}#refused")
}

/// Keeps what a form sent to the server function `S` when `S` refuses it, for the page the
/// browser returns to: it shows the form again as it was sent, not as it was saved before, so a
/// refusal loses nothing that was typed.
#[cfg(feature = "ssr")]
pub(crate) async fn keep_refused<S: ServerFn>(input: &impl Serialize) -> Result<(), Error> {
    if !posted_without_wasm().await {
        return Ok(());
    }
    let value = serde_json::to_value(input).map_err(Error::internal)?;
    super::session().await?.insert(&key(&refused_path(S::PATH)), value).await.map_err(super::session_error)
}

/// What a form sent to `S` that `S` refused, taken once (see [`keep_refused`]); read it inside a
/// `Suspense`, and call it once per page, as [`use_flashed`].
pub fn use_refused<S, T>() -> Resource<Result<Option<T>, Error>>
where
    S: ServerFn,
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    Resource::new(
        || (),
        |()| async {
            match take_flash(refused_path(S::PATH)).await? {
                None => Ok(None),
                Some(kept) => serde_json::from_str(&kept)
                    .map(Some)
                    .map_err(|e| Error::internal(format!("the input kept for {} cannot be read: {e}", S::PATH))),
            }
        },
    )
}
