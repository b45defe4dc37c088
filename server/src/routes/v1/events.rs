//! `/v1/events`: polling.

use crate::{auth::Principal, error::ApiResult, extract::ApiQuery, state::AppState};
use axum::{Json, extract::State};
use domain::error::ErrorEnvelope;
use domain::events::{EventList, EventQuery};

/// The principal's events in the order their changes committed, after the one named by
/// `after` (an event id). Poll with the last id you saw.
#[utoipa::path(
    get, path = "/events", tag = "Events", security(("bearer" = [])),
    params(EventQuery),
    responses((status = 200, body = EventList), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiQuery(query): ApiQuery<EventQuery>,
) -> ApiResult<Json<EventList>> {
    Ok(Json(domain::events::list(&state.services, &caller, query).await?))
}
