//! The talent portal: sign-in by one-time email link, and what a signed-in talent sees of
//! their own work. Talent act in the portal through the same services as with a token.

use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod bookings;
#[cfg(feature = "server")]
mod earnings;
#[cfg(feature = "server")]
mod home;
#[cfg(feature = "server")]
mod invitation;
#[cfg(feature = "server")]
mod profile;
#[cfg(feature = "server")]
mod quote;
#[cfg(feature = "server")]
mod sign_in;
#[cfg(feature = "server")]
mod work;
#[cfg(feature = "server")]
pub use bookings::*;
#[cfg(feature = "server")]
pub use earnings::*;
#[cfg(feature = "server")]
pub use home::*;
#[cfg(feature = "server")]
pub use invitation::{decline_invitation, invitation, written_in};
#[cfg(feature = "server")]
pub use profile::*;
#[cfg(feature = "server")]
pub use quote::*;
#[cfg(feature = "server")]
pub use sign_in::*;
#[cfg(feature = "server")]
pub use work::*;

/// The key under which a portal session holds its talent's id.
pub const SESSION_TALENT_KEY: &str = "talent_id";

/// The key under which a portal session holds the session generation it was signed in at.
pub const SESSION_GENERATION_KEY: &str = "talent_generation";

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
    /// The start written in the talent's time zone (UTC when they have none).
    pub start_local: String,
    /// Whole dollars.
    pub budget: i64,
    pub currency: String,
    pub task_status: crate::status::TaskStatus,
    pub quote: Option<PortalQuote>,
    /// Set when the talent declined the invitation.
    pub declined_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decline_reason: Option<String>,
}

/// One of the talent's invitations in full, in plain words.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalInvitationDetail {
    pub invitation: PortalInvitation,
    /// The template's name: `Product photos for e-commerce`.
    pub template_name: String,
    pub description: Option<String>,
    pub address: Option<String>,
    /// Where check-ins are measured from; `None` for a task without coordinates.
    pub site: Option<crate::talent::GeoPoint>,
    pub radius_m: u32,
    pub duration_hours: f64,
    /// The zone `invitation.start_local` is written in; `None`: UTC.
    pub time_zone: Option<String>,
    /// What the task's spec asks, row by row.
    pub spec: Vec<SpecItem>,
    /// What is to be delivered: `30 photos (jpeg)`.
    pub asks: Vec<String>,
    /// What QA will check.
    pub checks: Vec<crate::templates::AcceptanceTest>,
    /// The most a quote may be, whole dollars.
    pub max_quote: i64,
    /// Whether a quote may be above the budget (up to `max_quote`).
    pub counter_offers: bool,
}

/// One field of a task's spec: `Background: white`, with what the template says it means.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct SpecItem {
    pub label: String,
    pub value: String,
    pub help: Option<String>,
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
    /// Whether the talent has a passkey; without one the page offers to add one.
    pub has_passkey: bool,
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
    /// The four times above, written in the talent's time zone (UTC when they have none).
    pub local: LocalTimes,
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

/// A booking's times as the talent reads them: `Tue 8 Dec 2026, 10:00 EST`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct LocalTimes {
    pub start: String,
    pub end: String,
    pub checkin_opens: String,
    pub checkin_closes: String,
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

/// The talent's own profile, as they edit it, with what principals see of it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalProfile {
    pub talent_id: String,
    pub name: String,
    /// Where invitations and sign-in links go; not shown to principals.
    pub email: String,
    pub mode: String,
    pub skills: Vec<String>,
    pub task_types: Vec<crate::templates::TaskType>,
    /// The talent's home as they gave it.
    pub home: crate::talent::GeoPoint,
    /// What principals see of it: rounded to about a kilometre.
    pub home_area: crate::talent::GeoPoint,
    pub travel_radius_km: u32,
    pub portfolio_links: Vec<String>,
    /// An IANA name (`America/Toronto`); times on the talent's pages are written in it.
    pub time_zone: Option<String>,
    /// Whether an API token (`hd_talent_…`) works now; its value is shown only when made.
    pub has_token: bool,
    /// The passkeys the talent signs in with, oldest first.
    pub passkeys: Vec<crate::passkeys::SavedPasskey>,
    /// Every kind of job, with its template's name, for the form's choices.
    pub task_type_choices: Vec<TaskTypeChoice>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TaskTypeChoice {
    pub task_type: crate::templates::TaskType,
    pub name: String,
}

/// The portal's profile form as typed: lists one item per line (skills may also be
/// comma-separated), numbers as text, so that each field gets its own message.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ProfileForm {
    pub name: String,
    pub skills: String,
    pub task_types: Option<Vec<String>>,
    pub home_lat: String,
    pub home_lng: String,
    pub travel_radius_km: String,
    pub portfolio_links: String,
    pub time_zone: String,
}

/// What the talent earned and will earn, and where payouts go.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PortalEarnings {
    pub account: PayoutAccount,
    /// Booking by booking, in the order the portal lists bookings.
    pub earnings: Vec<Earning>,
    pub platform_fee_pct: u32,
}

/// Where the talent's payouts go.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PayoutAccount {
    /// The connected account payouts are transferred to; `None` until one is set up (money
    /// owed waits until then).
    pub reference: Option<String>,
    /// A sandbox talent's payouts are simulated: recorded, and no money moves.
    pub sandbox: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Earning {
    pub booking_id: String,
    pub title: String,
    pub start_at: chrono::DateTime<chrono::Utc>,
    pub currency: String,
    /// What the agent booked the job for, exact cents.
    pub amount_cents: i64,
    /// What the talent is paid (or will be) for it, exact cents.
    pub earned_cents: i64,
    pub status: EarningStatus,
    pub payout_id: Option<String>,
    /// The transfer's reference, once made.
    pub transfer_ref: Option<String>,
    /// Why the transfer failed.
    pub payout_error: Option<String>,
}

/// Where a booking's money stands for the talent.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EarningStatus {
    /// Held on the agent's card; paid when the work is accepted.
    Held,
    /// The work was accepted; the transfer is being made.
    PayoutPending,
    /// Transferred.
    Paid,
    /// The transfer failed (`payout_error` says why).
    PayoutFailed,
    /// Cancelled after check-in: the show-up share is owed.
    ShowUpFee,
    /// Cancelled before check-in: nothing is owed.
    Cancelled,
}
