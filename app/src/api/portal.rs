use domain::Error;
use domain::portal::{PortalHome, PortalTalent};
use domain::quotes::{InvitationSummary, Quote};
use leptos::prelude::*;

/// The task an invitation link points at.
#[server(endpoint = "portal/invitation")]
pub async fn get_invitation(invitation_id: String) -> Result<InvitationSummary, Error> {
    super::answer(
        async {
            let services = super::services()?;
            domain::quotes::invitation_summary(&services, &invitation_id).await
        }
        .await,
    )
}

/// Emails a one-time sign-in link to the talent with this address.
#[server(endpoint = "portal/sign_in")]
pub async fn request_sign_in(email: String) -> Result<(), Error> {
    use axum::Extension;
    use domain::caller::ClientAddress;

    super::answer(
        async {
            let services = super::services()?;
            let Extension(ClientAddress(addr)) = leptos_axum::extract::<Extension<ClientAddress>>()
                .await
                .map_err(|e| Error::internal(format!("client address missing: {e}")))?;
            domain::portal::request_sign_in(&services, &email, &addr).await
        }
        .await,
    )
}

/// Spends a sign-in link and signs this browser in as its talent, under a fresh session id.
#[server(endpoint = "portal/sign_in/complete")]
pub async fn complete_sign_in(token: String) -> Result<PortalTalent, Error> {
    super::answer(
        async {
            let services = super::services()?;
            let session = super::session().await?;
            let talent = domain::portal::complete_sign_in(&services, &token).await?;
            session.cycle_id().await.map_err(super::session_error)?;
            session
                .insert(domain::portal::SESSION_TALENT_KEY, &talent.talent_id)
                .await
                .map_err(super::session_error)?;
            Ok(talent)
        }
        .await,
    )
}

/// Ends this browser's portal session.
#[server(endpoint = "portal/sign_out")]
pub async fn sign_out() -> Result<(), Error> {
    super::answer(async { super::session().await?.flush().await.map_err(super::session_error) }.await)
}

/// The signed-in talent's start page, or `None` when this browser is not signed in.
#[server(endpoint = "portal/home")]
pub async fn get_portal_home() -> Result<Option<PortalHome>, Error> {
    super::answer(
        async {
            let services = super::services()?;
            match super::portal_caller(&services).await? {
                Some(caller) => domain::portal::home(&services, &caller).await.map(Some),
                None => Ok(None),
            }
        }
        .await,
    )
}

/// The signed-in talent's quote on the task of one of their invitations, in whole dollars (the
/// form's text; the quote service judges it like the API's `amount`).
#[server(endpoint = "portal/quote")]
pub async fn submit_quote(invitation_id: String, amount: String, message: String) -> Result<Quote, Error> {
    super::answer(
        async {
            let services = super::services()?;
            let caller = super::portal_caller(&services)
                .await?
                .ok_or_else(|| Error::auth("Sign in to the talent portal to quote"))?;
            let invitation = domain::quotes::invitation_summary(&services, &invitation_id).await?;
            if invitation.talent_id != caller.talent_id {
                return Err(Error::not_found("Invitation"));
            }
            let request = domain::quotes::SubmitQuoteRequest {
                task_id: invitation.task_id,
                amount: amount.trim().parse::<i64>().map(serde_json::Value::from).map_err(|_| {
                    Error::validation(
                        "Invalid quote",
                        vec![format!("/amount: {amount:?} is not a whole number of dollars")],
                    )
                })?,
                message,
                proposed_start: None,
            };
            domain::quotes::submit(&services, &caller, &caller.talent_id, request).await
        }
        .await,
    )
}
