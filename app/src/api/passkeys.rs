//! Passkeys: the two halves of each WebAuthn ceremony (the page's script asks for the options,
//! hands them to `navigator.credentials`, and posts the browser's answer back), and removal, a
//! plain form. A ceremony's state waits in the session between its two requests, once.

use domain::Error;
use domain::passkeys::SavedPasskey;
use domain::portal::PortalTalent;
use leptos::prelude::*;

/// The person signed in in this browser's session: a talent in the portal or an account's
/// owner in the dashboard. A bearer token is refused: a leaked token must not be turned into a
/// passkey, and with it into a session.
#[cfg(feature = "ssr")]
async fn session_person(to: &str) -> Result<domain::caller::Caller, Error> {
    let headers = leptos_axum::extract::<http::HeaderMap>().await.map_err(|e| Error::internal(format!("{e:?}")))?;
    if headers.contains_key(http::header::AUTHORIZATION) {
        return Err(Error::auth(format!("Sign in in a browser to {to}: a token cannot")));
    }
    match super::portal_caller().await? {
        Some(talent) => Ok(talent),
        None => super::dashboard_caller()
            .await?
            .ok_or_else(|| Error::auth(format!("Sign in to the talent portal or the dashboard to {to}"))),
    }
}

/// Takes a ceremony's state out of the session: each is answered once.
#[cfg(feature = "ssr")]
pub(crate) async fn take_state(key: &str) -> Result<Option<String>, Error> {
    super::session().await?.remove::<String>(key).await.map_err(super::session_error)
}

#[cfg(feature = "ssr")]
pub(crate) async fn keep_state(key: &str, state: String) -> Result<(), Error> {
    super::session().await?.insert(key, state).await.map_err(super::session_error)
}

/// The options for `navigator.credentials.create()`, to add a passkey called `name` for the
/// signed-in talent or account owner.
#[server(endpoint = "passkeys/registration")]
pub async fn start_passkey_registration(name: String) -> Result<serde_json::Value, Error> {
    let services = super::services()?;
    let caller = session_person("add a passkey").await?;
    let ceremony = domain::passkeys::start_registration(&services, &caller, &name).await?;
    keep_state(domain::passkeys::REGISTRATION_STATE_KEY, ceremony.state).await?;
    Ok(ceremony.options)
}

/// Saves the passkey the browser made (`credential`: its `toJSON()`).
#[server(endpoint = "passkeys/register")]
pub async fn register_passkey(credential: String) -> Result<SavedPasskey, Error> {
    let services = super::services()?;
    let caller = session_person("add a passkey").await?;
    let state = take_state(domain::passkeys::REGISTRATION_STATE_KEY).await?;
    domain::passkeys::finish_registration(&services, &caller, state.as_deref(), &credential).await
}

/// Removes one of the signed-in person's passkeys.
#[server(endpoint = "passkeys/remove")]
pub async fn remove_passkey(passkey_id: String) -> Result<SavedPasskey, Error> {
    let services = super::services()?;
    let caller = session_person("remove a passkey").await?;
    let removed = domain::passkeys::remove(&services, &caller, &passkey_id).await?;
    super::flash::keep::<RemovePasskey>(&removed).await?;
    Ok(removed)
}

/// The options for `navigator.credentials.get()`, to sign in to the portal with a passkey.
#[server(endpoint = "portal/passkeys/sign_in/options")]
pub async fn start_passkey_sign_in() -> Result<serde_json::Value, Error> {
    let services = super::services()?;
    let ceremony = domain::passkeys::start_sign_in(&services)?;
    keep_state(domain::passkeys::SIGN_IN_STATE_KEY, ceremony.state).await?;
    Ok(ceremony.options)
}

/// Signs this browser in as the talent whose passkey answered (`credential`: the assertion's
/// `toJSON()`), under a fresh session id.
#[server(endpoint = "portal/passkeys/sign_in")]
pub async fn sign_in_with_passkey(credential: String) -> Result<PortalTalent, Error> {
    let services = super::services()?;
    let state = take_state(domain::passkeys::SIGN_IN_STATE_KEY).await?;
    let signed_in = domain::portal::passkey_sign_in(&services, state.as_deref(), &credential).await?;
    super::portal::begin_session(&signed_in).await?;
    Ok(signed_in.talent)
}
