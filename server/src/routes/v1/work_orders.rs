//! `/v1/work_orders`.

use crate::{
    auth::{AnyCaller, Principal, Talent},
    error::ApiResult,
    extract::{ApiJson, ApiJsonOrEmpty, ApiPath},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::error::ErrorEnvelope;
use domain::qa::QaReport;
use domain::work_orders::{
    AcceptWork, AcceptedWork, DeliverableList, Dispute, OpenDispute, RegisterDeliverables, RequestChanges, WorkOrder,
};

/// A work order with its current deliverables (download links valid 15 minutes).
#[utoipa::path(
    get, path = "/work_orders/{work_order_id}", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path)),
    responses((status = 200, body = WorkOrder), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn get(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WorkOrder>> {
    Ok(Json(domain::work_orders::get(&state.services, &caller.0, &id).await?))
}

/// Just the current deliverables.
#[utoipa::path(
    get, path = "/work_orders/{work_order_id}/deliverables", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path)),
    responses((status = 200, body = DeliverableList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list_deliverables(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeliverableList>> {
    Ok(Json(domain::work_orders::list_deliverables(&state.services, &caller.0, &id).await?))
}

/// Register a complete delivery of uploaded files (talent token). The work order becomes
/// `delivered`; `deliverable.registered` is recorded.
#[utoipa::path(
    post, path = "/work_orders/{work_order_id}/deliverables", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = RegisterDeliverables,
    responses(
        (status = 201, body = WorkOrder),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn register_deliverables(
    State(state): State<AppState>,
    Talent(caller): Talent,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<RegisterDeliverables>,
) -> ApiResult<(StatusCode, Json<WorkOrder>)> {
    Ok((StatusCode::CREATED, Json(domain::work_orders::register(&state.services, &caller, &id, request).await?)))
}

/// Run automated QA on the current delivery: computed once per delivery and cached, so safe
/// to call repeatedly. The first run records `qa.completed` and moves the work order to
/// `qa_passed` or `qa_failed`.
#[utoipa::path(
    get, path = "/work_orders/{work_order_id}/qa", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path)),
    responses(
        (status = 200, body = QaReport),
        (status = 401, body = ErrorEnvelope), (status = 403, description = "Nothing delivered yet", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn qa(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<QaReport>> {
    Ok(Json(domain::qa::run(&state.services, &caller, &id).await?))
}

/// Ask for changes; the talent delivers again and QA runs again.
#[utoipa::path(
    post, path = "/work_orders/{work_order_id}/request_changes", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = RequestChanges,
    responses(
        (status = 200, body = WorkOrder),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn request_changes(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<RequestChanges>,
) -> ApiResult<Json<WorkOrder>> {
    Ok(Json(domain::work_orders::request_changes(&state.services, &caller, &id, request).await?))
}

/// Accept the work: escrow captured, 85 % to the talent, 15 % fee (fee rounded down to the
/// cent; payout is the rest). Work whose QA failed needs `{"override": true}`.
#[utoipa::path(
    post, path = "/work_orders/{work_order_id}/accept", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body(content = Option<AcceptWork>, description = "Optional `{\"override\": true}`"),
    responses(
        (status = 200, body = AcceptedWork),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope),
        (status = 403, description = "Not delivered, or QA failed without override", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
    ApiJsonOrEmpty(request): ApiJsonOrEmpty<AcceptWork>,
) -> ApiResult<Json<AcceptedWork>> {
    Ok(Json(domain::work_orders::accept(&state.services, &caller, &id, request).await?))
}

/// Open a dispute (API key or talent token) on work that is not settled.
#[utoipa::path(
    post, path = "/work_orders/{work_order_id}/disputes", tag = "Work orders", security(("bearer" = [])),
    params(("work_order_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = OpenDispute,
    responses(
        (status = 201, body = Dispute),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn open_dispute(
    State(state): State<AppState>,
    caller: AnyCaller,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<OpenDispute>,
) -> ApiResult<(StatusCode, Json<Dispute>)> {
    Ok((StatusCode::CREATED, Json(domain::work_orders::open_dispute(&state.services, &caller.0, &id, request).await?)))
}
