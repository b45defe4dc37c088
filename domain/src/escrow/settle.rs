//! Settling a booking's escrow: [`decide`] in the transaction that settles the booking (the
//! split, the payout it owes, and the gateway calls it needs, journaled), then [`carry_out`]
//! those calls after it commits and record each outcome in the ledger.

use super::Terms;
use crate::caller::Caller;
use crate::entities::{bookings, gateway_operations, payouts, settlements, talent};
use crate::events::{self, DomainEvent};
use crate::ledger::{self, Kind};
use crate::money::Cents;
use crate::payments::Operation;
use crate::payments::journal::{self, Intent, Outcome};
use crate::status::{PayoutAction, PayoutStatus, SettlementAction, SettlementStatus};
use crate::transition::transition;
use crate::work_orders::Settlement;
use crate::{Error, Services, ids};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};

/// What settles, decided by the caller under the booking's guard.
pub struct Decision<'a> {
    pub caller: &'a Caller,
    pub booking: &'a bookings::Model,
    pub work_order_id: &'a str,
    pub dispute_id: Option<&'a str>,
    pub terms: Terms,
    /// The delivery QA evaluated and the principal accepted.
    pub delivery_set: Option<i32>,
}

/// Writes the settlement, the talent's payout and the journal intents of the gateway calls,
/// in the deciding transaction, and moves the task along; when it pays for the work
/// (acceptance, a dispute released or split) it also records `work_order.accepted`. Nothing
/// has moved yet when this commits.
pub async fn decide(conn: &impl ConnectionTrait, d: Decision<'_>) -> Result<settlements::Model, Error> {
    let Decision { caller, booking, work_order_id, dispute_id, terms, delivery_set } = d;
    let hold = booking
        .escrow_ref
        .as_deref()
        .ok_or_else(|| Error::internal(format!("booking {} settles without a hold", booking.id)))?;
    let now = crate::time::now();
    let settlement = settlements::Model {
        id: ids::new_id("stl"),
        booking_id: booking.id.clone(),
        principal_id: booking.principal_id.clone(),
        work_order_id: Some(work_order_id.to_owned()),
        dispute_id: dispute_id.map(str::to_owned),
        kind: terms.kind,
        captured_cents: terms.captured.0,
        talent_cents: terms.talent.0,
        fee_cents: terms.fee.0,
        refunded_cents: terms.refunded.0,
        currency: booking.currency.clone(),
        delivery_set,
        status: SettlementStatus::Pending,
        error: None,
        created_at: now,
        recorded_at: None,
    };
    settlements::Entity::insert(settlements::ActiveModel::from(settlement.clone()))
        .exec_without_returning(conn)
        .await?;
    let (operation, amount) = if terms.captured.0 > 0 {
        (Operation::Capture, terms.captured)
    } else {
        (Operation::Release, Cents(booking.amount_cents))
    };
    let intent = |operation, amount, subject, key, payout_id| Intent {
        mode: caller.mode,
        principal_id: &booking.principal_id,
        booking_id: &booking.id,
        operation,
        amount,
        currency: &booking.currency,
        subject,
        idempotency_key: key,
        settlement_id: Some(&settlement.id),
        payout_id,
    };
    journal::write(conn, intent(operation, amount, hold, journal::key(&booking.id, operation), None)).await?;
    if terms.talent.0 > 0 {
        let payee = talent::Entity::find_by_id(booking.talent_id.clone())
            .one(conn)
            .await?
            .ok_or_else(|| Error::not_found("Talent"))?;
        let payout_id = ids::new_id("po");
        payouts::Entity::insert(payouts::ActiveModel {
            id: Set(payout_id.clone()),
            work_order_id: Set(work_order_id.to_owned()),
            talent_id: Set(booking.talent_id.clone()),
            principal_id: Set(booking.principal_id.clone()),
            amount_cents: Set(terms.talent.0),
            currency: Set(booking.currency.clone()),
            transfer_ref: Set(None),
            status: Set(PayoutStatus::Pending),
            created_at: Set(now),
            booking_id: Set(Some(booking.id.clone())),
            last_error: Set(None),
        })
        .exec_without_returning(conn)
        .await?;
        // A talent without a payout account keeps the money owed (payable) until they have one.
        if let Some(account) = &payee.payout_account_ref {
            let key = journal::key(&payout_id, Operation::Transfer);
            journal::write(conn, intent(Operation::Transfer, terms.talent, account, key, Some(&payout_id))).await?;
        }
    }
    crate::tasks::refresh_status(conn, &booking.task_id).await?;
    if terms.kind.completes() {
        let planned = view(conn, &settlement).await?;
        let accepted = events::WorkOrderAccepted {
            work_order_id: work_order_id.to_owned(),
            task_id: booking.task_id.clone(),
            booking_id: booking.id.clone(),
            settlement: planned,
        };
        events::emit(conn, &booking.principal_id, DomainEvent::WorkOrderAccepted(accepted)).await?;
    }
    Ok(settlement)
}

/// Makes the settlement's pending gateway calls in order and records each outcome. Stops at
/// the first call whose outcome is unknown (the gateway did not answer): the reconciler tries
/// it again later. Returns the settlement as it now stands.
pub async fn carry_out(svc: &Services, settlement_id: &str) -> Result<settlements::Model, Error> {
    for op in journal::pending_of_settlement(&svc.db, settlement_id).await? {
        if op.operation == Operation::Transfer
            && find(&svc.db, settlement_id).await?.status != SettlementStatus::Recorded
        {
            // Money is paid out only once the escrow was really captured.
            break;
        }
        let outcome = journal::execute(svc, &op).await?;
        match op.operation {
            Operation::Capture | Operation::Release => record_escrow(svc, &op, &outcome).await?,
            Operation::Transfer => record_transfer(svc, &op, &outcome).await?,
            other => return Err(Error::internal(format!("a settlement has a {} operation", other.as_str()))),
        }
        if matches!(outcome, Outcome::Unknown(_)) {
            break;
        }
    }
    find(&svc.db, settlement_id).await
}

async fn find(conn: &impl ConnectionTrait, id: &str) -> Result<settlements::Model, Error> {
    settlements::Entity::find_by_id(id.to_owned()).one(conn).await?.ok_or_else(|| Error::not_found("Settlement"))
}

/// The capture or release is done (or refused): the ledger takes the escrow apart exactly as
/// decided, or the settlement is marked failed.
async fn record_escrow(svc: &Services, op: &gateway_operations::Model, outcome: &Outcome) -> Result<(), Error> {
    let txn = svc.db.begin().await?;
    if !journal::record(&txn, op, outcome).await? {
        txn.commit().await?;
        return Ok(());
    }
    let id = op.settlement_id.as_deref().ok_or_else(|| Error::internal(format!("{} has no settlement", op.id)))?;
    let s = find(&txn, id).await?;
    let booking = bookings::Entity::find_by_id(s.booking_id.clone())
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("Booking"))?;
    match outcome {
        Outcome::Done(_) => {
            transition::<settlements::Entity>(&txn, &s.id, s.status, SettlementAction::Record, |u| {
                u.col_expr(settlements::Column::RecordedAt, Expr::value(crate::time::now()))
            })
            .await?;
            let paid = if s.kind.completes() { Kind::Payout } else { Kind::ShowUpFee };
            ledger::post(
                &txn,
                &s.principal_id,
                Some(&s.booking_id),
                &s.currency,
                &[
                    (ledger::escrow(&s.booking_id), Cents(booking.amount_cents).negated(), Kind::EscrowRelease),
                    (ledger::talent_payable(&booking.talent_id), Cents(s.talent_cents), paid),
                    (ledger::PLATFORM_FEES.to_owned(), Cents(s.fee_cents), Kind::PlatformFee),
                    (ledger::funding(&s.principal_id), Cents(s.refunded_cents), Kind::Refund),
                ],
            )
            .await?;
        }
        Outcome::Declined { code, message } => {
            let why = format!("{code}: {message}");
            tracing::error!(settlement = %s.id, booking = %s.booking_id, "the gateway refused a settlement: {why}");
            transition::<settlements::Entity>(&txn, &s.id, s.status, SettlementAction::Fail, |u| {
                u.col_expr(settlements::Column::Error, Expr::value(why.clone()))
            })
            .await?;
            let refused = Outcome::Declined {
                code: "escrow_not_settled".into(),
                message: format!("the escrow was not settled: {why}"),
            };
            for transfer in journal::pending_of_settlement(&txn, &s.id).await? {
                journal::record(&txn, &transfer, &refused).await?;
                if let Some(payout) = &transfer.payout_id {
                    fail_payout(&txn, payout, &why).await?;
                }
            }
            bookings::Entity::update_many()
                .col_expr(bookings::Column::LastPaymentError, Expr::value(why))
                .filter(bookings::Column::Id.eq(&s.booking_id))
                .exec(&txn)
                .await?;
        }
        Outcome::Unknown(_) => {}
    }
    txn.commit().await?;
    Ok(())
}

async fn fail_payout(conn: &impl ConnectionTrait, payout_id: &str, why: &str) -> Result<(), Error> {
    transition::<payouts::Entity>(conn, payout_id, PayoutStatus::Pending, PayoutAction::Fail, |u| {
        u.col_expr(payouts::Column::LastError, Expr::value(why.to_owned()))
    })
    .await
    .map(|_| ())
}

/// The transfer to the talent is done (or refused): the payout is on its way, or stays owed.
async fn record_transfer(svc: &Services, op: &gateway_operations::Model, outcome: &Outcome) -> Result<(), Error> {
    let txn = svc.db.begin().await?;
    if !journal::record(&txn, op, outcome).await? {
        txn.commit().await?;
        return Ok(());
    }
    let payout_id = op.payout_id.as_deref().ok_or_else(|| Error::internal(format!("{} has no payout", op.id)))?;
    let payout =
        payouts::Entity::find_by_id(payout_id.to_owned()).one(&txn).await?.ok_or_else(|| Error::not_found("Payout"))?;
    match outcome {
        Outcome::Done(reference) => {
            transition::<payouts::Entity>(&txn, payout_id, payout.status, PayoutAction::Initiate, |u| {
                u.col_expr(payouts::Column::TransferRef, Expr::value(reference.clone()))
            })
            .await?;
            let amount = Cents(payout.amount_cents);
            ledger::post(
                &txn,
                &payout.principal_id,
                Some(&op.booking_id),
                &payout.currency,
                &[
                    (ledger::talent_payable(&payout.talent_id), amount.negated(), Kind::Payout),
                    (ledger::PAYOUTS_IN_TRANSIT.to_owned(), amount, Kind::Payout),
                ],
            )
            .await?;
            emit_payout(&txn, &payout, op.settlement_id.as_deref()).await?;
        }
        Outcome::Declined { code, message } => {
            tracing::warn!(payout = payout_id, "the gateway refused a payout: {code}: {message}");
            fail_payout(&txn, payout_id, &format!("{code}: {message}")).await?;
        }
        Outcome::Unknown(_) => {}
    }
    txn.commit().await?;
    Ok(())
}

async fn emit_payout(
    conn: &impl ConnectionTrait,
    payout: &payouts::Model,
    settlement_id: Option<&str>,
) -> Result<(), Error> {
    let amount = Cents(payout.amount_cents);
    let fee = match settlement_id {
        Some(id) => Cents(find(conn, id).await?.fee_cents),
        None => Cents::ZERO,
    };
    let initiated = events::PayoutInitiated {
        payout_id: payout.id.clone(),
        work_order_id: payout.work_order_id.clone(),
        talent_id: payout.talent_id.clone(),
        amount: amount.whole_dollars(),
        amount_cents: amount.0,
        fee_cents: fee.0,
        currency: payout.currency.clone(),
    };
    events::emit(conn, &payout.principal_id, DomainEvent::PayoutInitiated(initiated)).await?;
    Ok(())
}

/// A settlement as the API shows it: what was decided, and whether the money has moved.
pub async fn view(conn: &impl ConnectionTrait, s: &settlements::Model) -> Result<Settlement, Error> {
    let payout_id =
        payouts::Entity::find().filter(payouts::Column::BookingId.eq(&s.booking_id)).one(conn).await?.map(|p| p.id);
    let c = |cents: i64| Cents(cents).whole_dollars();
    Ok(Settlement {
        captured: c(s.captured_cents),
        talent_payout: c(s.talent_cents),
        platform_fee: c(s.fee_cents),
        refunded: c(s.refunded_cents),
        captured_cents: s.captured_cents,
        talent_payout_cents: s.talent_cents,
        platform_fee_cents: s.fee_cents,
        refunded_cents: s.refunded_cents,
        currency: s.currency.clone(),
        payout_id,
        status: s.status,
    })
}
