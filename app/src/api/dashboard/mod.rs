//! The dashboard's server functions: sign-in for an account's owner, and what they see and do.
//! Each calls the same domain service as `/v1` with the owner as the caller (a principal
//! without a key). Functions that move money sit under `money/`, behind the money limit.

pub mod audit;
pub mod keys;
pub mod money;
pub mod new_task;
pub mod webhooks;

use domain::Error;
use domain::bookings::Booking;
use domain::dashboard::{DashboardPrincipal, Overview, TaskPage};
use domain::quotes::AcceptedQuote;
use domain::work_orders::{AcceptedWork, Dispute, DisputeOutcome, WorkOrder};
use leptos::prelude::*;

/// The account owner signed in in this browser, or the error that asks them to sign in to `to`.
/// A talent's portal session is not one, nor is a bearer token (an agent's key is no owner).
#[cfg(feature = "ssr")]
pub(crate) async fn owner(to: &str) -> Result<domain::caller::Caller, Error> {
    super::dashboard_caller().await?.ok_or_else(|| Error::auth(format!("Sign in to the dashboard to {to}")))
}

/// Emails a one-time dashboard sign-in link to the accounts with this address.
#[server(endpoint = "dashboard/sign_in")]
pub async fn request_dashboard_sign_in(email: String) -> Result<(), Error> {
    let services = super::services()?;
    let addr = super::client_address().await?;
    domain::dashboard::request_sign_in(&services, &email, &addr).await?;
    super::flash::keep::<RequestDashboardSignIn>(&()).await
}

/// Spends a dashboard sign-in link and signs this browser in as its account's owner, under a
/// fresh session id.
#[server(endpoint = "dashboard/sign_in/complete")]
pub async fn complete_dashboard_sign_in(token: String) -> Result<DashboardPrincipal, Error> {
    let services = super::services()?;
    let signed_in = domain::dashboard::complete_sign_in(&services, &token).await?;
    begin_session(&signed_in).await?;
    // Without the wasm, the page the form came from would be the spent link's.
    if super::flash::posted_without_wasm().await {
        leptos_axum::redirect("/dashboard");
    }
    Ok(signed_in.principal)
}

/// Signs this browser in as the account's owner, under a fresh session id: whatever the session
/// held before (a talent's portal sign-in included) is gone.
#[cfg(feature = "ssr")]
pub(crate) async fn begin_session(signed_in: &domain::dashboard::SignedIn) -> Result<(), Error> {
    let session = super::fresh_session().await?;
    session
        .insert(domain::dashboard::SESSION_PRINCIPAL_KEY, &signed_in.principal.principal_id)
        .await
        .map_err(super::session_error)?;
    session.insert(domain::dashboard::SESSION_GENERATION_KEY, signed_in.generation).await.map_err(super::session_error)
}

/// The options for `navigator.credentials.get()`, to sign in to the dashboard with a passkey.
#[server(endpoint = "dashboard/passkeys/sign_in/options")]
pub async fn start_dashboard_passkey_sign_in() -> Result<serde_json::Value, Error> {
    let services = super::services()?;
    let ceremony = domain::passkeys::start_sign_in(&services)?;
    super::passkeys::keep_state(domain::passkeys::SIGN_IN_STATE_KEY, ceremony.state).await?;
    Ok(ceremony.options)
}

/// Signs this browser in as the owner whose passkey answered, under a fresh session id.
#[server(endpoint = "dashboard/passkeys/sign_in")]
pub async fn sign_in_to_dashboard_with_passkey(credential: String) -> Result<DashboardPrincipal, Error> {
    let services = super::services()?;
    let state = super::passkeys::take_state(domain::passkeys::SIGN_IN_STATE_KEY).await?;
    let signed_in = domain::dashboard::passkey_sign_in(&services, state.as_deref(), &credential).await?;
    begin_session(&signed_in).await?;
    Ok(signed_in.principal)
}

/// Ends this browser's dashboard session.
#[server(endpoint = "dashboard/sign_out")]
pub async fn sign_out_of_dashboard() -> Result<(), Error> {
    super::session().await?.flush().await.map_err(super::session_error)?;
    if super::flash::posted_without_wasm().await {
        leptos_axum::redirect("/dashboard");
    }
    Ok(())
}

/// Ends every dashboard session of the account, this one included.
#[server(endpoint = "dashboard/sign_out_everywhere")]
pub async fn sign_out_of_dashboard_everywhere() -> Result<(), Error> {
    let services = super::services()?;
    domain::dashboard::sign_out_everywhere(&services, &owner("sign out").await?).await?;
    sign_out_of_dashboard().await
}

/// The start page for the signed-in owner, or `None` when this browser is not signed in.
#[server(endpoint = "dashboard/overview")]
pub async fn get_overview(status: Option<String>, cursor: Option<String>) -> Result<Option<Overview>, Error> {
    let services = super::services()?;
    match super::dashboard_caller().await? {
        Some(caller) => domain::dashboard::overview(&services, &caller, status, cursor).await.map(Some),
        None => Ok(None),
    }
}

/// One of the signed-in owner's tasks.
#[server(endpoint = "dashboard/task")]
pub async fn get_task_page(task_id: String) -> Result<TaskPage, Error> {
    let services = super::services()?;
    domain::dashboard::task_page(&services, &owner("see your tasks").await?, &task_id).await
}

/// Accepts a quote, as `POST /v1/quotes/:id/accept`.
#[server(endpoint = "money/dashboard/quotes/accept")]
pub async fn accept_quote(quote_id: String) -> Result<AcceptedQuote, Error> {
    let services = super::services()?;
    domain::quotes::accept(&services, &owner("accept a quote").await?, &quote_id).await
}

/// Books an accepted quote with the card on file, as `POST /v1/bookings`.
#[server(endpoint = "money/dashboard/bookings")]
pub async fn book_quote(quote_id: String) -> Result<Booking, Error> {
    use domain::bookings::{CreateBookingRequest, Created};
    let services = super::services()?;
    let caller = owner("book").await?;
    match domain::bookings::create(&services, &caller, CreateBookingRequest { quote_id }).await? {
        Created::New(b) | Created::Existing(b) => Ok(b),
    }
}

/// Starts adding a card, as `POST /v1/billing/setup`, and sends the browser to the card page.
#[server(endpoint = "money/dashboard/billing/setup")]
pub async fn start_dashboard_billing_setup() -> Result<String, Error> {
    let services = super::services()?;
    let setup = domain::billing::start_setup(&services, &owner("add a card").await?).await?;
    leptos_axum::redirect(&setup.url);
    Ok(setup.url)
}

/// Accepts the delivered work and pays for it, as `POST /v1/work_orders/:id/accept`.
/// `override` is the owner's choice to pay for work whose QA failed.
#[server(endpoint = "money/dashboard/work_orders/accept")]
pub async fn accept_work(work_order_id: String, r#override: Option<bool>) -> Result<AcceptedWork, Error> {
    let services = super::services()?;
    let request = domain::work_orders::AcceptWork { r#override: r#override.unwrap_or(false) };
    domain::work_orders::accept(&services, &owner("accept work").await?, &work_order_id, request).await
}

/// Sends the work back for changes, as `POST /v1/work_orders/:id/request_changes`, naming the
/// QA checks to fix.
#[server(endpoint = "dashboard/work_orders/request_changes")]
pub async fn request_work_changes(
    work_order_id: String,
    reason: String,
    checks: Option<Vec<String>>,
) -> Result<WorkOrder, Error> {
    let services = super::services()?;
    let request = domain::work_orders::RequestChanges { reason, checks: checks.filter(|c| !c.is_empty()) };
    domain::work_orders::request_changes(&services, &owner("request changes").await?, &work_order_id, request).await
}

/// Opens a dispute on the work, as `POST /v1/work_orders/:id/dispute`.
#[server(endpoint = "dashboard/work_orders/dispute")]
pub async fn open_work_dispute(work_order_id: String, reason: String) -> Result<Dispute, Error> {
    let services = super::services()?;
    let request = domain::work_orders::OpenDispute { reason, evidence: None };
    domain::work_orders::open_dispute(&services, &owner("open a dispute").await?, &work_order_id, request).await
}

/// Resolves a dispute, as `POST /v1/disputes/:id/resolve`. The share comes from a number field,
/// which a form sends empty when it is left blank.
#[server(endpoint = "money/dashboard/disputes/resolve")]
pub async fn resolve_work_dispute(
    dispute_id: String,
    outcome: DisputeOutcome,
    talent_share_pct: Option<String>,
) -> Result<Dispute, Error> {
    let services = super::services()?;
    let talent_share_pct = match talent_share_pct.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<u32>().map_err(|_| {
            Error::validation("Invalid resolution", vec![format!("/talent_share_pct: {s:?} is not a whole number")])
        })?),
    };
    let request = domain::work_orders::ResolveDispute { outcome, talent_share_pct };
    domain::work_orders::resolve_dispute(&services, &owner("resolve a dispute").await?, &dispute_id, request).await
}

/// Cancels a booking, as `POST /v1/bookings/:id/cancel`; a blank reason is none.
#[server(endpoint = "money/dashboard/bookings/cancel")]
pub async fn cancel_dashboard_booking(booking_id: String, reason: Option<String>) -> Result<Booking, Error> {
    let services = super::services()?;
    let reason = reason.filter(|r| !r.trim().is_empty());
    domain::bookings::cancel(&services, &owner("cancel a booking").await?, &booking_id, reason).await
}
