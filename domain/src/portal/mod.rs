//! The talent portal: sign-in by one-time email link, and what a signed-in talent sees of
//! their own work. Talent act in the portal through the same services as with a token.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod bookings;
#[cfg(feature = "server")]
mod home;
#[cfg(feature = "server")]
mod quote;
#[cfg(feature = "server")]
mod sign_in;
#[cfg(feature = "server")]
mod work;
#[cfg(feature = "server")]
pub use bookings::*;
#[cfg(feature = "server")]
pub use home::*;
#[cfg(feature = "server")]
pub use quote::*;
#[cfg(feature = "server")]
pub use sign_in::*;
#[cfg(feature = "server")]
pub use work::*;

/// The key under which a portal session holds its talent's id.
pub const SESSION_TALENT_KEY: &str = "talent_id";

/// How long a sign-in link works, once.
pub const SIGN_IN_LINK_MINUTES: i64 = 15;

/// The talent a portal session belongs to.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalTalent {
    pub talent_id: String,
    pub name: String,
    /// `sandbox` or `live`.
    pub mode: String,
}

/// A task the talent was invited to quote on, with their quote when they sent one.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalInvitation {
    pub invitation_id: String,
    pub task_id: String,
    pub title: String,
    pub task_type: String,
    pub start_at: chrono::DateTime<chrono::Utc>,
    /// Whole dollars.
    pub budget: i64,
    pub currency: String,
    pub task_status: crate::status::TaskStatus,
    pub quote: Option<PortalQuote>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalQuote {
    pub id: String,
    /// Whole dollars.
    pub amount: i64,
    pub status: crate::status::QuoteStatus,
}

/// The portal's start page for a signed-in talent.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalHome {
    pub talent: PortalTalent,
    /// Newest first.
    pub invitations: Vec<PortalInvitation>,
    /// Soonest first: what is on, then what is coming, then what is over.
    pub bookings: Vec<PortalBooking>,
}

/// A job the talent is booked for, with what they need on the day: where, when, how close
/// counts as on site, and the money.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalBooking {
    pub booking_id: String,
    pub task_id: String,
    pub title: String,
    pub task_type: String,
    pub address: Option<String>,
    /// The point check-ins are measured from; `None` when the task has no coordinates.
    pub site: Option<crate::talent::GeoPoint>,
    pub radius_m: u32,
    /// A check-in that is not verified is refused (the template needs proof of place), not
    /// recorded as unverified.
    pub proof_of_place: bool,
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub end_at: chrono::DateTime<chrono::Utc>,
    /// When check-ins are taken.
    pub checkin_opens: chrono::DateTime<chrono::Utc>,
    pub checkin_closes: chrono::DateTime<chrono::Utc>,
    pub status: crate::status::BookingStatus,
    pub currency: String,
    /// The booked amount, exact cents.
    pub amount_cents: i64,
    /// Held on the principal's card for this job now.
    pub escrow_held_cents: i64,
    /// What the talent is paid when the work is accepted: the amount less the platform fee.
    pub payout_cents: i64,
    pub platform_fee_pct: u32,
    pub checkin: Option<crate::bookings::Checkin>,
    pub work_order_id: Option<String>,
    /// Set when the booking was cancelled: what went back to the principal and the talent's
    /// show-up share.
    pub cancellation: Option<crate::bookings::Cancellation>,
}

/// The work on a booking, as the talent does it: what to deliver, what QA checks, what they
/// uploaded, what they delivered and what QA or the agent said about it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalWork {
    pub work_order_id: String,
    pub status: crate::status::WorkOrderStatus,
    /// Counts deliveries; 0 before the first.
    pub delivery_set: u32,
    /// Why the agent asked for changes, while they are asked for.
    pub changes_reason: Option<String>,
    /// What the task asks to be delivered: `3 photos (jpeg)`.
    pub asks: Vec<String>,
    /// What QA checks: the template's acceptance tests.
    pub checks: Vec<crate::templates::AcceptanceTest>,
    /// Content types an upload may have (for the file picker).
    pub accept: Vec<String>,
    pub max_file_bytes: u64,
    /// Files uploaded for this work order that are ready, newest first.
    pub files: Vec<PortalFile>,
    /// QA's report on the current delivery, once it has run.
    pub qa: Option<crate::qa::QaReport>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalFile {
    pub id: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: Option<String>,
    /// Set when the file is in the current delivery: QA's checks name it.
    pub deliverable_id: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
