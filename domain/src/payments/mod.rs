//! The boundary to whoever really moves money. `sandbox` is deterministic and offline; a
//! Stripe gateway (PaymentIntents with manual capture for escrow, Connect transfers for
//! payouts) implements the same trait.

pub mod sandbox;
pub use sandbox::SandboxGateway;

use crate::money::Cents;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GatewayError {
    /// The card or account refused: the caller should use another payment method.
    #[error("{message} ({code})")]
    Declined { code: String, message: String },
    /// The gateway could not be reached or failed; retrying may work.
    #[error("payment gateway unavailable: {0}")]
    Unavailable(String),
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
    /// The same key makes the same hold, so a retried booking never holds twice.
    pub idempotency_key: &'a str,
    pub description: &'a str,
}

#[async_trait::async_trait]
pub trait PaymentGateway: Send + Sync {
    /// `sandbox` or `stripe`.
    fn name(&self) -> &'static str;

    /// Where the principal adds a card: a page of ours (sandbox) or Stripe Checkout.
    async fn setup_url(&self, session_token: &str) -> Result<String, GatewayError>;

    /// Holds `amount` on the card; returns the hold's reference.
    async fn hold(&self, request: HoldRequest<'_>) -> Result<String, GatewayError>;

    /// Captures `amount` (at most the hold) of a hold; the rest is released.
    async fn capture(&self, hold_ref: &str, amount: Cents, idempotency_key: &str) -> Result<String, GatewayError>;

    /// Releases a hold entirely.
    async fn release(&self, hold_ref: &str, idempotency_key: &str) -> Result<(), GatewayError>;

    /// Sends `amount` to a talent's payout account.
    async fn transfer(
        &self,
        destination: &str,
        amount: Cents,
        currency: &str,
        idempotency_key: &str,
    ) -> Result<String, GatewayError>;
}
