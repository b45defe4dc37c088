//! Webhooks: endpoints a principal registers, signed deliveries of their events with retries,
//! and every attempt on record.

use crate::events::EventType;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
pub mod dispatch;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub mod signature;
#[cfg(feature = "server")]
pub mod ssrf;
#[cfg(feature = "server")]
pub use service::*;

/// `POST /v1/webhooks`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateWebhook {
    /// https (http too for sandbox accounts); must not resolve to a private address.
    #[cfg_attr(feature = "server", schema(format = Uri, max_length = 2000))]
    pub url: String,
    /// Event types to receive; `["*"]` for all.
    #[cfg_attr(feature = "server", schema(schema_with = event_filter_schema))]
    pub events: Vec<String>,
    /// Signing secret, 16–256 characters without white space; generated (`whsec_…`) when absent.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(min_length = 16, max_length = 256))]
    pub secret: Option<String>,
}

/// The document's schema of an endpoint's `events`: one or more event types, or `*`.
#[cfg(feature = "server")]
fn event_filter_schema() -> utoipa::openapi::schema::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Type};
    let names = crate::events::EventType::ALL.iter().map(|t| t.as_str()).chain(["*"]);
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names)))
        .min_items(Some(1))
        .build()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookEndpoint {
    pub id: String,
    pub url: String,
    pub events: Vec<String>,
    /// `enabled`, or `disabled` (the receiver answered 410 Gone).
    pub status: crate::status::EndpointStatus,
    pub disabled_reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Only in the response that created the endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WebhookEndpointList {
    pub data: Vec<WebhookEndpoint>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeliveryAttempt {
    pub id: String,
    pub attempted_at: chrono::DateTime<chrono::Utc>,
    /// The receiver's HTTP status; absent when no answer came.
    pub status_code: Option<u16>,
    pub latency_ms: u64,
    /// The first 512 bytes of the answer.
    pub response_excerpt: Option<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Delivery {
    pub id: String,
    pub event_id: String,
    pub event_type: EventType,
    /// `pending` (retrying), `succeeded`, `failed` (retries exhausted), `abandoned` (endpoint
    /// disabled or deleted).
    pub status: crate::status::DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub attempt_log: Vec<DeliveryAttempt>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeliveryList {
    pub data: Vec<Delivery>,
}
