use crate::{error::ApiResult, state::AppState};
use axum::{Json, extract::State};
use domain::system::SystemStatus;

/// `GET /healthz`: 200 when the database answers, 503 in the envelope when it does not.
pub async fn get(State(state): State<AppState>) -> ApiResult<Json<SystemStatus>> {
    Ok(Json(domain::system::status(&state.services.db).await?))
}
