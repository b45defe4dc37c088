//! `/v1/tasks`.

pub mod quote_requests;
pub mod quotes;

use crate::{
    auth::Principal,
    error::ApiResult,
    extract::{ApiJson, ApiPath, ApiQuery},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::error::ErrorEnvelope;
use domain::pagination::{Page, PageQuery};
use domain::tasks::{CreateTaskRequest, Task, TaskFilter};
use serde_json::Value;

/// Create a task from a template. The whole payload is validated; `details.errors` lists every
/// problem with its JSON path.
#[utoipa::path(
    post, path = "/tasks", tag = "Tasks", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    request_body = CreateTaskRequest,
    responses(
        (status = 201, body = Task),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope),
        (status = 415, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<(StatusCode, Json<Task>)> {
    Ok((StatusCode::CREATED, Json(domain::tasks::create(&state.services, &caller, &body).await?)))
}

/// A task and its status.
#[utoipa::path(
    get, path = "/tasks/{task_id}", tag = "Tasks", security(("bearer" = [])),
    params(("task_id" = String, Path)),
    responses((status = 200, body = Task), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn get(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(task_id): ApiPath<String>,
) -> ApiResult<Json<Task>> {
    Ok(Json(domain::tasks::get(&state.services, &caller, &task_id).await?))
}

/// The principal's tasks, newest first.
#[utoipa::path(
    get, path = "/tasks", tag = "Tasks", security(("bearer" = [])),
    params(TaskFilter, PageQuery),
    responses((status = 200, body = Page<Task>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiQuery(filter): ApiQuery<TaskFilter>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<Task>>> {
    Ok(Json(domain::tasks::list(&state.services, &caller, filter, page).await?))
}

/// Publish a draft (created with `"status": "draft"`): talent can quote on it from now on.
/// Its start must still be the template's lead time ahead.
#[utoipa::path(
    post, path = "/tasks/{task_id}/publish", tag = "Tasks", security(("bearer" = [])),
    params(("task_id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 h")),
    responses(
        (status = 200, body = Task),
        (status = 400, description = "The start is no longer far enough ahead", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 403, description = "The task is not a draft (`POLICY_BLOCKED`, with `current_status`)", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn publish(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(task_id): ApiPath<String>,
) -> ApiResult<Json<Task>> {
    Ok(Json(domain::tasks::publish(&state.services, &caller, &task_id).await?))
}
