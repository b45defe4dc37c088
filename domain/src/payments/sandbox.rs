use super::{CardOnFile, GatewayError, HoldRequest, PaymentGateway};
use crate::money::Cents;
use sha2::{Digest, Sha256};

/// Play money, no network, same answers for the same inputs. Test cards say how they behave
/// in their reference: `pm_sandbox_ok_…` always pays, `pm_sandbox_decline_…` is declined.
pub struct SandboxGateway {
    public_url: String,
}

/// How a sandbox test card behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestCard {
    Ok,
    Decline,
}

impl SandboxGateway {
    pub fn new(public_url: impl Into<String>) -> Self {
        SandboxGateway { public_url: public_url.into() }
    }

    /// A new test card. `seed` makes its reference unique.
    pub fn test_card(card: TestCard, seed: &str) -> CardOnFile {
        let (kind, last4) = match card {
            TestCard::Ok => ("ok", "4242"),
            TestCard::Decline => ("decline", "0002"),
        };
        CardOnFile { gateway_ref: format!("pm_sandbox_{kind}_{seed}"), brand: "visa".into(), last4: last4.into() }
    }

    fn reference(prefix: &str, key: &str) -> String {
        format!("{prefix}_sandbox_{}", &hex::encode(Sha256::digest(key.as_bytes()))[..24])
    }
}

#[async_trait::async_trait]
impl PaymentGateway for SandboxGateway {
    fn name(&self) -> &'static str {
        "sandbox"
    }

    async fn setup_url(&self, session_token: &str) -> Result<String, GatewayError> {
        Ok(format!("{}/billing/sandbox/{session_token}", self.public_url.trim_end_matches('/')))
    }

    async fn hold(&self, request: HoldRequest<'_>) -> Result<String, GatewayError> {
        if request.payment_method_ref.starts_with("pm_sandbox_decline_") {
            return Err(GatewayError::Declined {
                code: "card_declined".into(),
                message: "The sandbox test card was declined".into(),
            });
        }
        if !request.payment_method_ref.starts_with("pm_sandbox_ok_") {
            return Err(GatewayError::Declined {
                code: "invalid_payment_method".into(),
                message: "Not a sandbox test card".into(),
            });
        }
        if request.amount.0 <= 0 {
            return Err(GatewayError::Declined { code: "amount_too_small".into(), message: "Nothing to hold".into() });
        }
        Ok(Self::reference("hold", request.idempotency_key))
    }

    async fn capture(&self, hold_ref: &str, _amount: Cents, idempotency_key: &str) -> Result<String, GatewayError> {
        if !hold_ref.starts_with("hold_sandbox_") {
            return Err(GatewayError::Declined { code: "no_such_hold".into(), message: hold_ref.into() });
        }
        Ok(Self::reference("ch", idempotency_key))
    }

    async fn release(&self, hold_ref: &str, _idempotency_key: &str) -> Result<(), GatewayError> {
        if !hold_ref.starts_with("hold_sandbox_") {
            return Err(GatewayError::Declined { code: "no_such_hold".into(), message: hold_ref.into() });
        }
        Ok(())
    }

    async fn transfer(
        &self,
        destination: &str,
        _amount: Cents,
        _currency: &str,
        idempotency_key: &str,
    ) -> Result<String, GatewayError> {
        if !destination.starts_with("acct_sandbox_") {
            return Err(GatewayError::Declined { code: "no_such_account".into(), message: destination.into() });
        }
        Ok(Self::reference("tr", idempotency_key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hold<'a>(card: &'a str, key: &'a str) -> HoldRequest<'a> {
        HoldRequest {
            payment_method_ref: card,
            amount: Cents(30_000),
            currency: "CAD",
            idempotency_key: key,
            description: "t",
        }
    }

    #[tokio::test]
    async fn test_cards_behave_as_named_and_holds_are_deterministic() {
        let gw = SandboxGateway::new("http://x");
        let ok = SandboxGateway::test_card(TestCard::Ok, "1").gateway_ref;
        let bad = SandboxGateway::test_card(TestCard::Decline, "2").gateway_ref;
        let a = gw.hold(hold(&ok, "bkg_1")).await.unwrap();
        assert_eq!(a, gw.hold(hold(&ok, "bkg_1")).await.unwrap());
        assert_ne!(a, gw.hold(hold(&ok, "bkg_2")).await.unwrap());
        assert!(
            matches!(gw.hold(hold(&bad, "bkg_3")).await, Err(GatewayError::Declined { code, .. }) if code == "card_declined")
        );
        assert!(gw.release(&a, "r").await.is_ok());
        assert_eq!(gw.setup_url("tok").await.unwrap(), "http://x/billing/sandbox/tok");
    }
}
