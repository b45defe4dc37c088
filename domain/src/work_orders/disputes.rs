use super::{Dispute, OpenDispute, ResolveDispute};
use crate::caller::Caller;
use crate::entities::{bookings, disputes, settlements, tasks, work_orders};
use crate::escrow::{self, Decision, Terms};
use crate::events::{self, DomainEvent};
use crate::money::Cents;
use crate::status::{BookingAction, BookingStatus, DisputeAction, DisputeStatus, Machine, WorkOrderAction};
use crate::transition::transition;
use crate::work_orders::DisputeOutcome;
use crate::{Error, Services, audit, ids, templates};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr};
use serde_json::json;

pub(crate) async fn view_dispute(conn: &impl ConnectionTrait, m: disputes::Model) -> Result<Dispute, Error> {
    let outcome = match m.outcome.as_deref() {
        None => None,
        Some(o) => Some(
            serde_json::from_value::<DisputeOutcome>(json!(o))
                .map_err(|_| Error::internal(format!("dispute {} outcome {o}", m.id)))?,
        ),
    };
    let settlement =
        match settlements::Entity::find().filter(settlements::Column::DisputeId.eq(&m.id)).one(conn).await? {
            Some(s) => Some(escrow::view(conn, &s).await?),
            None => None,
        };
    Ok(Dispute {
        id: m.id,
        work_order_id: m.work_order_id,
        opened_by: m.opened_by_type,
        reason: m.reason,
        evidence: m.evidence,
        status: m.status,
        outcome,
        talent_share_pct: m.talent_share_pct.and_then(|p| u32::try_from(p).ok()),
        settlement,
        created_at: m.created_at,
        resolved_at: m.resolved_at,
    })
}

/// Opens a dispute on a work order that is not settled yet (by its principal or its talent).
/// While it is open, the booking cannot be cancelled or the work accepted: the resolution
/// settles it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn open_dispute(
    svc: &Services,
    caller: &Caller,
    work_order_id: &str,
    request: OpenDispute,
) -> Result<Dispute, Error> {
    let reason = crate::text::tidy(&request.reason);
    if !crate::text::fits(&request.reason, 5000) {
        return Err(Error::validation("Invalid dispute", vec!["/reason: 1–5000 characters".into()]));
    }
    let wo = super::find(&svc.db, caller, work_order_id).await?;
    wo.status.next(WorkOrderAction::Dispute)?;
    let now = crate::time::now();
    let id = ids::new_id("dsp");
    let txn = svc.db.begin().await?;
    let (_, wo) = super::guarded(&txn, &wo).await?;
    transition::<work_orders::Entity>(&txn, &wo.id, wo.status, WorkOrderAction::Dispute, |u| u).await?;
    let model = disputes::Model {
        id: id.clone(),
        work_order_id: wo.id.clone(),
        principal_id: wo.principal_id.clone(),
        opened_by_type: caller.kind().to_owned(),
        opened_by_id: caller.party_id().to_owned(),
        reason: reason.clone(),
        evidence: request.evidence.unwrap_or_else(|| json!({})),
        status: DisputeStatus::Open,
        outcome: None,
        talent_share_pct: None,
        resolved_at: None,
        created_at: now,
    };
    disputes::Entity::insert(disputes::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    crate::tasks::refresh_status(&txn, &wo.task_id).await?;
    let opened = events::DisputeOpened {
        dispute_id: id.clone(),
        work_order_id: wo.id.clone(),
        opened_by: caller.party(),
        reason: reason.clone(),
    };
    let summary = json!({ "work_order_id": wo.id, "reason": reason });
    events::emit_audited(&txn, caller, &wo.principal_id, DomainEvent::DisputeOpened(opened), "dispute.opened", summary)
        .await?;
    txn.commit().await?;
    view_dispute(&svc.db, model).await
}

/// Resolves a dispute (the principal's): `release` pays as acceptance does, `split` pays the
/// talent's share less the fee and refunds the rest, `refund` gives everything back except the
/// show-up share of a talent who checked in.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn resolve_dispute(
    svc: &Services,
    caller: &Caller,
    dispute_id: &str,
    request: ResolveDispute,
) -> Result<Dispute, Error> {
    let principal_id = caller.principal_id()?;
    let dispute = disputes::Entity::find_by_id(dispute_id.to_owned())
        .filter(disputes::Column::PrincipalId.eq(principal_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Dispute"))?;
    dispute.status.next(DisputeAction::Resolve)?;
    // A malformed resolution is a 400 whatever the state.
    Terms::dispute(Cents(100), request.outcome, request.talent_share_pct, false, 0)?;

    let txn = svc.db.begin().await?;
    let wo = work_orders::Entity::find_by_id(dispute.work_order_id.clone())
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("Work order"))?;
    let booking = bookings::Entity::find_by_id(wo.booking_id.clone())
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("Booking"))?;
    let task =
        tasks::Entity::find_by_id(wo.task_id.clone()).one(&txn).await?.ok_or_else(|| Error::not_found("Task"))?;
    let rules = &templates::of_task(&task)?.rules;
    let checked_in = booking.status == BookingStatus::InProgress;
    let terms = Terms::dispute(
        Cents(booking.amount_cents),
        request.outcome,
        request.talent_share_pct,
        checked_in,
        rules.show_up_share_pct,
    )?;
    let (booking_action, wo_action) = if terms.kind.completes() {
        (BookingAction::Complete, WorkOrderAction::Release)
    } else {
        (BookingAction::Cancel, WorkOrderAction::Cancel)
    };
    let now = crate::time::now();
    // The booking first (the guard), then the dispute and the work order, each from the state
    // it is in now.
    transition::<bookings::Entity>(&txn, &booking.id, booking.status, booking_action, |u| {
        if booking_action == BookingAction::Cancel {
            u.col_expr(bookings::Column::CancelledAt, Expr::value(now))
        } else {
            u
        }
    })
    .await?;
    let outcome = serde_json::to_value(request.outcome).map_err(Error::internal)?;
    let pct = request.talent_share_pct.and_then(|p| i32::try_from(p).ok());
    transition::<disputes::Entity>(&txn, &dispute.id, DisputeStatus::Open, DisputeAction::Resolve, |u| {
        u.col_expr(disputes::Column::Outcome, Expr::value(outcome.as_str().map(str::to_owned)))
            .col_expr(disputes::Column::TalentSharePct, Expr::value(pct))
            .col_expr(disputes::Column::ResolvedAt, Expr::value(now))
    })
    .await?;
    let wo_now = work_orders::Entity::find_by_id(wo.id.clone())
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("Work order"))?;
    transition::<work_orders::Entity>(&txn, &wo.id, wo_now.status, wo_action, |u| {
        if wo_action == WorkOrderAction::Release {
            u.col_expr(work_orders::Column::AcceptedAt, Expr::value(now))
        } else {
            u
        }
    })
    .await?;
    let decision = Decision {
        caller,
        booking: &booking,
        work_order_id: &wo.id,
        dispute_id: Some(&dispute.id),
        terms,
        delivery_set: Some(wo_now.delivery_set),
    };
    let settlement = escrow::decide(&txn, decision).await?;
    let planned = escrow::view(&txn, &settlement).await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "dispute.resolved",
        "dispute",
        &dispute.id,
        json!({ "outcome": outcome, "talent_share_pct": request.talent_share_pct, "settlement": planned }),
    )
    .await?;
    txn.commit().await?;
    escrow::carry_out(svc, &settlement.id).await?;
    let resolved = disputes::Entity::find_by_id(dispute.id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Dispute"))?;
    view_dispute(&svc.db, resolved).await
}
