//! Every email we send, one file each: what it says — a subject, a sentence, the detail rows
//! and at most one link. [`super::render`] lays every one out the same way: HTML with the
//! `hd-details` table and a plain-text part with the same rows as `Label: value` lines, each
//! value escaped onto one line. Kept as code rather than in a template language so that the two
//! parts come from one list of rows and cannot drift apart, and so escaping has one path.
//!
//! The notifications among them are sent from committed events (`super::notify`); the sign-in
//! links are sent by their jobs, since a link must never travel in the event stream.

mod booking_confirmed;
mod changes_requested;
mod dashboard_sign_in_link;
mod deliverables_ready;
mod payout_initiated;
mod qa_completed;
mod quote_declined;
mod quote_received;
mod quote_requested;
mod sign_in_link;

pub use booking_confirmed::{booked_for_talent, booking_confirmed};
pub use changes_requested::changes_requested;
pub use dashboard_sign_in_link::dashboard_sign_in_link;
pub use deliverables_ready::deliverables_ready;
pub use payout_initiated::payout_initiated;
pub use qa_completed::qa_completed;
pub use quote_declined::quote_declined;
pub use quote_received::quote_received;
pub use quote_requested::quote_requested;
pub use sign_in_link::sign_in_link;

/// A time as the emails show it (and agents parse it): RFC 3339 in UTC, to the second.
fn when(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
