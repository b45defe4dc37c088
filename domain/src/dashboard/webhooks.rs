//! The dashboard's webhooks: the same endpoints and deliveries as `/v1/webhooks`.

use super::{EndpointPanel, WebhooksPage};
use crate::caller::Caller;
use crate::events::EventType;
use crate::{Error, Services};

/// The owner's endpoints, oldest first, each with its deliveries.
pub async fn webhooks_page(svc: &Services, caller: &Caller) -> Result<WebhooksPage, Error> {
    let mut endpoints = Vec::new();
    for endpoint in crate::webhooks::list(svc, caller).await?.data {
        let deliveries = crate::webhooks::deliveries(svc, caller, &endpoint.id).await?.data;
        endpoints.push(EndpointPanel { endpoint, deliveries });
    }
    Ok(WebhooksPage {
        endpoints,
        event_types: EventType::ALL.iter().map(|t| t.as_str().to_owned()).collect(),
        max_endpoints: crate::webhooks::MAX_ENDPOINTS,
    })
}
