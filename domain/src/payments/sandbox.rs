//! Play money with real books. The sandbox gateway keeps its own state in the database (holds
//! with what was captured and refunded, transfers, and its answer to every idempotency key)
//! and refuses what Stripe refuses: capturing a hold twice or above its amount, releasing a
//! captured hold, refunding more than was captured, reusing a key for another request.
//! Test cards say how they behave in their reference: `pm_sandbox_ok_…` always pays,
//! `pm_sandbox_decline_…` is declined.

use super::{CardOnFile, GatewayError, HoldRequest, PaymentGateway};
use crate::db::Db;
use crate::entities::{sandbox_holds, sandbox_requests, sandbox_transfers};
use crate::money::Cents;
use crate::status::{HoldAction, HoldStatus};
use crate::transition::transition;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseTransaction, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
    sea_query::OnConflict,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use std::time::Duration;

pub struct SandboxGateway {
    db: Db,
    public_url: String,
    /// How long every call takes, as a network call would (0 by default; tests widen races).
    latency: Duration,
}

/// How a sandbox test card behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TestCard {
    Ok,
    Decline,
}

/// One request, as the gateway receives it.
#[derive(Debug)]
enum Request<'a> {
    Hold { card: &'a str, amount: Cents, currency: &'a str, description: &'a str },
    Capture { hold: &'a str, amount: Cents },
    Release { hold: &'a str },
    Refund { hold: &'a str, amount: Cents },
    Transfer { destination: &'a str, amount: Cents, currency: &'a str },
}

impl Request<'_> {
    fn operation(&self) -> &'static str {
        match self {
            Request::Hold { .. } => "hold",
            Request::Capture { .. } => "capture",
            Request::Release { .. } => "release",
            Request::Refund { .. } => "refund",
            Request::Transfer { .. } => "transfer",
        }
    }
}

/// What the gateway answered: a reference, or a refusal with its code.
type Answer = Result<String, (String, String)>;

fn refuse(code: &str, message: impl Into<String>) -> Answer {
    Err((code.to_owned(), message.into()))
}

fn unavailable(e: impl std::fmt::Display) -> GatewayError {
    GatewayError::Unavailable(format!("sandbox gateway: {e}"))
}

impl SandboxGateway {
    pub fn new(db: Db, public_url: impl Into<String>, latency: Duration) -> Self {
        SandboxGateway { db, public_url: public_url.into(), latency }
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

    /// Answers `request` once per idempotency key: the key is claimed first (a concurrent call
    /// with the same key waits for this one, then replays its answer), then the request is
    /// carried out on the gateway's books, in one transaction.
    async fn call(&self, key: &str, request: Request<'_>) -> Result<String, GatewayError> {
        if !self.latency.is_zero() {
            tokio::time::sleep(self.latency).await;
        }
        let fingerprint = format!("{request:?}");
        let txn = self.db.begin().await.map_err(unavailable)?;
        let claimed = sandbox_requests::Entity::insert(sandbox_requests::ActiveModel {
            idempotency_key: Set(key.to_owned()),
            operation: Set(request.operation().to_owned()),
            fingerprint: Set(fingerprint.clone()),
            outcome: Set(json!(null)),
            created_at: Set(crate::time::now()),
        })
        .on_conflict(OnConflict::column(sandbox_requests::Column::IdempotencyKey).do_nothing().to_owned())
        .exec_without_returning(&txn)
        .await
        .map_err(unavailable)?;
        if claimed == 0 {
            txn.rollback().await.map_err(unavailable)?;
            return self.replay(key, &fingerprint).await;
        }
        let answer = self.carry_out(&txn, key, &request).await.map_err(unavailable)?;
        let stored = match &answer {
            Ok(reference) => json!({ "ref": reference }),
            Err((code, message)) => json!({ "declined": { "code": code, "message": message } }),
        };
        sandbox_requests::Entity::update_many()
            .col_expr(sandbox_requests::Column::Outcome, Expr::value(stored))
            .filter(sandbox_requests::Column::IdempotencyKey.eq(key))
            .exec(&txn)
            .await
            .map_err(unavailable)?;
        txn.commit().await.map_err(unavailable)?;
        answer.map_err(|(code, message)| GatewayError::Declined { code, message })
    }

    async fn replay(&self, key: &str, fingerprint: &str) -> Result<String, GatewayError> {
        let seen = sandbox_requests::Entity::find_by_id(key.to_owned())
            .one(&self.db)
            .await
            .map_err(unavailable)?
            .ok_or_else(|| unavailable("an idempotency key vanished"))?;
        if seen.fingerprint != fingerprint {
            return Err(GatewayError::Declined {
                code: "idempotency_error".into(),
                message: format!("Keys for idempotent requests can only be used with the same parameters ({key})"),
            });
        }
        replayed(&seen.outcome)
    }

    async fn carry_out(
        &self,
        txn: &DatabaseTransaction,
        key: &str,
        request: &Request<'_>,
    ) -> Result<Answer, crate::Error> {
        let now = crate::time::now();
        Ok(match *request {
            Request::Hold { card, amount, currency, description } => {
                if card.starts_with("pm_sandbox_decline_") {
                    return Ok(refuse("card_declined", "The sandbox test card was declined"));
                }
                if !card.starts_with("pm_sandbox_ok_") {
                    return Ok(refuse("invalid_payment_method", "Not a sandbox test card"));
                }
                if amount.0 <= 0 {
                    return Ok(refuse("amount_too_small", "Nothing to hold"));
                }
                let reference = Self::reference("hold", key);
                sandbox_holds::Entity::insert(sandbox_holds::ActiveModel {
                    reference: Set(reference.clone()),
                    idempotency_key: Set(key.to_owned()),
                    payment_method_ref: Set(card.to_owned()),
                    amount_cents: Set(amount.0),
                    currency: Set(currency.to_owned()),
                    captured_cents: Set(0),
                    refunded_cents: Set(0),
                    status: Set(HoldStatus::Authorized),
                    description: Set(description.to_owned()),
                    created_at: Set(now),
                    updated_at: Set(now),
                })
                .exec_without_returning(txn)
                .await?;
                Ok(reference)
            }
            Request::Capture { hold, amount } => {
                let Some(h) = sandbox_holds::Entity::find_by_id(hold.to_owned()).one(txn).await? else {
                    return Ok(refuse("resource_missing", format!("No such payment_intent: {hold}")));
                };
                if h.status != HoldStatus::Authorized {
                    return Ok(unexpected_state(&h, "captured"));
                }
                if amount.0 <= 0 {
                    return Ok(refuse("amount_too_small", "Capture at least one cent, or release the hold"));
                }
                if amount.0 > h.amount_cents {
                    return Ok(refuse("amount_too_large", "The amount to capture exceeds the amount capturable"));
                }
                transition::<sandbox_holds::Entity>(txn, hold, h.status, HoldAction::Capture, |u| {
                    u.col_expr(sandbox_holds::Column::CapturedCents, Expr::value(amount.0))
                })
                .await?;
                Ok(Self::reference("ch", key))
            }
            Request::Release { hold } => {
                let Some(h) = sandbox_holds::Entity::find_by_id(hold.to_owned()).one(txn).await? else {
                    return Ok(refuse("resource_missing", format!("No such payment_intent: {hold}")));
                };
                if h.status != HoldStatus::Authorized {
                    return Ok(unexpected_state(&h, "canceled"));
                }
                transition::<sandbox_holds::Entity>(txn, hold, h.status, HoldAction::Release, |u| u).await?;
                Ok(h.reference)
            }
            Request::Refund { hold, amount } => {
                let Some(h) = sandbox_holds::Entity::find_by_id(hold.to_owned()).one(txn).await? else {
                    return Ok(refuse("resource_missing", format!("No such charge for payment_intent: {hold}")));
                };
                if h.status != HoldStatus::Captured {
                    return Ok(unexpected_state(&h, "refunded"));
                }
                if amount.0 <= 0 {
                    return Ok(refuse("amount_too_small", "Refund at least one cent"));
                }
                if h.refunded_cents + amount.0 > h.captured_cents {
                    return Ok(refuse(
                        "amount_too_large",
                        format!(
                            "Refund amount ({}) is greater than unrefunded amount on charge ({})",
                            amount.0,
                            h.captured_cents - h.refunded_cents
                        ),
                    ));
                }
                transition::<sandbox_holds::Entity>(txn, hold, h.status, HoldAction::Refund, |u| {
                    u.col_expr(sandbox_holds::Column::RefundedCents, Expr::value(h.refunded_cents + amount.0))
                })
                .await?;
                Ok(Self::reference("re", key))
            }
            Request::Transfer { destination, amount, currency } => {
                if !destination.starts_with("acct_sandbox_") {
                    return Ok(refuse("account_invalid", format!("No such destination: {destination}")));
                }
                if amount.0 <= 0 {
                    return Ok(refuse("amount_too_small", "Transfer at least one cent"));
                }
                let reference = Self::reference("tr", key);
                sandbox_transfers::Entity::insert(sandbox_transfers::ActiveModel {
                    reference: Set(reference.clone()),
                    idempotency_key: Set(key.to_owned()),
                    destination: Set(destination.to_owned()),
                    amount_cents: Set(amount.0),
                    currency: Set(currency.to_owned()),
                    created_at: Set(now),
                })
                .exec_without_returning(txn)
                .await?;
                Ok(reference)
            }
        })
    }
}

fn unexpected_state(hold: &sandbox_holds::Model, wanted: &str) -> Answer {
    refuse(
        "payment_intent_unexpected_state",
        format!("This PaymentIntent could not be {wanted} because it is {}", hold.status),
    )
}

fn replayed(outcome: &Value) -> Result<String, GatewayError> {
    if let Some(reference) = outcome["ref"].as_str() {
        return Ok(reference.to_owned());
    }
    match outcome["declined"].as_object() {
        Some(d) => Err(GatewayError::Declined {
            code: d.get("code").and_then(Value::as_str).unwrap_or("declined").to_owned(),
            message: d.get("message").and_then(Value::as_str).unwrap_or_default().to_owned(),
        }),
        None => Err(unavailable("a request with this idempotency key is still in progress")),
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
        let HoldRequest { payment_method_ref, amount, currency, idempotency_key, description } = request;
        self.call(idempotency_key, Request::Hold { card: payment_method_ref, amount, currency, description }).await
    }

    async fn capture(&self, hold_ref: &str, amount: Cents, idempotency_key: &str) -> Result<String, GatewayError> {
        self.call(idempotency_key, Request::Capture { hold: hold_ref, amount }).await
    }

    async fn release(&self, hold_ref: &str, idempotency_key: &str) -> Result<String, GatewayError> {
        self.call(idempotency_key, Request::Release { hold: hold_ref }).await
    }

    async fn refund(&self, hold_ref: &str, amount: Cents, idempotency_key: &str) -> Result<String, GatewayError> {
        self.call(idempotency_key, Request::Refund { hold: hold_ref, amount }).await
    }

    async fn transfer(
        &self,
        destination: &str,
        amount: Cents,
        currency: &str,
        idempotency_key: &str,
    ) -> Result<String, GatewayError> {
        self.call(idempotency_key, Request::Transfer { destination, amount, currency }).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn gateway() -> (SandboxGateway, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::db::connect(&format!("sqlite://{}/gw.db", dir.path().display()), 1).await.unwrap();
        crate::db::migrate(&db).await.unwrap();
        (SandboxGateway::new(db, "http://x", Duration::ZERO), dir)
    }

    fn hold<'a>(card: &'a str, key: &'a str) -> HoldRequest<'a> {
        HoldRequest {
            payment_method_ref: card,
            amount: Cents(30_000),
            currency: "CAD",
            idempotency_key: key,
            description: "t",
        }
    }

    fn code(result: Result<String, GatewayError>) -> String {
        match result {
            Err(GatewayError::Declined { code, .. }) => code,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn test_cards_behave_as_named_and_a_key_holds_once() {
        let (gw, _dir) = gateway().await;
        let ok = SandboxGateway::test_card(TestCard::Ok, "1").gateway_ref;
        let bad = SandboxGateway::test_card(TestCard::Decline, "2").gateway_ref;
        let a = gw.hold(hold(&ok, "k1")).await.unwrap();
        assert_eq!(a, gw.hold(hold(&ok, "k1")).await.unwrap(), "the same key answers the same hold");
        assert_ne!(a, gw.hold(hold(&ok, "k2")).await.unwrap());
        let holds = sandbox_holds::Entity::find().all(&gw.db).await.unwrap();
        assert_eq!(holds.len(), 2, "a replayed key holds nothing more");
        assert_eq!(code(gw.hold(hold(&bad, "k3")).await), "card_declined");
        assert_eq!(code(gw.hold(hold(&bad, "k3")).await), "card_declined", "a refusal replays too");
        let other = HoldRequest { amount: Cents(1), ..hold(&ok, "k1") };
        assert_eq!(code(gw.hold(other).await), "idempotency_error", "a key reused for another request");
        assert_eq!(gw.setup_url("tok").await.unwrap(), "http://x/billing/sandbox/tok");
    }

    #[tokio::test]
    async fn it_refuses_what_stripe_refuses() {
        let (gw, _dir) = gateway().await;
        let ok = SandboxGateway::test_card(TestCard::Ok, "1").gateway_ref;
        let h = gw.hold(hold(&ok, "h1")).await.unwrap();
        assert_eq!(code(gw.capture(&h, Cents(30_001), "c0").await), "amount_too_large");
        let charge = gw.capture(&h, Cents(20_000), "c1").await.unwrap();
        assert_eq!(gw.capture(&h, Cents(20_000), "c1").await.unwrap(), charge, "a retried capture is the same capture");
        assert_eq!(code(gw.capture(&h, Cents(1), "c2").await), "payment_intent_unexpected_state", "captured twice");
        assert_eq!(code(gw.release(&h, "r1").await), "payment_intent_unexpected_state", "released after capture");
        gw.refund(&h, Cents(15_000), "f1").await.unwrap();
        assert_eq!(code(gw.refund(&h, Cents(5_001), "f2").await), "amount_too_large", "more than was captured");
        gw.refund(&h, Cents(5_000), "f3").await.unwrap();
        let row = sandbox_holds::Entity::find_by_id(h.clone()).one(&gw.db).await.unwrap().unwrap();
        assert_eq!((row.captured_cents, row.refunded_cents, row.status), (20_000, 20_000, HoldStatus::Captured));

        let released = gw.hold(hold(&ok, "h2")).await.unwrap();
        gw.release(&released, "r2").await.unwrap();
        assert_eq!(code(gw.capture(&released, Cents(1), "c3").await), "payment_intent_unexpected_state");
        assert_eq!(code(gw.capture("hold_sandbox_nope", Cents(1), "c4").await), "resource_missing");
        assert_eq!(code(gw.transfer("acct_other", Cents(1), "CAD", "t1").await), "account_invalid");
        gw.transfer("acct_sandbox_tal", Cents(8_500), "CAD", "t2").await.unwrap();
        gw.transfer("acct_sandbox_tal", Cents(8_500), "CAD", "t2").await.unwrap();
        assert_eq!(sandbox_transfers::Entity::find().all(&gw.db).await.unwrap().len(), 1, "one transfer per key");
    }
}
