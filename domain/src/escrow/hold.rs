//! Holding a booking's amount on the principal's card, then confirming the booking. The hold
//! is journaled before it is made; a hold left pending by an earlier attempt (a crash, a gateway
//! that did not answer) is sent again under its own key instead of a new one, so booking again
//! never holds twice. A hold that no booking will use (the booking was cancelled meanwhile, or
//! the reconciler found it after a crash) is released.

use crate::caller::Caller;
use crate::entities::{bookings, gateway_operations, work_orders};
use crate::events::{self, DomainEvent};
use crate::ledger::{self, Kind};
use crate::money::Cents;
use crate::payments::Operation;
use crate::payments::journal::{self, Intent, Outcome};
use crate::status::{Blocked, BookingAction, BookingStatus, GatewayOpStatus, WorkOrderStatus};
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, ids};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
    sea_query::Expr,
};
use serde_json::json;

/// Holds the booking's amount on the card `card_ref` and confirms the booking (its work order,
/// ledger entries, event, audit row and emails). The caller is the principal booking.
pub async fn hold_and_confirm(
    svc: &Services,
    caller: &Caller,
    booking_id: &str,
    card_ref: &str,
) -> Result<bookings::Model, Error> {
    let txn = svc.db.begin().await?;
    let booking = find(&txn, booking_id).await?;
    // Takes the row: attempts on one booking queue here, and only a pending one gets a hold.
    transition::<bookings::Entity>(&txn, &booking.id, booking.status, BookingAction::Hold, |u| u).await?;
    let pending = gateway_operations::Entity::find()
        .filter(gateway_operations::Column::BookingId.eq(&booking.id))
        .filter(gateway_operations::Column::Operation.eq(Operation::Hold))
        .filter(gateway_operations::Column::Status.eq(GatewayOpStatus::Pending))
        .one(&txn)
        .await?;
    let op = match pending {
        Some(op) => op,
        None => {
            let attempt = gateway_operations::Entity::find()
                .filter(gateway_operations::Column::BookingId.eq(&booking.id))
                .filter(gateway_operations::Column::Operation.eq(Operation::Hold))
                .count(&txn)
                .await?
                + 1;
            journal::write(
                &txn,
                Intent {
                    mode: caller.mode,
                    principal_id: &booking.principal_id,
                    booking_id: &booking.id,
                    operation: Operation::Hold,
                    amount: Cents(booking.amount_cents),
                    currency: &booking.currency,
                    subject: card_ref,
                    idempotency_key: journal::key(&format!("{}:{attempt}", booking.id), Operation::Hold),
                    settlement_id: None,
                    payout_id: None,
                },
            )
            .await?
        }
    };
    txn.commit().await?;
    let outcome = journal::execute(svc, &op).await?;
    finish(svc, Some(caller), &op, &outcome).await
}

async fn find(conn: &impl ConnectionTrait, id: &str) -> Result<bookings::Model, Error> {
    bookings::Entity::find_by_id(id.to_owned()).one(conn).await?.ok_or_else(|| Error::not_found("Booking"))
}

/// Records a hold's outcome. With the booking principal as `confirm_as`, a hold that was made
/// confirms its booking; without (the reconciler), or when the booking is no longer waiting for
/// it, the hold is released.
pub(super) async fn finish(
    svc: &Services,
    confirm_as: Option<&Caller>,
    op: &gateway_operations::Model,
    outcome: &Outcome,
) -> Result<bookings::Model, Error> {
    let hold_ref = match outcome {
        Outcome::Unknown(why) => {
            journal::record(&svc.db, op, outcome).await?;
            return Err(Error::unavailable(
                "The payment gateway did not answer; book again to retry (the same hold is reused, never doubled)",
                why,
            )
            .with_details(json!({ "booking_id": op.booking_id, "current_status": "pending_escrow" })));
        }
        Outcome::Declined { code, message } => {
            let txn = svc.db.begin().await?;
            if journal::record(&txn, op, outcome).await? {
                bookings::Entity::update_many()
                    .col_expr(bookings::Column::LastPaymentError, Expr::value(format!("{code}: {message}")))
                    .filter(bookings::Column::Id.eq(&op.booking_id))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
            return Err(Error::new(
                ErrorCode::EscrowRequired,
                format!("The card was declined ({code}); add another card with POST /v1/billing/setup and book again"),
            )
            .with_details(
                json!({ "decline_code": code, "booking_id": op.booking_id, "current_status": "pending_escrow" }),
            ));
        }
        Outcome::Done(hold_ref) => hold_ref,
    };

    let txn = svc.db.begin().await?;
    if !journal::record(&txn, op, outcome).await? {
        // Another process recorded this hold; what it decided stands.
        txn.commit().await?;
        let booking = find(&svc.db, &op.booking_id).await?;
        return match booking.status {
            BookingStatus::PendingEscrow => Err(Error::unavailable(
                "The booking's hold was interrupted and released; book again",
                format!("hold {} recorded elsewhere", op.id),
            )),
            _ => Ok(booking),
        };
    }
    let booking = find(&txn, &op.booking_id).await?;
    let confirmed = match confirm_as {
        Some(caller) if booking.status == BookingStatus::PendingEscrow => {
            transition::<bookings::Entity>(&txn, &booking.id, booking.status, BookingAction::Confirm, |u| {
                u.col_expr(bookings::Column::EscrowRef, Expr::value(hold_ref.clone()))
                    .col_expr(bookings::Column::LastPaymentError, Expr::value(Option::<String>::None))
            })
            .await
            .map(|_| caller)
        }
        // Cancelled while the hold was being made.
        Some(_) => Err(Error::from(Blocked { current: booking.status, action: BookingAction::Confirm })),
        None => Err(Error::unavailable(
            "The booking's hold was interrupted and released; book again",
            format!("hold {} found unfinished", op.id),
        )),
    };
    match confirmed {
        Ok(caller) => {
            confirm(&txn, caller, &booking, hold_ref).await?;
            txn.commit().await?;
            find(&svc.db, &booking.id).await
        }
        Err(refusal) => {
            // Nobody will use this hold: let it go.
            let release = journal::write(
                &txn,
                Intent {
                    mode: op_mode(op)?,
                    principal_id: &op.principal_id,
                    booking_id: &op.booking_id,
                    operation: Operation::Release,
                    amount: Cents(op.amount_cents),
                    currency: &op.currency,
                    subject: hold_ref,
                    idempotency_key: journal::key(&op.id, Operation::Release),
                    settlement_id: None,
                    payout_id: None,
                },
            )
            .await?;
            if booking.status == BookingStatus::PendingEscrow {
                bookings::Entity::update_many()
                    .col_expr(
                        bookings::Column::LastPaymentError,
                        Expr::value("interrupted: the hold was released before the booking was confirmed; book again"),
                    )
                    .filter(bookings::Column::Id.eq(&booking.id))
                    .exec(&txn)
                    .await?;
            }
            txn.commit().await?;
            release_unused(svc, &release).await?;
            Err(refusal)
        }
    }
}

fn op_mode(op: &gateway_operations::Model) -> Result<crate::principals::Mode, Error> {
    crate::principals::Mode::parse(&op.mode).ok_or_else(|| Error::internal(format!("gateway operation {} mode", op.id)))
}

/// Releases a hold no booking uses, and records it (nothing of it is in the ledger).
pub(super) async fn release_unused(svc: &Services, op: &gateway_operations::Model) -> Result<(), Error> {
    let outcome = journal::execute(svc, op).await?;
    if let Outcome::Declined { code, message } = &outcome {
        tracing::error!(operation = %op.id, "the gateway refused to release an unused hold: {code}: {message}");
    }
    journal::record(&svc.db, op, &outcome).await?;
    Ok(())
}

/// The rest of a confirmation, in its transaction: the work order, the escrow in the ledger,
/// the task, the event, the audit row and the emails.
async fn confirm(
    txn: &impl ConnectionTrait,
    caller: &Caller,
    booking: &bookings::Model,
    hold_ref: &str,
) -> Result<(), Error> {
    let now = crate::time::now();
    let work_order_id = ids::new_id("wo");
    work_orders::Entity::insert(work_orders::ActiveModel {
        id: Set(work_order_id.clone()),
        principal_id: Set(booking.principal_id.clone()),
        task_id: Set(booking.task_id.clone()),
        booking_id: Set(booking.id.clone()),
        talent_id: Set(booking.talent_id.clone()),
        status: Set(WorkOrderStatus::AwaitingDelivery),
        created_at: Set(now),
        updated_at: Set(now),
        delivery_set: Set(0),
        changes_reason: Set(None),
        accepted_at: Set(None),
    })
    .exec_without_returning(txn)
    .await?;
    let amount = Cents(booking.amount_cents);
    ledger::post(
        txn,
        &booking.principal_id,
        Some(&booking.id),
        &booking.currency,
        &[
            (ledger::funding(&booking.principal_id), amount.negated(), Kind::EscrowHold),
            (ledger::escrow(&booking.id), amount, Kind::EscrowHold),
        ],
    )
    .await?;
    crate::tasks::refresh_status(txn, &booking.task_id).await?;
    let row = find(txn, &booking.id).await?;
    let result = crate::bookings::view(txn, row).await?;
    let confirmed = events::BookingConfirmed { booking: result.clone() };
    events::emit_audited(
        txn,
        caller,
        &booking.principal_id,
        DomainEvent::BookingConfirmed(confirmed),
        "booking.confirmed",
        json!({
            "quote_id": booking.quote_id,
            "amount": result.amount,
            "currency": result.currency,
            "work_order_id": work_order_id,
            "hold": hold_ref,
        }),
    )
    .await?;
    Ok(())
}
