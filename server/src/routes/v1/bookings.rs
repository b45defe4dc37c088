//! `/v1/bookings`.

use crate::{
    auth::{Principal, Talent},
    error::ApiResult,
    extract::{ApiJson, ApiJsonOrEmpty, ApiPath},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::bookings::{Booking, CancelBookingRequest, CheckinRequest, CreateBookingRequest, Created};
use domain::error::ErrorEnvelope;

/// Book an accepted quote: its amount is held on your card in escrow, the booking is
/// confirmed and a work order opened. Deduplicated by quote: a second call answers the same
/// booking (200).
#[utoipa::path(
    post, path = "/bookings", tag = "Bookings", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = CreateBookingRequest,
    responses(
        (status = 201, description = "Booked and confirmed", body = Booking),
        (status = 200, description = "The quote's existing booking", body = Booking),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 402, description = "No card on file, or the card was declined", body = ErrorEnvelope),
        (status = 403, description = "Quote not accepted, or over the spend cap", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
        (status = 503, description = "The payment gateway is unavailable", body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(request): ApiJson<CreateBookingRequest>,
) -> ApiResult<(StatusCode, Json<Booking>)> {
    Ok(match domain::bookings::create(&state.services, &caller, request).await? {
        Created::New(b) => (StatusCode::CREATED, Json(b)),
        Created::Existing(b) => (StatusCode::OK, Json(b)),
    })
}

/// A booking: status, escrow, check-in and cancellation.
#[utoipa::path(
    get, path = "/bookings/{booking_id}", tag = "Bookings", security(("bearer" = [])),
    params(("booking_id" = String, Path)),
    responses((status = 200, body = Booking), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn get(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(booking_id): ApiPath<String>,
) -> ApiResult<Json<Booking>> {
    Ok(Json(domain::bookings::get(&state.services, &caller, &booking_id).await?))
}

/// The talent's GPS check-in (talent token). Within the task's radius it is verified; outside,
/// recorded as unverified with the distance — or refused for templates that need proof of place.
#[utoipa::path(
    post, path = "/bookings/{booking_id}/checkin", tag = "Bookings", security(("bearer" = [])),
    params(("booking_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = CheckinRequest,
    responses(
        (status = 200, body = Booking),
        (status = 400, body = ErrorEnvelope), (status = 401, description = "Not a talent token", body = ErrorEnvelope),
        (status = 403, description = "Not confirmed, outside the window, or no proof of place", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn checkin(
    State(state): State<AppState>,
    Talent(caller): Talent,
    ApiPath(booking_id): ApiPath<String>,
    ApiJson(request): ApiJson<CheckinRequest>,
) -> ApiResult<Json<Booking>> {
    Ok(Json(domain::bookings::checkin(&state.services, &caller, &booking_id, request).await?))
}

/// Cancel a booking and settle its escrow: all of it released before check-in; after check-in
/// the template's `show_up_share_pct` goes to the talent and the rest is released.
#[utoipa::path(
    post, path = "/bookings/{booking_id}/cancel", tag = "Bookings", security(("bearer" = [])),
    params(("booking_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Option<CancelBookingRequest>, description = "Optional `{\"reason\": \"...\"}`"),
    responses(
        (status = 200, body = Booking),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, description = "Already completed or cancelled", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope),
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(booking_id): ApiPath<String>,
    ApiJsonOrEmpty(body): ApiJsonOrEmpty<CancelBookingRequest>,
) -> ApiResult<Json<Booking>> {
    Ok(Json(domain::bookings::cancel(&state.services, &caller, &booking_id, body.reason).await?))
}
