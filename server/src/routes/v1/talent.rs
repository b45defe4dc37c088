//! `/v1/talent`.

use crate::{
    auth::{Principal, Talent},
    error::ApiResult,
    extract::{ApiJson, ApiPath, ApiQuery},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::error::ErrorEnvelope;
use domain::quotes::{DeclineRequest, DeclinedInvitation, Quote, SubmitQuoteRequest};
use domain::talent::{TalentProfile, TalentSearchQuery, TalentSearchResults};

/// Search talent by skills, task type and distance, ranked by fit and closeness.
#[utoipa::path(
    get, path = "/talent/search", tag = "Talent", security(("bearer" = [])),
    params(TalentSearchQuery),
    responses((status = 200, body = TalentSearchResults), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn search(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiQuery(query): ApiQuery<TalentSearchQuery>,
) -> ApiResult<Json<TalentSearchResults>> {
    Ok(Json(domain::talent::search(&state.services, &caller, query).await?))
}

/// A talent's public profile (never email or phone).
#[utoipa::path(
    get, path = "/talent/{talent_id}", tag = "Talent", security(("bearer" = [])),
    params(("talent_id" = String, Path)),
    responses((status = 200, body = TalentProfile), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn get(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(talent_id): ApiPath<String>,
) -> ApiResult<Json<TalentProfile>> {
    Ok(Json(domain::talent::get(&state.services, &caller, &talent_id).await?))
}

/// Submit a quote as the talent (talent token), on a task the talent was invited to.
#[utoipa::path(
    post, path = "/talent/{talent_id}/quote", tag = "Talent", security(("bearer" = [])),
    params(("talent_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = SubmitQuoteRequest,
    responses(
        (status = 201, body = Quote),
        (status = 400, description = "Invalid, or above what the template allows", body = ErrorEnvelope),
        (status = 401, description = "Not this talent's token, or not invited", body = ErrorEnvelope),
        (status = 403, description = "The task no longer takes quotes, or already quoted", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn quote(
    State(state): State<AppState>,
    Talent(caller): Talent,
    ApiPath(talent_id): ApiPath<String>,
    ApiJson(request): ApiJson<SubmitQuoteRequest>,
) -> ApiResult<(StatusCode, Json<Quote>)> {
    Ok((StatusCode::CREATED, Json(domain::quotes::submit(&state.services, &caller, &talent_id, request).await?)))
}

/// Decline an invitation as the talent (talent token), with a reason the agent is told
/// (`quote.declined`). A declined invitation takes no quote; a quoted one cannot be declined.
#[utoipa::path(
    post, path = "/talent/{talent_id}/decline", tag = "Talent", security(("bearer" = [])),
    params(("talent_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = DeclineRequest,
    responses(
        (status = 200, body = DeclinedInvitation),
        (status = 400, body = ErrorEnvelope),
        (status = 401, description = "Not this talent's token, or not invited", body = ErrorEnvelope),
        (status = 403, description = "Already declined, or already quoted", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn decline(
    State(state): State<AppState>,
    Talent(caller): Talent,
    ApiPath(talent_id): ApiPath<String>,
    ApiJson(request): ApiJson<DeclineRequest>,
) -> ApiResult<Json<DeclinedInvitation>> {
    Ok(Json(domain::quotes::decline(&state.services, &caller, &talent_id, request).await?))
}
