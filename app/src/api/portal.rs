use domain::Error;
use domain::bookings::{Booking, Placement};
use domain::portal::{
    PortalBooking, PortalEarnings, PortalFile, PortalHome, PortalInvitationDetail, PortalProfile, PortalTalent,
    PortalWork, ProfileForm,
};
use domain::quotes::{DeclinedInvitation, InvitationSummary, Quote};
use domain::work_orders::WorkOrder;
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
    let services = super::services()?;
    let addr = super::client_address().await?;
    domain::portal::request_sign_in(&services, &email, &addr).await?;
    super::flash::keep::<RequestSignIn>(&()).await
}

/// Spends a sign-in link and signs this browser in as its talent, under a fresh session id.
#[server(endpoint = "portal/sign_in/complete")]
pub async fn complete_sign_in(token: String) -> Result<PortalTalent, Error> {
    let services = super::services()?;
    let signed_in = domain::portal::complete_sign_in(&services, &token).await?;
    begin_session(&signed_in).await?;
    // Without the wasm, the page the form came from would be the spent link's.
    if super::flash::posted_without_wasm().await {
        leptos_axum::redirect("/portal");
    }
    Ok(signed_in.talent)
}

/// Signs this browser in as the talent, under a fresh session id: whatever the session held
/// before (an account owner's dashboard sign-in included) is gone.
#[cfg(feature = "ssr")]
pub(crate) async fn begin_session(signed_in: &domain::portal::SignedIn) -> Result<(), Error> {
    let session = super::fresh_session().await?;
    session
        .insert(domain::portal::SESSION_TALENT_KEY, &signed_in.talent.talent_id)
        .await
        .map_err(super::session_error)?;
    session.insert(domain::portal::SESSION_GENERATION_KEY, signed_in.generation).await.map_err(super::session_error)
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
    let sent = SubmitQuote { invitation_id: invitation_id.clone(), amount: amount.clone(), message: message.clone() };
    let quoted = domain::portal::quote_invitation(&services, &caller, &invitation_id, &amount, message).await;
    if quoted.is_err() {
        super::flash::keep_refused::<SubmitQuote>(&sent).await?;
    }
    quoted
}

/// One of the signed-in talent's bookings, with its task.
#[server(endpoint = "portal/booking")]
pub async fn get_portal_booking(booking_id: String) -> Result<PortalBooking, Error> {
    let services = super::services()?;
    let caller = super::portal_caller()
        .await?
        .ok_or_else(|| Error::auth("Sign in to the talent portal to see your bookings"))?;
    domain::portal::booking(&services, &caller, &booking_id).await
}

/// What a check-in from this position would say, before the talent commits to it.
#[server(endpoint = "portal/locate")]
pub async fn locate_position(
    booking_id: String,
    lat: String,
    lng: String,
    accuracy_m: String,
) -> Result<Placement, Error> {
    let services = super::services()?;
    let caller =
        super::portal_caller().await?.ok_or_else(|| Error::auth("Sign in to the talent portal to check in"))?;
    let form = domain::portal::PositionForm { lat, lng, accuracy_m };
    domain::portal::locate(&services, &caller, &booking_id, &form).await
}

/// The portal's check-in form, for the booked talent.
#[server(endpoint = "portal/check_in")]
pub async fn check_in(booking_id: String, lat: String, lng: String, accuracy_m: String) -> Result<Booking, Error> {
    let services = super::services()?;
    let caller =
        super::portal_caller().await?.ok_or_else(|| Error::auth("Sign in to the talent portal to check in"))?;
    let sent =
        CheckIn { booking_id: booking_id.clone(), lat: lat.clone(), lng: lng.clone(), accuracy_m: accuracy_m.clone() };
    let form = domain::portal::PositionForm { lat, lng, accuracy_m };
    let checked_in = domain::portal::check_in(&services, &caller, &booking_id, &form).await;
    if checked_in.is_err() {
        super::flash::keep_refused::<CheckIn>(&sent).await?;
    }
    checked_in
}

/// The work on one of the signed-in talent's bookings (`None` before it has a work order).
#[server(endpoint = "portal/work")]
pub async fn get_portal_work(booking_id: String) -> Result<Option<PortalWork>, Error> {
    let services = super::services()?;
    let caller =
        super::portal_caller().await?.ok_or_else(|| Error::auth("Sign in to the talent portal to see your work"))?;
    domain::portal::work(&services, &caller, &booking_id).await
}

/// The files uploaded for the work on one of the signed-in talent's bookings, newest first
/// (what the work page lists again as uploads arrive).
#[server(endpoint = "portal/work/files")]
pub async fn get_portal_files(booking_id: String) -> Result<Vec<PortalFile>, Error> {
    Ok(get_portal_work(booking_id).await?.map(|w| w.files).unwrap_or_default())
}

/// The portal's delivery form: the chosen uploads, delivered for QA and the agent.
#[server(endpoint = "portal/deliver")]
pub async fn deliver_work(work_order_id: String, file_ids: Option<Vec<String>>) -> Result<WorkOrder, Error> {
    let services = super::services()?;
    let caller = super::portal_caller().await?.ok_or_else(|| Error::auth("Sign in to the talent portal to deliver"))?;
    domain::portal::deliver(&services, &caller, &work_order_id, &file_ids.unwrap_or_default()).await
}

/// The signed-in talent's invitation in full, or `None` when this browser is not signed in as
/// the invited talent (the page then shows what the invitation email said).
#[server(endpoint = "portal/invitation/detail")]
pub async fn get_portal_invitation(invitation_id: String) -> Result<Option<PortalInvitationDetail>, Error> {
    let services = super::services()?;
    let Some(caller) = super::portal_caller().await? else {
        return Ok(None);
    };
    match domain::portal::invitation(&services, &caller, &invitation_id).await {
        Err(e) if e.code == domain::ErrorCode::NotFound => Ok(None),
        other => other.map(Some),
    }
}

/// The portal's decline form, for the invited talent.
#[server(endpoint = "portal/decline")]
pub async fn decline_invitation(invitation_id: String, reason: String) -> Result<DeclinedInvitation, Error> {
    let services = super::services()?;
    let caller = signed_in("decline").await?;
    let sent = DeclineInvitation { invitation_id: invitation_id.clone(), reason: reason.clone() };
    let declined = domain::portal::decline_invitation(&services, &caller, &invitation_id, reason).await;
    if declined.is_err() {
        super::flash::keep_refused::<DeclineInvitation>(&sent).await?;
    }
    declined
}

/// The signed-in talent, or the error that asks them to sign in to `to`.
#[cfg(feature = "ssr")]
async fn signed_in(to: &str) -> Result<domain::caller::Caller, Error> {
    super::portal_caller().await?.ok_or_else(|| Error::auth(format!("Sign in to the talent portal to {to}")))
}

/// The signed-in talent's own profile.
#[server(endpoint = "portal/profile")]
pub async fn get_portal_profile() -> Result<PortalProfile, Error> {
    let services = super::services()?;
    domain::portal::profile(&services, &signed_in("see your profile").await?).await
}

/// The portal's profile form (its fields are the form's, by name).
#[server(endpoint = "portal/profile/update")]
pub async fn update_profile(#[server(flatten)] form: ProfileForm) -> Result<PortalProfile, Error> {
    let services = super::services()?;
    let caller = signed_in("change your profile").await?;
    match domain::portal::update_profile(&services, &caller, &form).await {
        Ok(profile) => {
            super::flash::keep::<UpdateProfile>(&profile).await?;
            Ok(profile)
        }
        Err(refused) => {
            super::flash::keep_refused::<UpdateProfile>(&form).await?;
            Err(refused)
        }
    }
}

/// A new API token for the signed-in talent, shown this once; the old one stops working.
#[server(endpoint = "portal/token/rotate")]
pub async fn rotate_token() -> Result<String, Error> {
    let services = super::services()?;
    let token = domain::portal::rotate_token(&services, &signed_in("make an API token").await?).await?;
    super::flash::keep::<RotateToken>(&token).await?;
    Ok(token)
}

/// Ends the signed-in talent's API token.
#[server(endpoint = "portal/token/revoke")]
pub async fn revoke_token() -> Result<(), Error> {
    let services = super::services()?;
    domain::portal::revoke_token(&services, &signed_in("revoke your API token").await?).await
}

/// Signs the talent out of every browser, this one included.
#[server(endpoint = "portal/sign_out_everywhere")]
pub async fn sign_out_everywhere() -> Result<(), Error> {
    let services = super::services()?;
    domain::portal::sign_out_everywhere(&services, &signed_in("sign out").await?).await?;
    super::session().await?.flush().await.map_err(super::session_error)?;
    if super::flash::posted_without_wasm().await {
        leptos_axum::redirect("/portal");
    }
    Ok(())
}

/// What the signed-in talent earned and will earn.
#[server(endpoint = "portal/earnings")]
pub async fn get_portal_earnings() -> Result<PortalEarnings, Error> {
    let services = super::services()?;
    domain::portal::earnings(&services, &signed_in("see your earnings").await?).await
}
