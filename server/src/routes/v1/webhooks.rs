//! `/v1/webhooks`.

use crate::{
    auth::Principal,
    error::ApiResult,
    extract::{ApiJson, ApiPath},
    state::AppState,
};
use axum::{Json, extract::State, http::StatusCode};
use domain::error::ErrorEnvelope;
use domain::webhooks::{CreateWebhook, Delivery, DeliveryList, WebhookEndpoint, WebhookEndpointList};

/// Register an endpoint for signed event deliveries. The secret (generated when absent) is
/// shown only in this response.
#[utoipa::path(
    post, path = "/webhooks", tag = "Webhooks", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header)),
    request_body = CreateWebhook,
    responses(
        (status = 201, body = WebhookEndpoint),
        (status = 400, description = "Bad URL (private address, http for live accounts) or event type", body = ErrorEnvelope),
        (status = 401, body = ErrorEnvelope),
        (status = 403, description = "The account already has the most endpoints it may have (16)", body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiJson(request): ApiJson<CreateWebhook>,
) -> ApiResult<(StatusCode, Json<WebhookEndpoint>)> {
    Ok((StatusCode::CREATED, Json(domain::webhooks::create(&state.services, &caller, request).await?)))
}

/// The principal's webhook endpoints (never their secrets).
#[utoipa::path(
    get, path = "/webhooks", tag = "Webhooks", security(("bearer" = [])),
    responses((status = 200, body = WebhookEndpointList), (status = 401, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn list(State(state): State<AppState>, Principal(caller): Principal) -> ApiResult<Json<WebhookEndpointList>> {
    Ok(Json(domain::webhooks::list(&state.services, &caller).await?))
}

/// Remove an endpoint; its pending deliveries are abandoned.
#[utoipa::path(
    delete, path = "/webhooks/{webhook_id}", tag = "Webhooks", security(("bearer" = [])),
    params(("webhook_id" = String, Path)),
    responses((status = 200, body = WebhookEndpoint), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn delete(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WebhookEndpoint>> {
    Ok(Json(domain::webhooks::delete(&state.services, &caller, &id).await?))
}

/// An endpoint's deliveries, newest first, with every attempt (time, status, latency,
/// response excerpt).
#[utoipa::path(
    get, path = "/webhooks/{webhook_id}/deliveries", tag = "Webhooks", security(("bearer" = [])),
    params(("webhook_id" = String, Path)),
    responses((status = 200, body = DeliveryList), (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope))
)]
pub async fn deliveries(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<DeliveryList>> {
    Ok(Json(domain::webhooks::deliveries(&state.services, &caller, &id).await?))
}

/// Send a delivery again, now.
#[utoipa::path(
    post, path = "/webhooks/{webhook_id}/deliveries/{delivery_id}/retry", tag = "Webhooks", security(("bearer" = [])),
    params(("webhook_id" = String, Path), ("delivery_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 202, body = Delivery),
        (status = 401, body = ErrorEnvelope), (status = 403, description = "The endpoint is disabled", body = ErrorEnvelope),
        (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn retry(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath((id, delivery_id)): ApiPath<(String, String)>,
) -> ApiResult<(StatusCode, Json<Delivery>)> {
    Ok((StatusCode::ACCEPTED, Json(domain::webhooks::retry(&state.services, &caller, &id, &delivery_id).await?)))
}

/// Give the endpoint a new signing secret, shown only in this response. Deliveries sent from
/// now on are signed with it; the old secret stops verifying at once.
#[utoipa::path(
    post, path = "/webhooks/{webhook_id}/rotate_secret", tag = "Webhooks", security(("bearer" = [])),
    params(("webhook_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    responses(
        (status = 200, body = WebhookEndpoint),
        (status = 401, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope),
        (status = 409, body = ErrorEnvelope), (status = 429, body = ErrorEnvelope),
    )
)]
pub async fn rotate_secret(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiPath(id): ApiPath<String>,
) -> ApiResult<Json<WebhookEndpoint>> {
    Ok(Json(domain::webhooks::rotate_secret(&state.services, &caller, &id).await?))
}
