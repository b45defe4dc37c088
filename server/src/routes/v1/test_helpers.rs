//! `/v1/test_helpers`: sandbox accounts only (404 for live ones), so an agent can drive the
//! whole lifecycle without a human.

use crate::{auth::Principal, error::ApiResult, extract::ApiJson, state::AppState};
use axum::{Json, extract::State, http::StatusCode};
use domain::billing::{AttachCardRequest, PaymentMethod};
use domain::error::ErrorEnvelope;
use domain::talent::{SandboxTalentCreated, SandboxTalentRequest};

/// Create a sandbox talent and its token (`hd_talent_…`, shown only here).
#[utoipa::path(
    post, path = "/test_helpers/talent", tag = "Sandbox", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = SandboxTalentRequest,
    responses(
        (status = 201, body = SandboxTalentCreated),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 404, description = "Live accounts have no test helpers", body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn talent(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(request): ApiJson<SandboxTalentRequest>,
) -> ApiResult<(StatusCode, Json<SandboxTalentCreated>)> {
    Ok((StatusCode::CREATED, Json(domain::talent::create_sandbox(&state.services, &caller, request).await?)))
}

/// Put a test card on file: `ok` always pays, `decline` is declined at booking.
#[utoipa::path(
    post, path = "/test_helpers/billing/attach_card", tag = "Sandbox", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = AttachCardRequest,
    responses(
        (status = 201, body = PaymentMethod),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 404, description = "Live accounts have no test helpers", body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn attach_card(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(request): ApiJson<AttachCardRequest>,
) -> ApiResult<(StatusCode, Json<PaymentMethod>)> {
    Ok((StatusCode::CREATED, Json(domain::billing::attach_test_card(&state.services, &caller, request).await?)))
}
