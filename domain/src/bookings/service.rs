use super::{Booking, Cancellation, Checkin, CreateBookingRequest};
use crate::caller::PrincipalCaller;
use crate::entities::{bookings, ledger_entries, principals, quotes, talent, tasks, work_orders};
use crate::events::{self, EventType};
use crate::ledger::{self, Kind};
use crate::money::Cents;
use crate::payments::{GatewayError, HoldRequest};
use crate::status::{BookingStatus, QuoteStatus, TaskStatus, WorkOrderStatus};
use crate::templates;
use crate::{Error, ErrorCode, Services, audit, billing, ids, mail};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::Expr, sea_query::OnConflict,
};
use serde_json::json;

/// A booking as the API shows it, with what its ledger says about the money.
pub async fn view(conn: &impl ConnectionTrait, m: bookings::Model) -> Result<Booking, Error> {
    let status =
        BookingStatus::parse(&m.status).ok_or_else(|| Error::internal(format!("booking {} has no status", m.id)))?;
    let held = ledger::booking_account_balance(conn, &m.id, &ledger::escrow(&m.id)).await?;
    let work_order_id =
        work_orders::Entity::find().filter(work_orders::Column::BookingId.eq(&m.id)).one(conn).await?.map(|w| w.id);
    let radius = tasks::Entity::find_by_id(m.task_id.clone()).one(conn).await?.and_then(|t| t.radius_m).unwrap_or(0);
    let checkin = match (m.checked_in_at, m.checkin_lat, m.checkin_lng) {
        (Some(at), Some(lat), Some(lng)) => Some(Checkin {
            at,
            lat,
            lng,
            accuracy_m: m.checkin_accuracy_m.unwrap_or_default(),
            distance_m: m.checkin_distance_m,
            radius_m: u32::try_from(radius).unwrap_or(0),
            verified: m.checkin_verified.unwrap_or(false),
            note: m.checkin_note.clone(),
        }),
        _ => None,
    };
    let cancellation = match m.cancelled_at {
        None => None,
        Some(at) => {
            let fee = ledger::booking_account_balance(conn, &m.id, &ledger::talent_payable(&m.talent_id)).await?;
            let released = if m.escrow_ref.is_some() { Cents(m.amount_cents - fee.0) } else { Cents::ZERO };
            Some(Cancellation {
                at,
                released: released.whole_dollars(),
                show_up_fee: fee.whole_dollars(),
                released_cents: released.0,
                show_up_fee_cents: fee.0,
            })
        }
    };
    Ok(Booking {
        id: m.id,
        task_id: m.task_id,
        quote_id: m.quote_id,
        talent_id: m.talent_id,
        work_order_id,
        amount: Cents(m.amount_cents).whole_dollars(),
        currency: m.currency,
        status,
        escrow_held: held.whole_dollars(),
        last_payment_error: m.last_payment_error,
        checkin,
        cancellation,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

pub async fn find(
    conn: &impl ConnectionTrait,
    caller: &PrincipalCaller,
    booking_id: &str,
) -> Result<bookings::Model, Error> {
    bookings::Entity::find_by_id(booking_id.to_owned())
        .filter(bookings::Column::PrincipalId.eq(&caller.principal_id))
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found("Booking"))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get(svc: &Services, caller: &PrincipalCaller, booking_id: &str) -> Result<Booking, Error> {
    view(&svc.db, find(&svc.db, caller, booking_id).await?).await
}

/// Whether a call created the booking or found it.
pub enum Created {
    New(Booking),
    Existing(Booking),
}

/// Books an accepted quote: holds its amount on the principal's card (escrow), confirms the
/// booking and opens its work order. One booking per quote: a second call answers the same
/// booking; a booking whose hold failed is retried by calling again.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(svc: &Services, caller: &PrincipalCaller, request: CreateBookingRequest) -> Result<Created, Error> {
    let quote = quotes::Entity::find_by_id(request.quote_id.clone())
        .filter(quotes::Column::PrincipalId.eq(&caller.principal_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Quote"))?;
    let existing = bookings::Entity::find().filter(bookings::Column::QuoteId.eq(&quote.id)).one(&svc.db).await?;
    if let Some(b) = &existing
        && b.status != BookingStatus::PendingEscrow.as_str()
    {
        return Ok(Created::Existing(view(&svc.db, b.clone()).await?));
    }
    if quote.status != QuoteStatus::Accepted.as_str() {
        return Err(Error::new(ErrorCode::PolicyBlocked, "Only an accepted quote can be booked")
            .with_details(json!({ "current_status": quote.status })));
    }
    let card = billing::default_card(&svc.db, &caller.principal_id).await?.ok_or_else(|| {
        Error::new(ErrorCode::EscrowRequired, "No payment method on file. Call POST /v1/billing/setup to add a card.")
    })?;
    let amount = Cents(quote.amount_cents);

    let booking = match existing {
        Some(b) => b,
        None => {
            let txn = svc.db.begin().await?;
            // Serialises bookings of one principal (PostgreSQL), so two at once cannot both
            // squeeze under the cap.
            let _lock = principals::Entity::find_by_id(caller.principal_id.clone()).lock_exclusive().one(&txn).await?;
            if let Err(refusal) = billing::check_spend_cap(&txn, &caller.principal_id, amount, &quote.currency).await {
                txn.rollback().await?;
                record_policy_block(svc, caller, &quote, &refusal).await?;
                return Err(refusal);
            }
            let now = crate::time::now();
            let id = ids::new_id("bkg");
            bookings::Entity::insert(bookings::ActiveModel {
                id: Set(id),
                principal_id: Set(caller.principal_id.clone()),
                task_id: Set(quote.task_id.clone()),
                quote_id: Set(quote.id.clone()),
                talent_id: Set(quote.talent_id.clone()),
                amount_cents: Set(amount.0),
                currency: Set(quote.currency.clone()),
                status: Set(BookingStatus::PendingEscrow.as_str().into()),
                payment_method_id: Set(Some(card.id.clone())),
                escrow_ref: Set(None),
                last_payment_error: Set(None),
                checked_in_at: Set(None),
                checkin_lat: Set(None),
                checkin_lng: Set(None),
                checkin_accuracy_m: Set(None),
                checkin_distance_m: Set(None),
                checkin_verified: Set(None),
                checkin_note: Set(None),
                cancelled_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            })
            .on_conflict(OnConflict::column(bookings::Column::QuoteId).do_nothing().to_owned())
            .exec_without_returning(&txn)
            .await?;
            txn.commit().await?;
            let b = bookings::Entity::find()
                .filter(bookings::Column::QuoteId.eq(&quote.id))
                .one(&svc.db)
                .await?
                .ok_or_else(|| Error::internal("booking vanished after insert"))?;
            if b.status != BookingStatus::PendingEscrow.as_str() {
                return Ok(Created::Existing(view(&svc.db, b).await?));
            }
            b
        }
    };

    // The hold is made outside any transaction (the gateway is a network away); its
    // idempotency key is the booking, so retries never hold twice.
    let gateway = svc.gateway(caller.mode)?;
    let description = format!("HumanDispatch booking {}", booking.id);
    let hold = gateway
        .hold(HoldRequest {
            payment_method_ref: &card.gateway_ref,
            amount,
            currency: &booking.currency,
            idempotency_key: &booking.id,
            description: &description,
        })
        .await;
    let escrow_ref = match hold {
        Ok(r) => r,
        Err(GatewayError::Declined { code, message }) => {
            bookings::Entity::update_many()
                .col_expr(bookings::Column::LastPaymentError, Expr::value(format!("{code}: {message}")))
                .col_expr(bookings::Column::UpdatedAt, Expr::value(crate::time::now()))
                .filter(bookings::Column::Id.eq(&booking.id))
                .exec(&svc.db)
                .await?;
            return Err(Error::new(
                ErrorCode::EscrowRequired,
                format!("The card was declined ({code}); add another card with POST /v1/billing/setup and book again"),
            )
            .with_details(
                json!({ "decline_code": code, "booking_id": booking.id, "current_status": "pending_escrow" }),
            ));
        }
        Err(GatewayError::Unavailable(e)) => {
            return Err(Error::unavailable(format!("The payment gateway is unavailable: {e}"), e));
        }
    };

    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let confirmed = bookings::Entity::update_many()
        .col_expr(bookings::Column::Status, Expr::value(BookingStatus::Confirmed.as_str()))
        .col_expr(bookings::Column::EscrowRef, Expr::value(escrow_ref.clone()))
        .col_expr(bookings::Column::LastPaymentError, Expr::value(Option::<String>::None))
        .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
        .filter(bookings::Column::Id.eq(&booking.id))
        .filter(bookings::Column::Status.eq(BookingStatus::PendingEscrow.as_str()))
        .exec(&txn)
        .await?;
    if confirmed.rows_affected != 1 {
        // A concurrent call confirmed it with the same hold.
        txn.rollback().await?;
        let b = bookings::Entity::find_by_id(booking.id.clone())
            .one(&svc.db)
            .await?
            .ok_or_else(|| Error::not_found("Booking"))?;
        return Ok(Created::Existing(view(&svc.db, b).await?));
    }
    let work_order_id = ids::new_id("wo");
    work_orders::Entity::insert(work_orders::ActiveModel {
        id: Set(work_order_id.clone()),
        principal_id: Set(caller.principal_id.clone()),
        task_id: Set(booking.task_id.clone()),
        booking_id: Set(booking.id.clone()),
        talent_id: Set(booking.talent_id.clone()),
        status: Set(WorkOrderStatus::AwaitingDelivery.as_str().into()),
        created_at: Set(now),
        updated_at: Set(now),
        delivery_set: Set(0),
        changes_reason: Set(None),
        accepted_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    ledger::post(
        &txn,
        &caller.principal_id,
        Some(&booking.id),
        &booking.currency,
        &[
            (ledger::funding(&caller.principal_id), Cents(-amount.0), Kind::EscrowHold),
            (ledger::escrow(&booking.id), amount, Kind::EscrowHold),
        ],
    )
    .await?;
    tasks::Entity::update_many()
        .col_expr(tasks::Column::Status, Expr::value(TaskStatus::Booked.as_str()))
        .col_expr(tasks::Column::UpdatedAt, Expr::value(now))
        .filter(tasks::Column::Id.eq(&booking.task_id))
        .exec(&txn)
        .await?;
    let booking_row =
        bookings::Entity::find_by_id(booking.id.clone()).one(&txn).await?.ok_or_else(|| Error::not_found("Booking"))?;
    let result = view(&txn, booking_row).await?;
    let data = serde_json::to_value(&result).map_err(Error::internal)?;
    events::record(
        &txn,
        &caller.principal_id,
        EventType::BookingConfirmed,
        "booking",
        &booking.id,
        json!({ "booking": data }),
    )
    .await?;
    audit::record(
        &txn,
        caller,
        "booking.confirmed",
        "booking",
        &booking.id,
        json!({ "quote_id": quote.id, "amount": result.amount, "currency": result.currency, "work_order_id": work_order_id }),
    )
    .await?;
    notify_confirmed(&txn, &result).await?;
    txn.commit().await?;
    Ok(Created::New(result))
}

/// `task.policy_blocked`, written on its own: the refused booking rolls back, the event stays.
async fn record_policy_block(
    svc: &Services,
    caller: &PrincipalCaller,
    quote: &quotes::Model,
    refusal: &Error,
) -> Result<(), Error> {
    let txn = svc.db.begin().await?;
    events::record(
        &txn,
        &caller.principal_id,
        EventType::TaskPolicyBlocked,
        "task",
        &quote.task_id,
        json!({ "task_id": quote.task_id, "quote_id": quote.id, "reason": refusal.message, "details": refusal.details }),
    )
    .await?;
    audit::record(
        &txn,
        caller,
        "booking.blocked",
        "task",
        &quote.task_id,
        json!({ "quote_id": quote.id, "reason": refusal.message }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn notify_confirmed(conn: &impl ConnectionTrait, booking: &Booking) -> Result<(), Error> {
    let task = tasks::Entity::find_by_id(booking.task_id.clone()).one(conn).await?;
    let title = task.as_ref().map(|t| t.title.clone()).unwrap_or_default();
    let when = task.as_ref().map(|t| t.start_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)).unwrap_or_default();
    let rows = |who: (&'static str, String)| {
        vec![
            ("Task", title.clone()),
            ("Booking ID", booking.id.clone()),
            ("Work order ID", booking.work_order_id.clone().unwrap_or_default()),
            who,
            ("Amount held in escrow", format!("${} {}", booking.amount, booking.currency)),
            ("When", when.clone()),
        ]
    };
    let talent = talent::Entity::find_by_id(booking.talent_id.clone()).one(conn).await?;
    if let Some(owner) = principals::Entity::find_by_id(
        tasks::Entity::find_by_id(booking.task_id.clone()).one(conn).await?.map(|t| t.principal_id).unwrap_or_default(),
    )
    .one(conn)
    .await?
    {
        mail::enqueue(
            conn,
            mail::Recipient { address: owner.email, principal_id: Some(owner.id), ..Default::default() },
            mail::render(
                "🔒 Booking confirmed",
                "Your booking is confirmed and the amount is held in escrow until you accept the work.",
                &rows(("Talent", talent.as_ref().map(|t| t.name.clone()).unwrap_or_default())),
                None,
            ),
        )
        .await?;
    }
    if let Some(t) = talent {
        mail::enqueue(
            conn,
            mail::Recipient { address: t.email.clone(), talent_id: Some(t.id.clone()), ..Default::default() },
            mail::render(
                &format!("🔒 You're booked: {title}"),
                "Your quote was accepted and the payment is secured. Check in from the portal when you arrive.",
                &rows(("Talent", t.name.clone())),
                None,
            ),
        )
        .await?;
    }
    Ok(())
}

/// Cancels a booking and settles its escrow: everything back to the principal before the
/// talent checked in; after, the template's show-up share to the talent and the rest back.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn cancel(
    svc: &Services,
    caller: &PrincipalCaller,
    booking_id: &str,
    reason: Option<String>,
) -> Result<Booking, Error> {
    let booking = find(&svc.db, caller, booking_id).await?;
    let status = BookingStatus::parse(&booking.status).ok_or_else(|| Error::internal("booking without status"))?;
    if !matches!(status, BookingStatus::PendingEscrow | BookingStatus::Confirmed | BookingStatus::InProgress) {
        return Err(Error::new(ErrorCode::PolicyBlocked, format!("A {} booking cannot be cancelled", status.as_str()))
            .with_details(json!({ "current_status": status.as_str() })));
    }
    let task = tasks::Entity::find_by_id(booking.task_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Task"))?;
    let rules = &templates::of_task(&task)?.rules;
    let amount = Cents(booking.amount_cents);
    let show_up_fee = match status {
        BookingStatus::InProgress => show_up_share(amount, rules.show_up_share_pct),
        _ => Cents::ZERO,
    };

    // Settle with the gateway first (idempotent by booking), then record it.
    let gateway = svc.gateway(caller.mode)?;
    if let Some(hold) = &booking.escrow_ref {
        let key = format!("cancel:{}", booking.id);
        let settled = if show_up_fee.0 > 0 {
            gateway.capture(hold, show_up_fee, &key).await.map(|_| ())
        } else {
            gateway.release(hold, &key).await
        };
        settled.map_err(|e| match e {
            GatewayError::Unavailable(m) => Error::unavailable(format!("The payment gateway is unavailable: {m}"), m),
            other => Error::internal(format!("settling the escrow of {}: {other}", booking.id)),
        })?;
    }

    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let cancelled = bookings::Entity::update_many()
        .col_expr(bookings::Column::Status, Expr::value(BookingStatus::Cancelled.as_str()))
        .col_expr(bookings::Column::CancelledAt, Expr::value(now))
        .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
        .filter(bookings::Column::Id.eq(&booking.id))
        .filter(bookings::Column::Status.eq(status.as_str()))
        .exec(&txn)
        .await?;
    if cancelled.rows_affected != 1 {
        txn.rollback().await?;
        let current = find(&svc.db, caller, booking_id).await?;
        return Err(Error::new(ErrorCode::PolicyBlocked, "The booking changed while it was being cancelled")
            .with_details(json!({ "current_status": current.status })));
    }
    if booking.escrow_ref.is_some() {
        ledger::post(
            &txn,
            &caller.principal_id,
            Some(&booking.id),
            &booking.currency,
            &[
                (ledger::escrow(&booking.id), Cents(-amount.0), Kind::EscrowRelease),
                (ledger::talent_payable(&booking.talent_id), show_up_fee, Kind::ShowUpFee),
                (ledger::funding(&caller.principal_id), Cents(amount.0 - show_up_fee.0), Kind::Refund),
            ],
        )
        .await?;
    }
    tasks::Entity::update_many()
        .col_expr(tasks::Column::Status, Expr::value(TaskStatus::Cancelled.as_str()))
        .col_expr(tasks::Column::UpdatedAt, Expr::value(now))
        .filter(tasks::Column::Id.eq(&booking.task_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        caller,
        "booking.cancelled",
        "booking",
        &booking.id,
        json!({ "from_status": status.as_str(), "reason": reason, "show_up_fee_cents": show_up_fee.0 }),
    )
    .await?;
    let row =
        bookings::Entity::find_by_id(booking.id.clone()).one(&txn).await?.ok_or_else(|| Error::not_found("Booking"))?;
    let result = view(&txn, row).await?;
    txn.commit().await?;
    Ok(result)
}

/// The talent's share for showing up: `pct` percent of the amount, rounded down to the cent
/// (the principal gets the rest, so the two always add up to the amount).
pub fn show_up_share(amount: Cents, pct: u32) -> Cents {
    Cents(amount.0 * i64::from(pct) / 100)
}

/// Entries of one booking, for checking that they balance.
pub async fn ledger_entries(
    conn: &impl ConnectionTrait,
    booking_id: &str,
) -> Result<Vec<ledger_entries::Model>, Error> {
    Ok(ledger_entries::Entity::find().filter(ledger_entries::Column::BookingId.eq(booking_id)).all(conn).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_show_up_share_and_the_release_add_up() {
        for (amount, pct) in [(30_000, 25), (9_999, 33), (1, 50), (12_345, 40)] {
            let share = show_up_share(Cents(amount), pct);
            assert!(share.0 <= amount && share.0 >= 0);
            assert_eq!(share.0 + (amount - share.0), amount);
        }
        assert_eq!(show_up_share(Cents(9_999), 33), Cents(3_299));
    }
}
