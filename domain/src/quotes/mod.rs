//! Invitations to quote, quotes, and accepting one.

use crate::status::QuoteStatus;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod invite;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use invite::*;
#[cfg(feature = "server")]
pub use service::*;

/// `POST /v1/tasks/:taskId/quote_requests`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct QuoteRequestInput {
    /// Invite exactly these talent; without it, the best-matching talent near the task.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(min_items = 1, max_items = 20))]
    pub talent_ids: Option<Vec<String>>,
    /// How many to invite at most (1–20, default 5).
    #[serde(default, deserialize_with = "crate::whole::optional")]
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 20))]
    pub max_invites: Option<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: String,
    pub talent_id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SkippedInvitation {
    pub talent_id: String,
    /// `already_invited`.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuoteRequestResult {
    pub task_id: String,
    /// Emailed a link to quote, now.
    pub invited: Vec<Invitation>,
    pub skipped: Vec<SkippedInvitation>,
}

/// `POST /v1/talent/:talentId/quote`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SubmitQuoteRequest {
    pub task_id: String,
    /// Whole dollars, in the task's currency, at least 1.
    #[cfg_attr(feature = "server", schema(value_type = i64, minimum = 1, maximum = 1_000_000))]
    pub amount: crate::money::Dollars,
    /// 1–2000 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 2000, pattern = r"[^\t\n\u000b\f\r ]"))]
    pub message: String,
    /// RFC 3339, when the talent proposes to start if not at the task's time.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(format = DateTime))]
    pub proposed_start: Option<String>,
}

/// `POST /v1/talent/:talentId/decline`: the talent will not quote on this task.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DeclineRequest {
    pub task_id: String,
    /// Why, for the agent: 1–1000 characters.
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 1000, pattern = r"[^\t\n\u000b\f\r ]"))]
    pub reason: String,
}

/// An invitation the talent declined; also the payload of `quote.declined`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DeclinedInvitation {
    pub invitation_id: String,
    pub task_id: String,
    pub talent_id: String,
    pub reason: String,
    pub declined_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Quote {
    pub id: String,
    pub task_id: String,
    pub talent_id: String,
    pub talent_name: String,
    /// Whole dollars.
    pub amount: i64,
    pub currency: String,
    pub message: String,
    pub proposed_start: Option<chrono::DateTime<chrono::Utc>>,
    pub status: QuoteStatus,
    /// A pending quote past this time is `expired` and cannot be accepted.
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct QuoteList {
    pub data: Vec<Quote>,
}

/// `POST /v1/quotes/:quoteId/accept`: the quote, and the task's other quotes now rejected.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AcceptedQuote {
    pub quote: Quote,
    pub rejected_quote_ids: Vec<String>,
}

/// What an invitation link shows the talent before they sign in.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct InvitationSummary {
    pub invitation_id: String,
    pub task_id: String,
    pub talent_id: String,
    pub title: String,
    pub task_type: String,
    pub address: Option<String>,
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub duration_hours: f64,
    /// Whole dollars.
    pub budget: i64,
    pub currency: String,
    pub task_status: crate::status::TaskStatus,
}
