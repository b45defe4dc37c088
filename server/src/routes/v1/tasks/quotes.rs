//! `/v1/tasks/:taskId/quotes`.

use crate::{auth::Principal, error::ApiResult, extract::ApiPath, state::AppState};
use axum::{Json, extract::State};
use domain::error::ErrorEnvelope;
use domain::quotes::QuoteList;

/// The quotes received for a task, oldest first.
#[utoipa::path(
    get, path = "/tasks/{task_id}/quotes", tag = "Quotes", security(("bearer" = [])),
    params(("task_id" = String, Path)),
    responses((status = 200, body = QuoteList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(task_id): ApiPath<String>,
) -> ApiResult<Json<QuoteList>> {
    Ok(Json(domain::quotes::list_for_task(&state.services, &caller, &task_id).await?))
}
