use super::{Booking, Cancellation, Checkin, CreateBookingRequest};
use crate::caller::Caller;
use crate::entities::{bookings, principals, quotes, settlements, tasks, work_orders};
use crate::escrow::{self, Decision, Terms};
use crate::events::{self, DomainEvent};
use crate::ledger;
use crate::money::Cents;
use crate::status::{BookingAction, BookingStatus, QuoteStatus, WorkOrderAction};
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, audit, billing, ids, templates};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
    sea_query::Expr, sea_query::OnConflict,
};
use serde_json::json;

/// A booking as the API shows it, with what its ledger holds in escrow.
pub async fn view(conn: &impl ConnectionTrait, m: bookings::Model) -> Result<Booking, Error> {
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
            // What the settlement decided (a booking cancelled before its hold has none).
            let settled =
                settlements::Entity::find().filter(settlements::Column::BookingId.eq(&m.id)).one(conn).await?;
            let (released, fee) = settled.map_or((0, 0), |s| (s.refunded_cents, s.talent_cents));
            Some(Cancellation {
                at,
                released: Cents(released).whole_dollars(),
                show_up_fee: Cents(fee).whole_dollars(),
                released_cents: released,
                show_up_fee_cents: fee,
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
        status: m.status,
        escrow_held: held.whole_dollars(),
        last_payment_error: m.last_payment_error,
        checkin,
        cancellation,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

/// One of the caller's bookings: the principal's, or the booked talent's.
pub async fn find(conn: &impl ConnectionTrait, caller: &Caller, booking_id: &str) -> Result<bookings::Model, Error> {
    let select = bookings::Entity::find_by_id(booking_id.to_owned());
    let select = match caller.talent_id() {
        Ok(talent_id) => select.filter(bookings::Column::TalentId.eq(talent_id)),
        Err(_) => select.filter(bookings::Column::PrincipalId.eq(caller.principal_id()?)),
    };
    select.one(conn).await?.ok_or_else(|| Error::not_found("Booking"))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get(svc: &Services, caller: &Caller, booking_id: &str) -> Result<Booking, Error> {
    caller.principal_id()?;
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
pub async fn create(svc: &Services, caller: &Caller, request: CreateBookingRequest) -> Result<Created, Error> {
    let principal_id = caller.principal_id()?;
    let quote = quotes::Entity::find_by_id(request.quote_id.clone())
        .filter(quotes::Column::PrincipalId.eq(principal_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Quote"))?;
    let existing = bookings::Entity::find().filter(bookings::Column::QuoteId.eq(&quote.id)).one(&svc.db).await?;
    if let Some(b) = &existing
        && b.status != BookingStatus::PendingEscrow
    {
        return Ok(Created::Existing(view(&svc.db, b.clone()).await?));
    }
    if quote.status != QuoteStatus::Accepted {
        return Err(Error::new(ErrorCode::PolicyBlocked, "Only an accepted quote can be booked")
            .with_details(json!({ "current_status": quote.status })));
    }
    let card = billing::default_card(&svc.db, principal_id).await?.ok_or_else(|| {
        Error::new(ErrorCode::EscrowRequired, "No payment method on file. Call POST /v1/billing/setup to add a card.")
    })?;
    let amount = Cents(quote.amount_cents);

    let booking = match existing {
        Some(b) => b,
        None => {
            let txn = svc.db.begin().await?;
            // Serialises bookings of one principal (PostgreSQL), so two at once cannot both
            // squeeze under the cap.
            let _lock = principals::Entity::find_by_id(principal_id.to_owned()).lock_exclusive().one(&txn).await?;
            if let Err(refusal) = billing::check_spend_cap(&txn, principal_id, amount, &quote.currency).await {
                txn.rollback().await?;
                record_policy_block(svc, caller, &quote, &refusal).await?;
                return Err(refusal);
            }
            let now = crate::time::now();
            bookings::Entity::insert(bookings::ActiveModel {
                id: Set(ids::new_id("bkg")),
                principal_id: Set(principal_id.to_owned()),
                task_id: Set(quote.task_id.clone()),
                quote_id: Set(quote.id.clone()),
                talent_id: Set(quote.talent_id.clone()),
                amount_cents: Set(amount.0),
                currency: Set(quote.currency.clone()),
                status: Set(BookingStatus::PendingEscrow),
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
            if b.status != BookingStatus::PendingEscrow {
                return Ok(Created::Existing(view(&svc.db, b).await?));
            }
            b
        }
    };

    match escrow::hold_and_confirm(svc, caller, &booking.id, &card.gateway_ref).await {
        Ok(confirmed) => Ok(Created::New(view(&svc.db, confirmed).await?)),
        // A concurrent call confirmed it first: the same booking, as it is.
        Err(e) if e.code == ErrorCode::PolicyBlocked => {
            let now = find(&svc.db, caller, &booking.id).await?;
            match now.status {
                BookingStatus::Confirmed | BookingStatus::InProgress | BookingStatus::Completed => {
                    Ok(Created::Existing(view(&svc.db, now).await?))
                }
                _ => Err(e),
            }
        }
        Err(e) => Err(e),
    }
}

/// `task.policy_blocked`, written on its own: the refused booking rolls back, the event stays.
async fn record_policy_block(
    svc: &Services,
    caller: &Caller,
    quote: &quotes::Model,
    refusal: &Error,
) -> Result<(), Error> {
    let txn = svc.db.begin().await?;
    let blocked = events::TaskPolicyBlocked {
        task_id: quote.task_id.clone(),
        quote_id: quote.id.clone(),
        reason: refusal.message.clone(),
        details: refusal.details.clone(),
    };
    events::emit_audited(
        &txn,
        caller,
        &quote.principal_id,
        DomainEvent::TaskPolicyBlocked(blocked),
        "booking.blocked",
        json!({ "quote_id": quote.id, "reason": refusal.message }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancels a booking. Before check-in everything held goes back to the principal; after, the
/// template's show-up share goes to the talent and the rest back. Refused once work was
/// delivered (the principal accepts it, asks for changes or disputes it: the files are in
/// their hands) and while a dispute is open (it settles the booking).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn cancel(
    svc: &Services,
    caller: &Caller,
    booking_id: &str,
    reason: Option<String>,
) -> Result<Booking, Error> {
    let principal_id = caller.principal_id()?;
    if reason.as_ref().is_some_and(|r| r.chars().count() > 1000) {
        return Err(Error::validation("Invalid cancellation", vec!["/reason: at most 1000 characters".into()]));
    }
    let txn = svc.db.begin().await?;
    let booking = find(&txn, caller, booking_id).await?;
    // The booking's own transition is the guard: everything after it sees the latest state.
    transition::<bookings::Entity>(&txn, &booking.id, booking.status, BookingAction::Cancel, |u| {
        u.col_expr(bookings::Column::CancelledAt, Expr::value(crate::time::now()))
    })
    .await?;
    let wo = work_orders::Entity::find().filter(work_orders::Column::BookingId.eq(&booking.id)).one(&txn).await?;
    if let Some(wo) = &wo {
        if let Some(dispute) = crate::work_orders::open_dispute_of(&txn, &wo.id).await? {
            txn.rollback().await?;
            return Err(Error::new(
                ErrorCode::PolicyBlocked,
                format!(
                    "A dispute is open on this booking's work; resolve it with POST /v1/disputes/{}/resolve",
                    dispute.id
                ),
            )
            .with_details(json!({ "current_status": booking.status, "dispute_id": dispute.id })));
        }
        if wo.delivery_set > 0 {
            txn.rollback().await?;
            return Err(Error::new(
                ErrorCode::PolicyBlocked,
                "Work was delivered: accept it, request changes or open a dispute; a delivered booking cannot be \
                 cancelled",
            )
            .with_details(json!({ "current_status": booking.status, "work_order_status": wo.status })));
        }
        transition::<work_orders::Entity>(&txn, &wo.id, wo.status, WorkOrderAction::Cancel, |u| u).await?;
    }
    let mut settlement = None;
    if let (Some(wo), Some(_)) = (&wo, &booking.escrow_ref) {
        let task = tasks::Entity::find_by_id(booking.task_id.clone())
            .one(&txn)
            .await?
            .ok_or_else(|| Error::not_found("Task"))?;
        let rules = &templates::of_task(&task)?.rules;
        let checked_in = booking.status == BookingStatus::InProgress;
        let terms = Terms::cancelled(Cents(booking.amount_cents), checked_in, rules.show_up_share_pct)?;
        let decision =
            Decision { caller, booking: &booking, work_order_id: &wo.id, dispute_id: None, terms, delivery_set: None };
        settlement = Some(escrow::decide(&txn, decision).await?);
    } else {
        crate::tasks::refresh_status(&txn, &booking.task_id).await?;
    }
    audit::record(
        &txn,
        caller,
        principal_id,
        "booking.cancelled",
        "booking",
        &booking.id,
        json!({
            "from_status": booking.status,
            "reason": reason,
            "show_up_fee_cents": settlement.as_ref().map_or(0, |s| s.talent_cents),
        }),
    )
    .await?;
    txn.commit().await?;
    if let Some(s) = settlement {
        escrow::carry_out(svc, &s.id).await?;
    }
    view(&svc.db, find(&svc.db, caller, booking_id).await?).await
}

/// Takes a booking's row for work on it (a delivery, a change request, a dispute): it must be
/// active, and on PostgreSQL it stays taken until the transaction ends, so that nothing that
/// moves the booking's money can happen at the same time. Returns the row as it is.
pub async fn guard(conn: &impl ConnectionTrait, booking_id: &str) -> Result<bookings::Model, Error> {
    let booking = bookings::Entity::find_by_id(booking_id.to_owned())
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found("Booking"))?;
    transition::<bookings::Entity>(conn, &booking.id, booking.status, BookingAction::Work, |u| u).await?;
    Ok(booking)
}
