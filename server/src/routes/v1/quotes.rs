//! `/v1/quotes/:quoteId/accept`.

use crate::{auth::Principal, error::ApiResult, extract::ApiPath, state::AppState};
use axum::{Json, extract::State};
use domain::error::ErrorEnvelope;
use domain::quotes::AcceptedQuote;

/// Accept a quote. Atomic: only the first caller succeeds; everyone else gets 403 with the
/// quote's `current_status`. The task's other quotes become `rejected`.
#[utoipa::path(
    post, path = "/quotes/{quote_id}/accept", tag = "Quotes", security(("bearer" = [])),
    params(("quote_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, body = AcceptedQuote),
        (status = 401, body = ErrorEnvelope),
        (status = 403, description = "Already accepted, rejected or expired, or another quote won", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(quote_id): ApiPath<String>,
) -> ApiResult<Json<AcceptedQuote>> {
    Ok(Json(domain::quotes::accept(&state.services, &caller, &quote_id).await?))
}
