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

/// The document describes its two forms (a cap with its currency, or no cap) as a `oneOf`:
/// the currency is required exactly when there is a cap.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SpendCapUpdate {
    /// Whole dollars per month; `null` removes the cap.
    pub monthly_cap: Option<crate::money::Dollars>,
    /// Required with a cap: USD, CAD, EUR, GBP or AUD.
    #[serde(default)]
    pub currency: Option<crate::money::Currency>,
}

#[cfg(feature = "server")]
impl utoipa::PartialSchema for SpendCapUpdate {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::{Ref, RefOr};
        let null = || ObjectBuilder::new().schema_type(Type::Null);
        let currency = || RefOr::<utoipa::openapi::schema::Schema>::Ref(Ref::from_schema_name("Currency"));
        let set = ObjectBuilder::new()
            .description(Some("Sets the cap: whole dollars per calendar month (UTC), in `currency`"))
            .property("monthly_cap", RefOr::Ref(Ref::from_schema_name("Dollars")))
            .property("currency", currency())
            .required("monthly_cap")
            .required("currency")
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
        let remove = ObjectBuilder::new()
            .description(Some("Removes the cap (`monthly_cap` null or absent; a currency is ignored)"))
            .property("monthly_cap", null())
            .property("currency", OneOfBuilder::new().item(null()).item(currency()))
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
        OneOfBuilder::new().item(set).item(remove).into()
    }
}

#[cfg(feature = "server")]
impl utoipa::ToSchema for SpendCapUpdate {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push((crate::money::Dollars::name().into_owned(), crate::money::Dollars::schema()));
        schemas.push((crate::money::Currency::name().into_owned(), crate::money::Currency::schema()));
    }
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
