use domain::Error;
use domain::portal::{PortalHome, PortalTalent};
use domain::quotes::{InvitationSummary, Quote};
use leptos::prelude::*;

/// The task an invitation link points at.
#[server(endpoint = "portal/invitation")]
pub async fn get_invitation(invitation_id: String) -> Result<InvitationSummary, Error> {
    let services = super::services()?;
    domain::quotes::invitation_summary(&services, &invitation_id).await
}

/// Emails a one-time sign-in link to the talent with this address.
#[server(endpoint = "portal/sign_in")]
pub async fn request_sign_in(email: String) -> Result<(), Error> {
    use axum::Extension;
    use domain::caller::ClientAddress;

    let services = super::services()?;
    let Extension(ClientAddress(addr)) = leptos_axum::extract::<Extension<ClientAddress>>()
        .await
        .map_err(|e| Error::internal(format!("client address missing: {e}")))?;
    domain::portal::request_sign_in(&services, &email, &addr).await?;
    super::flash::keep::<RequestSignIn>(&()).await
}

/// Spends a sign-in link and signs this browser in as its talent, under a fresh session id.
#[server(endpoint = "portal/sign_in/complete")]
pub async fn complete_sign_in(token: String) -> Result<PortalTalent, Error> {
    let services = super::services()?;
    let session = super::session().await?;
    let talent = domain::portal::complete_sign_in(&services, &token).await?;
    session.cycle_id().await.map_err(super::session_error)?;
    session.insert(domain::portal::SESSION_TALENT_KEY, &talent.talent_id).await.map_err(super::session_error)?;
    // Without the wasm, the page the form came from would be the spent link's.
    if super::flash::posted_without_wasm().await {
        leptos_axum::redirect("/portal");
    }
    Ok(talent)
}

/// Ends this browser's portal session.
#[server(endpoint = "portal/sign_out")]
pub async fn sign_out() -> Result<(), Error> {
    super::session().await?.flush().await.map_err(super::session_error)
}

/// The signed-in talent's start page, or `None` when this browser is not signed in.
#[server(endpoint = "portal/home")]
pub async fn get_portal_home() -> Result<Option<PortalHome>, Error> {
    let services = super::services()?;
    match super::portal_caller().await? {
        Some(caller) => domain::portal::home(&services, &caller).await.map(Some),
        None => Ok(None),
    }
}

/// The portal's quote form, for the signed-in talent.
#[server(endpoint = "portal/quote")]
pub async fn submit_quote(invitation_id: String, amount: String, message: String) -> Result<Quote, Error> {
    let services = super::services()?;
    let caller = super::portal_caller().await?.ok_or_else(|| Error::auth("Sign in to the talent portal to quote"))?;
    domain::portal::quote_invitation(&services, &caller, &invitation_id, &amount, message).await
}
