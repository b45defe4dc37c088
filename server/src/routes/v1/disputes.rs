//! `/v1/disputes/:id/resolve`.

use crate::{
    auth::Principal,
    error::ApiResult,
    extract::{ApiJson, ApiPath},
    state::AppState,
};
use axum::{Json, extract::State};
use domain::error::ErrorEnvelope;
use domain::work_orders::{Dispute, ResolveDispute};

/// Resolve a dispute (the principal's): `release` pays the talent as on acceptance, `refund`
/// returns everything, `split` gives `talent_share_pct` to the talent (less the fee).
#[utoipa::path(
    post, path = "/disputes/{dispute_id}/resolve", tag = "Work orders", security(("bearer" = [])),
    params(("dispute_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = ResolveDispute,
    responses(
        (status = 200, body = Dispute),
        (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
        (status = 503, body = ErrorEnvelope),
    )
)]
pub async fn resolve(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
    ApiJson(request): ApiJson<ResolveDispute>,
) -> ApiResult<Json<Dispute>> {
    Ok(Json(domain::work_orders::resolve_dispute(&state.services, &caller, &id, request).await?))
}
