//! Events: what happened, as the seed names it. Written to the outbox in the transaction of
//! the change — with its audit row when a caller made the change (`emit_audited`) — and read
//! from there by everything that reports it: webhooks, email, `GET /v1/events`.

use serde::{Deserialize, Serialize};

mod payloads;
pub use payloads::*;

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum EventType {
    #[serde(rename = "task.created")]
    TaskCreated,
    #[serde(rename = "task.policy_blocked")]
    TaskPolicyBlocked,
    #[serde(rename = "quote.requested")]
    QuoteRequested,
    #[serde(rename = "quote.received")]
    QuoteReceived,
    #[serde(rename = "quote.declined")]
    QuoteDeclined,
    #[serde(rename = "booking.confirmed")]
    BookingConfirmed,
    #[serde(rename = "booking.checkin_recorded")]
    BookingCheckinRecorded,
    #[serde(rename = "deliverable.registered")]
    DeliverableRegistered,
    #[serde(rename = "qa.completed")]
    QaCompleted,
    #[serde(rename = "work_order.changes_requested")]
    WorkOrderChangesRequested,
    #[serde(rename = "work_order.accepted")]
    WorkOrderAccepted,
    #[serde(rename = "payout.initiated")]
    PayoutInitiated,
    #[serde(rename = "dispute.opened")]
    DisputeOpened,
}

impl EventType {
    pub const ALL: [EventType; 13] = [
        EventType::TaskCreated,
        EventType::TaskPolicyBlocked,
        EventType::QuoteRequested,
        EventType::QuoteReceived,
        EventType::QuoteDeclined,
        EventType::BookingConfirmed,
        EventType::BookingCheckinRecorded,
        EventType::DeliverableRegistered,
        EventType::QaCompleted,
        EventType::WorkOrderChangesRequested,
        EventType::WorkOrderAccepted,
        EventType::PayoutInitiated,
        EventType::DisputeOpened,
    ];

    pub const fn as_str(self) -> &'static str {
        match self {
            EventType::TaskCreated => "task.created",
            EventType::TaskPolicyBlocked => "task.policy_blocked",
            EventType::QuoteRequested => "quote.requested",
            EventType::QuoteReceived => "quote.received",
            EventType::QuoteDeclined => "quote.declined",
            EventType::BookingConfirmed => "booking.confirmed",
            EventType::BookingCheckinRecorded => "booking.checkin_recorded",
            EventType::DeliverableRegistered => "deliverable.registered",
            EventType::QaCompleted => "qa.completed",
            EventType::WorkOrderChangesRequested => "work_order.changes_requested",
            EventType::WorkOrderAccepted => "work_order.accepted",
            EventType::PayoutInitiated => "payout.initiated",
            EventType::DisputeOpened => "dispute.opened",
        }
    }
}

/// An event as webhooks deliver it and `GET /v1/events` lists it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub created_at: chrono::DateTime<chrono::Utc>,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub data: serde_json::Value,
}

/// `GET /v1/events?after=&limit=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct EventQuery {
    /// The id of the last event seen; absent for the oldest.
    pub after: Option<String>,
    /// 1–100, default 20.
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 100))]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct EventList {
    /// Oldest first, in the order the changes committed.
    pub data: Vec<Event>,
    pub has_more: bool,
}

impl EventType {
    pub fn parse(text: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == text)
    }
}
