//! The boundary to whoever really moves money. `sandbox` keeps play-money books of its own, as
//! a real gateway would; a Stripe gateway (PaymentIntents with manual capture for escrow,
//! Connect transfers for payouts) implements the same trait. Every call goes through the
//! [`journal`]: written down before it is made, its outcome recorded after.

pub mod journal;
pub mod sandbox;
pub use sandbox::SandboxGateway;

use crate::money::Cents;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GatewayError {
    /// The gateway refused (a declined card, a hold in the wrong state): retrying the same
    /// request gets the same answer.
    #[error("{message} ({code})")]
    Declined { code: String, message: String },
    /// The gateway could not be reached, or did not say what happened: the same request, with
    /// the same idempotency key, may be sent again.
    #[error("payment gateway unavailable: {0}")]
    Unavailable(String),
}

/// What a journaled gateway call does.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, sea_orm::EnumIter, sea_orm::DeriveActiveEnum,
)]
#[sea_orm(rs_type = "String", db_type = "Text")]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// Authorise the booked amount on the principal's card (escrow).
    #[sea_orm(string_value = "hold")]
    Hold,
    /// Take part or all of a hold; the rest goes back to the card.
    #[sea_orm(string_value = "capture")]
    Capture,
    /// Let a hold go entirely.
    #[sea_orm(string_value = "release")]
    Release,
    /// Give back part of what was captured.
    #[sea_orm(string_value = "refund")]
    Refund,
    /// Send money to a talent's payout account.
    #[sea_orm(string_value = "transfer")]
    Transfer,
}

impl Operation {
    pub const fn as_str(self) -> &'static str {
        match self {
            Operation::Hold => "hold",
            Operation::Capture => "capture",
            Operation::Release => "release",
            Operation::Refund => "refund",
            Operation::Transfer => "transfer",
        }
    }
}

/// A card attached to a principal at the gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct CardOnFile {
    pub gateway_ref: String,
    pub brand: String,
    pub last4: String,
}

/// Money held on a card until it is captured or released.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldRequest<'a> {
    pub payment_method_ref: &'a str,
    pub amount: Cents,
    pub currency: &'a str,
    /// The same key makes the same hold, so a retried call never holds twice.
    pub idempotency_key: &'a str,
    pub description: &'a str,
}

/// Every method takes an idempotency key: the same key with the same request answers what the
/// first call answered, without moving money again; the same key with another request is
/// refused.
#[async_trait::async_trait]
pub trait PaymentGateway: Send + Sync {
    /// `sandbox` or `stripe`.
    fn name(&self) -> &'static str;

    /// Where the principal adds a card: a page of ours (sandbox) or Stripe Checkout.
    async fn setup_url(&self, session_token: &str) -> Result<String, GatewayError>;

    /// Holds `amount` on the card; returns the hold's reference.
    async fn hold(&self, request: HoldRequest<'_>) -> Result<String, GatewayError>;

    /// Captures `amount` (at most the hold) of an uncaptured hold; the rest is released.
    /// Returns the charge's reference.
    async fn capture(&self, hold_ref: &str, amount: Cents, idempotency_key: &str) -> Result<String, GatewayError>;

    /// Releases an uncaptured hold entirely. Returns the hold's reference.
    async fn release(&self, hold_ref: &str, idempotency_key: &str) -> Result<String, GatewayError>;

    /// Gives back `amount` of what a hold captured (at most what is left). Returns the
    /// refund's reference.
    async fn refund(&self, hold_ref: &str, amount: Cents, idempotency_key: &str) -> Result<String, GatewayError>;

    /// Sends `amount` to a talent's payout account. Returns the transfer's reference.
    async fn transfer(
        &self,
        destination: &str,
        amount: Cents,
        currency: &str,
        idempotency_key: &str,
    ) -> Result<String, GatewayError>;
}
