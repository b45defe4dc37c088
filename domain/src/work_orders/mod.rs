//! Work orders: what the talent delivers against a booking, its QA, changes, acceptance with
//! payout, and disputes.

use crate::files::FileObject;
use crate::status::WorkOrderStatus;
use crate::templates::DeliverableKind;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod accept;
#[cfg(feature = "server")]
mod deliver;
#[cfg(feature = "server")]
mod disputes;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use accept::*;
#[cfg(feature = "server")]
pub use deliver::*;
#[cfg(feature = "server")]
pub use disputes::*;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct WorkOrder {
    pub id: String,
    pub task_id: String,
    pub booking_id: String,
    pub talent_id: String,
    pub status: WorkOrderStatus,
    /// Counts deliveries: every registration replaces the set QA and acceptance look at.
    pub delivery_set: u32,
    pub changes_reason: Option<String>,
    /// The current delivery, with download links valid 15 minutes.
    pub deliverables: Vec<Deliverable>,
    pub accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Deliverable {
    pub id: String,
    pub kind: DeliverableKind,
    pub file: FileObject,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub metadata: serde_json::Value,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeliverableList {
    pub work_order_id: String,
    pub delivery_set: u32,
    pub data: Vec<Deliverable>,
}

/// `POST /v1/work_orders/:id/deliverables`: the complete delivery.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RegisterDeliverables {
    pub deliverables: Vec<DeliverableInput>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeliverableInput {
    pub kind: DeliverableKind,
    /// Uploaded files (`ready`) for this work order.
    pub file_ids: Vec<String>,
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub metadata: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestChanges {
    /// 1–5000 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 5000, pattern = r"[^\t\n\u000b\f\r ]"))]
    pub reason: String,
    /// Names of the QA checks to fix.
    #[serde(default)]
    pub checks: Option<Vec<String>>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptWork {
    /// Required to accept work whose QA failed; audited.
    #[serde(default)]
    pub r#override: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Settlement {
    /// Whole dollars; exact cents alongside.
    pub captured: i64,
    pub talent_payout: i64,
    pub platform_fee: i64,
    pub refunded: i64,
    pub captured_cents: i64,
    pub talent_payout_cents: i64,
    pub platform_fee_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    pub payout_id: Option<String>,
    /// `pending` until the gateway has moved the money and the ledger recorded it (a gateway
    /// that does not answer leaves it pending; it completes on its own), `recorded`, or
    /// `failed` (the gateway refused; the booking's `last_payment_error` says why).
    pub status: crate::status::SettlementStatus,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AcceptedWork {
    pub work_order: WorkOrder,
    pub settlement: Settlement,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OpenDispute {
    /// 1–5000 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 5000, pattern = r"[^\t\n\u000b\f\r ]"))]
    pub reason: String,
    /// Links, file ids, notes.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(value_type = Option<Object>))]
    pub evidence: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DisputeOutcome {
    /// Pay the talent as on acceptance (85 % / 15 %).
    Release,
    /// Everything back to the principal.
    Refund,
    /// `talent_share_pct` of the amount to the talent (less the fee), the rest back.
    Split,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveDispute {
    pub outcome: DisputeOutcome,
    /// 1–99, for `split`.
    #[serde(default, deserialize_with = "crate::whole::optional")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 99))]
    pub talent_share_pct: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Dispute {
    pub id: String,
    pub work_order_id: String,
    /// `principal` or `talent`.
    pub opened_by: String,
    pub reason: String,
    #[cfg_attr(feature = "server", schema(value_type = Object))]
    pub evidence: serde_json::Value,
    pub status: crate::status::DisputeStatus,
    pub outcome: Option<DisputeOutcome>,
    pub talent_share_pct: Option<u32>,
    pub settlement: Option<Settlement>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
}
