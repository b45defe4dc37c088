//! The gateway journal. Before any call to a payment gateway an intent row is committed, with
//! an idempotency key made of our ids and the operation; after the call, its outcome. A crash
//! in between leaves the row `pending`, and sending the same request again with the same key
//! is safe: the gateway answers what it answered the first time. The reconciler
//! (`escrow::reconcile`) does exactly that for every row left pending.

use super::{GatewayError, HoldRequest, Operation};
use crate::entities::gateway_operations;
use crate::money::Cents;
use crate::principals::Mode;
use crate::status::{GatewayOpAction, GatewayOpStatus};
use crate::transition::transition;
use crate::{Error, Services, ids};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};

/// A gateway call about to be made.
#[derive(Debug, Clone)]
pub struct Intent<'a> {
    pub mode: Mode,
    pub principal_id: &'a str,
    pub booking_id: &'a str,
    pub operation: Operation,
    pub amount: Cents,
    pub currency: &'a str,
    /// The card (hold), the hold (capture, release, refund) or the payout account (transfer).
    pub subject: &'a str,
    /// Our ids and the operation, e.g. `hd:bkg_…:capture`: one key per operation, never
    /// reused for another.
    pub idempotency_key: String,
    pub settlement_id: Option<&'a str>,
    pub payout_id: Option<&'a str>,
}

/// The key of `operation` on `id` (a booking, a payout, a hold attempt).
pub fn key(id: &str, operation: Operation) -> String {
    format!("hd:{id}:{}", operation.as_str())
}

/// Writes the intent down, `pending`, in the caller's transaction (which must commit before the
/// call is made).
pub async fn write(conn: &impl ConnectionTrait, intent: Intent<'_>) -> Result<gateway_operations::Model, Error> {
    let now = crate::time::now();
    let model = gateway_operations::Model {
        id: ids::new_id("gop"),
        principal_id: intent.principal_id.to_owned(),
        booking_id: intent.booking_id.to_owned(),
        mode: intent.mode.as_str().to_owned(),
        operation: intent.operation,
        amount_cents: intent.amount.0,
        currency: intent.currency.to_owned(),
        subject: intent.subject.to_owned(),
        idempotency_key: intent.idempotency_key,
        settlement_id: intent.settlement_id.map(str::to_owned),
        payout_id: intent.payout_id.map(str::to_owned),
        status: GatewayOpStatus::Pending,
        result_ref: None,
        error_code: None,
        error_message: None,
        attempts: 0,
        created_at: now,
        updated_at: now,
    };
    gateway_operations::Entity::insert(gateway_operations::ActiveModel::from(model.clone()))
        .exec_without_returning(conn)
        .await?;
    Ok(model)
}

/// What the gateway said.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Done; the gateway's reference.
    Done(String),
    /// Refused, for good.
    Declined { code: String, message: String },
    /// Not known: the gateway did not answer. The row stays pending and is tried again.
    Unknown(String),
}

/// Makes the journaled call (again, if it was made before: the key makes that safe).
pub async fn execute(svc: &Services, op: &gateway_operations::Model) -> Result<Outcome, Error> {
    let mode = Mode::parse(&op.mode).ok_or_else(|| Error::internal(format!("gateway operation {} mode", op.id)))?;
    let gateway = svc.gateway(mode)?;
    let (amount, key) = (Cents(op.amount_cents), op.idempotency_key.as_str());
    let result = match op.operation {
        Operation::Hold => {
            let description = format!("HumanDispatch booking {}", op.booking_id);
            gateway
                .hold(HoldRequest {
                    payment_method_ref: &op.subject,
                    amount,
                    currency: &op.currency,
                    idempotency_key: key,
                    description: &description,
                })
                .await
        }
        Operation::Capture => gateway.capture(&op.subject, amount, key).await,
        Operation::Release => gateway.release(&op.subject, key).await,
        Operation::Refund => gateway.refund(&op.subject, amount, key).await,
        Operation::Transfer => gateway.transfer(&op.subject, amount, &op.currency, key).await,
    };
    crate::fault::point(&format!("after_gateway:{}", op.operation.as_str()));
    Ok(match result {
        Ok(reference) => Outcome::Done(reference),
        Err(GatewayError::Declined { code, message }) => Outcome::Declined { code, message },
        Err(GatewayError::Unavailable(why)) => Outcome::Unknown(why),
    })
}

/// Records a known outcome in the caller's transaction: the row moves from `pending`, once.
/// `false` when it was no longer pending (another process recorded it first): the caller must
/// then leave the effects of the outcome to that process.
pub async fn record(
    conn: &impl ConnectionTrait,
    op: &gateway_operations::Model,
    outcome: &Outcome,
) -> Result<bool, Error> {
    let moved = match outcome {
        Outcome::Done(reference) => {
            transition::<gateway_operations::Entity>(
                conn,
                &op.id,
                GatewayOpStatus::Pending,
                GatewayOpAction::Succeed,
                |u| {
                    u.col_expr(gateway_operations::Column::ResultRef, Expr::value(reference.clone())).col_expr(
                        gateway_operations::Column::Attempts,
                        Expr::col(gateway_operations::Column::Attempts).add(1),
                    )
                },
            )
            .await
        }
        Outcome::Declined { code, message } => {
            transition::<gateway_operations::Entity>(
                conn,
                &op.id,
                GatewayOpStatus::Pending,
                GatewayOpAction::Fail,
                |u| {
                    u.col_expr(gateway_operations::Column::ErrorCode, Expr::value(code.clone()))
                        .col_expr(gateway_operations::Column::ErrorMessage, Expr::value(message.clone()))
                        .col_expr(
                            gateway_operations::Column::Attempts,
                            Expr::col(gateway_operations::Column::Attempts).add(1),
                        )
                },
            )
            .await
        }
        Outcome::Unknown(why) => {
            gateway_operations::Entity::update_many()
                .col_expr(gateway_operations::Column::ErrorMessage, Expr::value(why.clone()))
                .col_expr(gateway_operations::Column::Attempts, Expr::col(gateway_operations::Column::Attempts).add(1))
                .col_expr(gateway_operations::Column::UpdatedAt, Expr::value(crate::time::now()))
                .filter(gateway_operations::Column::Id.eq(&op.id))
                .exec(conn)
                .await?;
            return Ok(false);
        }
    };
    match moved {
        Ok(_) => Ok(true),
        Err(e) if e.code == crate::ErrorCode::PolicyBlocked => Ok(false),
        Err(e) => Err(e),
    }
}

/// The operations of a settlement still to be made, in the order they must happen (the
/// capture or release before the transfers).
pub async fn pending_of_settlement(
    conn: &impl ConnectionTrait,
    settlement_id: &str,
) -> Result<Vec<gateway_operations::Model>, Error> {
    let mut ops = gateway_operations::Entity::find()
        .filter(gateway_operations::Column::SettlementId.eq(settlement_id))
        .filter(gateway_operations::Column::Status.eq(GatewayOpStatus::Pending))
        .all(conn)
        .await?;
    ops.sort_by_key(|o| (o.operation == Operation::Transfer, o.created_at, o.id.clone()));
    Ok(ops)
}
