//! `/v1/tasks/:taskId/quote_requests`.

use crate::{
    auth::Principal,
    error::ApiResult,
    extract::{ApiJson, ApiPath},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::error::ErrorEnvelope;
use domain::quotes::{QuoteRequestInput, QuoteRequestResult};

/// Invite talent to quote: the ones named in `talent_ids`, or the best matches near the task
/// (at most `max_invites`). Each gets an email with a link to quote. Nobody is invited twice.
#[utoipa::path(
    post, path = "/tasks/{task_id}/quote_requests", tag = "Quotes", security(("bearer" = [])),
    params(("task_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = QuoteRequestInput,
    responses(
        (status = 201, body = QuoteRequestResult),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, description = "The task does not take quotes now", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(task_id): ApiPath<String>,
    ApiJson(input): ApiJson<QuoteRequestInput>,
) -> ApiResult<(StatusCode, Json<QuoteRequestResult>)> {
    Ok((StatusCode::CREATED, Json(domain::quotes::request_quotes(&state.services, &caller, &task_id, input).await?)))
}
