//! `/v1/billing`.

use crate::{auth::Principal, error::ApiResult, extract::ApiJson, state::AppState};
use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use domain::billing::{BillingSetup, BillingStatus, SpendCap, SpendCapUpdate};
use domain::error::ErrorEnvelope;

/// Get a link to add a card: Stripe Checkout for live accounts, a sandbox page otherwise.
#[utoipa::path(
    post, path = "/billing/setup", tag = "Billing", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 201, body = BillingSetup),
        (status = 401, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn setup(
    State(state): State<AppState>,
    Principal(caller): Principal,
) -> ApiResult<(StatusCode, Json<BillingSetup>)> {
    Ok((StatusCode::CREATED, Json(domain::billing::start_setup(&state.services, &caller).await?)))
}

/// The browser form for adding a card without API auth: paste your key. Redirects to the page
/// at `/billing/setup`.
#[utoipa::path(
    get, path = "/billing/setup", tag = "Billing",
    responses(
        (status = 303, description = "To the form at /billing/setup"),
        (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn setup_form() -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(header::LOCATION, HeaderValue::from_static("/billing/setup"));
    response
}

/// Whether a card is on file (a missing default is healed by promoting the newest card), and
/// the spend cap.
#[utoipa::path(
    get, path = "/billing/status", tag = "Billing", security(("bearer" = [])),
    responses((status = 200, body = BillingStatus), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn status(State(state): State<AppState>, Principal(caller): Principal) -> ApiResult<Json<BillingStatus>> {
    Ok(Json(domain::billing::status(&state.services, &caller).await?))
}

/// The monthly spend cap and what was booked this month.
#[utoipa::path(
    get, path = "/billing/spend_cap", tag = "Billing", security(("bearer" = [])),
    responses((status = 200, body = SpendCap), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn get_spend_cap(State(state): State<AppState>, Principal(caller): Principal) -> ApiResult<Json<SpendCap>> {
    Ok(Json(domain::billing::get_spend_cap(&state.services, &caller).await?))
}

/// Set (`{"monthly_cap": 500, "currency": "CAD"}`) or remove (`{"monthly_cap": null}`) the cap.
#[utoipa::path(
    put, path = "/billing/spend_cap", tag = "Billing", security(("bearer" = [])),
    request_body = SpendCapUpdate,
    responses(
        (status = 200, body = SpendCap),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn put_spend_cap(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(update): ApiJson<SpendCapUpdate>,
) -> ApiResult<Json<SpendCap>> {
    Ok(Json(domain::billing::put_spend_cap(&state.services, &caller, update).await?))
}
