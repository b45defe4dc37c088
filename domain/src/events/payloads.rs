//! What each event says: one struct per event type, the `data` of a webhook delivery and of
//! `GET /v1/events`. Services emit a `DomainEvent`, never a hand-built JSON object, so the
//! payloads are the ones documented under `webhooks` in `/openapi.json`.

use super::EventType;
use crate::bookings::Booking;
use crate::qa::QaStatus;
use crate::quotes::Quote;
use crate::tasks::Task;
use crate::work_orders::Settlement;
use serde::{Deserialize, Serialize};

/// `task.created`: a task was created (as a draft or open for quotes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TaskCreated {
    pub task: Task,
}

/// `task.policy_blocked`: booking a quote was refused by a rule (spend cap, no card, a live
/// account without a gateway); the booking did not happen.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TaskPolicyBlocked {
    pub task_id: String,
    pub quote_id: String,
    /// The refusal's message, as the API answered it.
    pub reason: String,
    /// The refusal's `details`, when it had any.
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub details: Option<serde_json::Value>,
}

/// `quote.requested`: a talent was invited to quote on the task (one event per invitation).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuoteRequested {
    pub invitation_id: String,
    pub task_id: String,
    pub talent_id: String,
}

/// `quote.received`: a talent quoted on the task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuoteReceived {
    pub quote: Quote,
}

/// `booking.confirmed`: the quote was booked and its amount is held in escrow.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BookingConfirmed {
    pub booking: Booking,
}

/// `booking.checkin_recorded`: the talent checked in on site (verified or not: see the
/// booking's `checkin`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BookingCheckinRecorded {
    pub booking: Booking,
}

/// `deliverable.registered`: the talent submitted a set of deliverables; QA runs next.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeliverableRegistered {
    pub work_order_id: String,
    pub task_id: String,
    /// 1 for the first delivery, one more for each redelivery after a change request.
    pub delivery_set: i32,
    pub deliverable_ids: Vec<String>,
}

/// `qa.completed`: QA evaluated a delivery set.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QaCompleted {
    pub work_order_id: String,
    pub delivery_set: i32,
    pub status: QaStatus,
    /// How many checks ran.
    pub check_count: u32,
    /// The names of the checks that failed (empty when it passed).
    pub failed_checks: Vec<String>,
}

/// `work_order.changes_requested`: the principal asked the talent to deliver again.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkOrderChangesRequested {
    pub work_order_id: String,
    pub task_id: String,
    pub reason: String,
    /// The checks the principal named as the ones to fix (may be empty).
    pub checks: Vec<String>,
}

/// `work_order.accepted`: the work was accepted (or a dispute released it) and settled.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkOrderAccepted {
    pub work_order_id: String,
    pub task_id: String,
    pub booking_id: String,
    pub settlement: Settlement,
}

/// `payout.initiated`: the talent's share is on its way to them.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PayoutInitiated {
    pub payout_id: String,
    pub work_order_id: String,
    pub talent_id: String,
    /// Whole dollars (rounded); `amount_cents` is exact.
    pub amount: i64,
    pub amount_cents: i64,
    /// The platform's fee kept from the captured amount, in cents.
    pub fee_cents: i64,
    pub currency: String,
}

/// Who acted: the principal (an agent's key or the dashboard), the talent, or the platform
/// itself (a timer, the reconciler).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Party {
    Principal,
    Talent,
    System,
}

impl Party {
    pub const fn as_str(self) -> &'static str {
        match self {
            Party::Principal => "principal",
            Party::Talent => "talent",
            Party::System => "system",
        }
    }
}

/// `dispute.opened`: the principal or the talent opened a dispute; the payout waits for it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DisputeOpened {
    pub dispute_id: String,
    pub work_order_id: String,
    pub opened_by: Party,
    pub reason: String,
}

/// Everything that happens, as the outbox stores it and webhooks deliver it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "type", content = "data")]
pub enum DomainEvent {
    #[serde(rename = "task.created")]
    TaskCreated(TaskCreated),
    #[serde(rename = "task.policy_blocked")]
    TaskPolicyBlocked(TaskPolicyBlocked),
    #[serde(rename = "quote.requested")]
    QuoteRequested(QuoteRequested),
    #[serde(rename = "quote.received")]
    QuoteReceived(QuoteReceived),
    /// A talent declined the invitation, with their reason.
    #[serde(rename = "quote.declined")]
    QuoteDeclined(crate::quotes::DeclinedInvitation),
    #[serde(rename = "booking.confirmed")]
    BookingConfirmed(BookingConfirmed),
    #[serde(rename = "booking.checkin_recorded")]
    BookingCheckinRecorded(BookingCheckinRecorded),
    #[serde(rename = "deliverable.registered")]
    DeliverableRegistered(DeliverableRegistered),
    #[serde(rename = "qa.completed")]
    QaCompleted(QaCompleted),
    #[serde(rename = "work_order.changes_requested")]
    WorkOrderChangesRequested(WorkOrderChangesRequested),
    #[serde(rename = "work_order.accepted")]
    WorkOrderAccepted(WorkOrderAccepted),
    #[serde(rename = "payout.initiated")]
    PayoutInitiated(PayoutInitiated),
    #[serde(rename = "dispute.opened")]
    DisputeOpened(DisputeOpened),
}

impl DomainEvent {
    pub fn event_type(&self) -> EventType {
        match self {
            DomainEvent::TaskCreated(_) => EventType::TaskCreated,
            DomainEvent::TaskPolicyBlocked(_) => EventType::TaskPolicyBlocked,
            DomainEvent::QuoteRequested(_) => EventType::QuoteRequested,
            DomainEvent::QuoteReceived(_) => EventType::QuoteReceived,
            DomainEvent::QuoteDeclined(_) => EventType::QuoteDeclined,
            DomainEvent::BookingConfirmed(_) => EventType::BookingConfirmed,
            DomainEvent::BookingCheckinRecorded(_) => EventType::BookingCheckinRecorded,
            DomainEvent::DeliverableRegistered(_) => EventType::DeliverableRegistered,
            DomainEvent::QaCompleted(_) => EventType::QaCompleted,
            DomainEvent::WorkOrderChangesRequested(_) => EventType::WorkOrderChangesRequested,
            DomainEvent::WorkOrderAccepted(_) => EventType::WorkOrderAccepted,
            DomainEvent::PayoutInitiated(_) => EventType::PayoutInitiated,
            DomainEvent::DisputeOpened(_) => EventType::DisputeOpened,
        }
    }

    /// The entity the event is about (`task`, `quote`, …) and its id: what `GET /v1/events`
    /// and the audit log are filtered by.
    pub fn subject(&self) -> (&'static str, &str) {
        match self {
            DomainEvent::TaskCreated(e) => ("task", &e.task.id),
            DomainEvent::TaskPolicyBlocked(e) => ("task", &e.task_id),
            DomainEvent::QuoteRequested(e) => ("task", &e.task_id),
            DomainEvent::QuoteReceived(e) => ("quote", &e.quote.id),
            DomainEvent::QuoteDeclined(e) => ("task", &e.task_id),
            DomainEvent::BookingConfirmed(e) => ("booking", &e.booking.id),
            DomainEvent::BookingCheckinRecorded(e) => ("booking", &e.booking.id),
            DomainEvent::DeliverableRegistered(e) => ("work_order", &e.work_order_id),
            DomainEvent::QaCompleted(e) => ("work_order", &e.work_order_id),
            DomainEvent::WorkOrderChangesRequested(e) => ("work_order", &e.work_order_id),
            DomainEvent::WorkOrderAccepted(e) => ("work_order", &e.work_order_id),
            DomainEvent::PayoutInitiated(e) => ("payout", &e.payout_id),
            DomainEvent::DisputeOpened(e) => ("dispute", &e.dispute_id),
        }
    }

    /// The `data` object, as stored and delivered.
    pub fn data(&self) -> Result<serde_json::Value, serde_json::Error> {
        let mut whole = serde_json::to_value(self)?;
        Ok(whole.get_mut("data").map(serde_json::Value::take).unwrap_or_default())
    }

    /// Reads a stored event back: its type and `data`.
    pub fn parse(event_type: &str, data: serde_json::Value) -> Result<DomainEvent, serde_json::Error> {
        serde_json::from_value(serde_json::json!({ "type": event_type, "data": data }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_data_reads_back_as_the_same_event() {
        let event = DomainEvent::QaCompleted(QaCompleted {
            work_order_id: "wo_1".into(),
            delivery_set: 2,
            status: QaStatus::Failed,
            check_count: 4,
            failed_checks: vec!["min_resolution".into()],
        });
        let data = event.data().unwrap();
        assert_eq!(data["failed_checks"][0], "min_resolution");
        assert!(data.get("type").is_none(), "the type is the event's, not the payload's");
        assert_eq!(DomainEvent::parse(event.event_type().as_str(), data).unwrap(), event);
        assert!(DomainEvent::parse("qa.completed", serde_json::json!({"work_order_id": "wo_1"})).is_err());
    }
}
