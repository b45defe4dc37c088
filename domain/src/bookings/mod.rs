//! Bookings: an accepted quote with its money held in escrow, the talent's GPS check-in, and
//! cancellation.

use crate::status::BookingStatus;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod checkin;
#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use checkin::*;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateBookingRequest {
    pub quote_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Booking {
    pub id: String,
    pub task_id: String,
    pub quote_id: String,
    pub talent_id: String,
    /// Created with the confirmation; `null` until then.
    pub work_order_id: Option<String>,
    /// Whole dollars.
    pub amount: i64,
    pub currency: String,
    pub status: BookingStatus,
    /// Whole dollars held in escrow now.
    pub escrow_held: i64,
    /// Why the last attempt to hold the money failed, while `pending_escrow`.
    pub last_payment_error: Option<String>,
    pub checkin: Option<Checkin>,
    pub cancellation: Option<Cancellation>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Checkin {
    pub at: chrono::DateTime<chrono::Utc>,
    pub lat: f64,
    pub lng: f64,
    pub accuracy_m: f64,
    /// From the task's point; `null` when the task has no coordinates.
    pub distance_m: Option<f64>,
    pub radius_m: u32,
    /// Within the radius, with GPS accuracy no worse than the radius.
    pub verified: bool,
    /// Why a check-in is unverified.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Cancellation {
    pub at: chrono::DateTime<chrono::Utc>,
    /// Whole dollars released back to the principal's card.
    pub released: i64,
    /// Whole dollars paid to the talent for showing up (cancelled after check-in).
    pub show_up_fee: i64,
    /// Exact cents of the two, which always add up to the booked amount.
    pub released_cents: i64,
    pub show_up_fee_cents: i64,
}

/// What the geofence says about a position.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Placement {
    /// From the task's point; `None` when the task has no coordinates.
    pub distance_m: Option<f64>,
    pub verified: bool,
    /// Why a position is not verified.
    pub note: Option<String>,
}

/// `POST /v1/bookings/:bookingId/checkin`, from the talent's phone.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckinRequest {
    #[cfg_attr(feature = "server", schema(minimum = -90, maximum = 90))]
    pub lat: f64,
    #[cfg_attr(feature = "server", schema(minimum = -180, maximum = 180))]
    pub lng: f64,
    /// The device's reported accuracy, metres (0–10000).
    #[cfg_attr(feature = "server", schema(minimum = 0, maximum = 10000))]
    pub accuracy_m: f64,
    /// RFC 3339; defaults to now. Live accounts: within 5 minutes of the server's clock.
    /// Sandbox accounts may set any time, to simulate the day of the job.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(format = DateTime))]
    pub at: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelBookingRequest {
    /// At most 1000 characters.
    #[serde(default)]
    #[cfg_attr(feature = "server", schema(max_length = 1000))]
    pub reason: Option<String>,
}
