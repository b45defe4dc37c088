//! `/v1/developer/…`: sign-up.

use crate::{error::ApiResult, extract::ApiJson, request_id::RequestId, state::AppState};
use axum::{Extension, Json, extract::State, http::StatusCode};
use domain::caller::ClientAddress;
use domain::error::ErrorEnvelope;
use domain::principals::{SignupRequest, SignupResponse};

/// Create a principal and its first API key (shown only here). Sandbox by default.
#[utoipa::path(
    post, path = "/developer/signup", tag = "Developer",
    request_body = SignupRequest,
    responses(
        (status = 201, description = "The account and its API key", body = SignupResponse),
        (status = 400, description = "Invalid name or email", body = ErrorEnvelope),
        (status = 403, description = "Live mode without a payment gateway", body = ErrorEnvelope),
        (status = 429, description = "Too many sign-ups from this address", body = ErrorEnvelope),
    )
)]
pub async fn signup(
    State(state): State<AppState>,
    Extension(ClientAddress(addr)): Extension<ClientAddress>,
    Extension(RequestId(request_id)): Extension<RequestId>,
    ApiJson(request): ApiJson<SignupRequest>,
) -> ApiResult<(StatusCode, Json<SignupResponse>)> {
    let created = domain::principals::signup(&state.services, request, &addr, Some(request_id)).await?;
    Ok((StatusCode::CREATED, Json(created)))
}
