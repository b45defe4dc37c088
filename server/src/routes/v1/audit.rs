//! `/v1/audit`.

use crate::{auth::Principal, error::ApiResult, extract::ApiQuery, state::AppState};
use axum::{Json, extract::State};
use domain::audit::{AuditEntry, AuditFilter};
use domain::error::ErrorEnvelope;
use domain::pagination::{Page, PageQuery};

/// The principal's audit log, newest first, optionally for one entity.
#[utoipa::path(
    get, path = "/audit", tag = "Audit", security(("bearer" = [])),
    params(AuditFilter, PageQuery),
    responses((status = 200, body = Page<AuditEntry>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiQuery(filter): ApiQuery<AuditFilter>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<AuditEntry>>> {
    Ok(Json(domain::audit::list(&state.services, &caller, filter, page).await?))
}
