//! Billing: a card on file (through the payment gateway) and a monthly spend cap.

use crate::principals::Mode;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BillingSetup {
    /// Open in a browser to add a card: a sandbox page, or Stripe Checkout for live accounts.
    pub url: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct PaymentMethod {
    pub id: String,
    pub gateway: String,
    pub brand: String,
    pub last4: String,
    pub is_default: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SpendCap {
    /// Whole dollars per calendar month (UTC); `null` when no cap is set.
    pub monthly_cap: Option<i64>,
    /// The cap's currency; bookings in another currency are refused while a cap is set.
    pub currency: Option<String>,
    /// Booked this month in the cap's currency (every currency when no cap is set), whole dollars.
    pub month_to_date: i64,
    pub remaining: Option<i64>,
    pub period_start: chrono::DateTime<chrono::Utc>,
    pub period_end: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SpendCapUpdate {
    /// Whole dollars per month; `null` removes the cap.
    pub monthly_cap: Option<crate::money::Dollars>,
    /// Required with a cap: USD, CAD, EUR, GBP or AUD.
    #[serde(default)]
    pub currency: Option<crate::money::Currency>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct BillingStatus {
    pub has_payment_method: bool,
    /// The default payment method (the newest card becomes the default when none is).
    pub payment_method: Option<PaymentMethod>,
    pub gateway: String,
    pub mode: Mode,
    pub spend_cap: SpendCap,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum TestCardKind {
    /// Always pays.
    Ok,
    /// Declined when money is held.
    Decline,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttachCardRequest {
    pub card: TestCardKind,
}
