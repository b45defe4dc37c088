//! `/v1/api_keys`: more keys, listing, revoking.

use crate::{
    auth::Principal,
    error::ApiResult,
    extract::{ApiJson, ApiPath},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::api_keys::{ApiKey, ApiKeyList, CreateApiKeyRequest, CreatedApiKey};
use domain::error::ErrorEnvelope;

/// Create another API key (the key is shown only in this response).
#[utoipa::path(
    post, path = "/api_keys", tag = "API keys", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    request_body = CreateApiKeyRequest,
    responses(
        (status = 201, body = CreatedApiKey),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(request): ApiJson<CreateApiKeyRequest>,
) -> ApiResult<(StatusCode, Json<CreatedApiKey>)> {
    Ok((StatusCode::CREATED, Json(domain::api_keys::create(&state.services, &caller, request).await?)))
}

/// The principal's API keys (never their secrets).
#[utoipa::path(
    get, path = "/api_keys", tag = "API keys", security(("bearer" = [])),
    responses((status = 200, body = ApiKeyList), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list(State(state): State<AppState>, Principal(caller): Principal) -> ApiResult<Json<ApiKeyList>> {
    Ok(Json(domain::api_keys::list(&state.services, &caller).await?))
}

/// Revoke a key. The last active key cannot be revoked.
#[utoipa::path(
    delete, path = "/api_keys/{key_id}", tag = "API keys", security(("bearer" = [])),
    params(("key_id" = String, Path)),
    responses(
        (status = 200, body = ApiKey),
        (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(key_id): ApiPath<String>,
) -> ApiResult<Json<ApiKey>> {
    Ok(Json(domain::api_keys::revoke(&state.services, &caller, &key_id).await?))
}
