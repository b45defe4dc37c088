//! The dashboard's webhooks: the same services as `/v1/webhooks`, for the signed-in owner.

use domain::Error;
use domain::dashboard::WebhooksPage;
use domain::webhooks::{Delivery, WebhookEndpoint};
use leptos::prelude::*;

/// The account's endpoints with their deliveries.
#[server(endpoint = "dashboard/webhooks")]
pub async fn get_dashboard_webhooks() -> Result<WebhooksPage, Error> {
    let services = crate::api::services()?;
    domain::dashboard::webhooks_page(&services, &super::owner("see your webhooks").await?).await
}

/// Registers an endpoint, as `POST /v1/webhooks` (the form sends `events[]`; none is the
/// API's refusal). The secret is shown once: a form without the wasm finds it on the page it
/// returns to.
#[server(endpoint = "dashboard/webhooks/create")]
pub async fn create_dashboard_webhook(url: String, events: Option<Vec<String>>) -> Result<WebhookEndpoint, Error> {
    let services = crate::api::services()?;
    let sent = CreateDashboardWebhook { url: url.clone(), events: events.clone() };
    let request = domain::webhooks::CreateWebhook { url, events: events.unwrap_or_default(), secret: None };
    match domain::webhooks::create(&services, &super::owner("add a webhook").await?, request).await {
        Ok(created) => {
            crate::api::flash::keep::<CreateDashboardWebhook>(&created).await?;
            Ok(created)
        }
        Err(e) => {
            crate::api::flash::keep_refused::<CreateDashboardWebhook>(&sent).await?;
            Err(e)
        }
    }
}

/// A new signing secret for an endpoint, as `POST /v1/webhooks/:id/rotate_secret`; shown once.
#[server(endpoint = "dashboard/webhooks/rotate_secret")]
pub async fn rotate_dashboard_webhook_secret(endpoint_id: String) -> Result<WebhookEndpoint, Error> {
    let services = crate::api::services()?;
    let rotated =
        domain::webhooks::rotate_secret(&services, &super::owner("rotate a webhook secret").await?, &endpoint_id)
            .await?;
    crate::api::flash::keep::<RotateDashboardWebhookSecret>(&rotated).await?;
    Ok(rotated)
}

/// Sends a delivery again now, as `POST /v1/webhooks/:id/deliveries/:delivery_id/retry`.
#[server(endpoint = "dashboard/webhooks/redeliver")]
pub async fn redeliver_dashboard_webhook(endpoint_id: String, delivery_id: String) -> Result<Delivery, Error> {
    let services = crate::api::services()?;
    domain::webhooks::retry(&services, &super::owner("redeliver a webhook").await?, &endpoint_id, &delivery_id).await
}

/// Removes an endpoint, as `DELETE /v1/webhooks/:id`.
#[server(endpoint = "dashboard/webhooks/delete")]
pub async fn delete_dashboard_webhook(endpoint_id: String) -> Result<WebhookEndpoint, Error> {
    let services = crate::api::services()?;
    domain::webhooks::delete(&services, &super::owner("remove a webhook").await?, &endpoint_id).await
}
