use super::{
    Dispute, DisputeOutcome, OpenDispute, ResolveDispute, Settlement,
    accept::{Record, settle},
};
use crate::caller::PrincipalCaller;
use crate::entities::{bookings, disputes, work_orders};
use crate::events::{self, EventType};
use crate::files::Owner;
use crate::ledger;
use crate::money::Cents;
use crate::status::WorkOrderStatus;
use crate::{Error, ErrorCode, Services, audit, ids};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr};
use serde_json::json;

async fn view(svc: &Services, m: disputes::Model) -> Result<Dispute, Error> {
    let outcome = match m.outcome.as_deref() {
        None => None,
        Some(o) => Some(
            serde_json::from_value::<DisputeOutcome>(json!(o))
                .map_err(|_| Error::internal(format!("dispute {} outcome {o}", m.id)))?,
        ),
    };
    let settlement = match outcome {
        None => None,
        Some(_) => {
            let wo = work_orders::Entity::find_by_id(m.work_order_id.clone()).one(&svc.db).await?;
            match wo {
                None => None,
                Some(wo) => {
                    let booking = bookings::Entity::find_by_id(wo.booking_id.clone()).one(&svc.db).await?;
                    match booking {
                        None => None,
                        Some(b) => Some(settlement_of(svc, &b, &wo.talent_id).await?),
                    }
                }
            }
        }
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

/// What the ledger says a settled booking paid.
async fn settlement_of(svc: &Services, booking: &bookings::Model, talent_id: &str) -> Result<Settlement, Error> {
    let fee = ledger::booking_account_balance(&svc.db, &booking.id, ledger::PLATFORM_FEES).await?.0;
    let refund =
        ledger::booking_account_balance(&svc.db, &booking.id, &ledger::funding(&booking.principal_id)).await?.0
            + booking.amount_cents;
    let paid = ledger::booking_account_balance(&svc.db, &booking.id, ledger::PAYOUTS_IN_TRANSIT).await?.0
        + ledger::booking_account_balance(&svc.db, &booking.id, &ledger::talent_payable(talent_id)).await?.0;
    let captured = paid + fee;
    Ok(Settlement {
        captured: Cents(captured).whole_dollars(),
        talent_payout: Cents(paid).whole_dollars(),
        platform_fee: Cents(fee).whole_dollars(),
        refunded: Cents(refund).whole_dollars(),
        captured_cents: captured,
        talent_payout_cents: paid,
        platform_fee_cents: fee,
        refunded_cents: refund,
        currency: booking.currency.clone(),
        payout_id: None,
    })
}

/// Opens a dispute on a work order that is not settled yet (by its principal or its talent).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn open_dispute(
    svc: &Services,
    who: Owner<'_>,
    work_order_id: &str,
    request: OpenDispute,
) -> Result<Dispute, Error> {
    let reason = request.reason.trim().to_owned();
    if reason.is_empty() || reason.chars().count() > 5000 {
        return Err(Error::validation("Invalid dispute", vec!["/reason: 1–5000 characters".into()]));
    }
    let wo = super::find(&svc.db, who, work_order_id).await?;
    let status = super::status_of(&wo)?;
    if matches!(status, WorkOrderStatus::Accepted | WorkOrderStatus::Disputed) {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("A {} work order cannot be disputed", status.as_str()),
        )
        .with_details(json!({ "current_status": status.as_str() })));
    }
    super::active_booking(&svc.db, &wo).await?;
    let now = crate::time::now();
    let id = ids::new_id("dsp");
    let txn = svc.db.begin().await?;
    let moved = work_orders::Entity::update_many()
        .col_expr(work_orders::Column::Status, Expr::value(WorkOrderStatus::Disputed.as_str()))
        .col_expr(work_orders::Column::UpdatedAt, Expr::value(now))
        .filter(work_orders::Column::Id.eq(&wo.id))
        .filter(work_orders::Column::Status.eq(&wo.status))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(Error::new(ErrorCode::PolicyBlocked, "The work order changed meanwhile")
            .with_details(json!({ "current_status": "changed" })));
    }
    let model = disputes::Model {
        id: id.clone(),
        work_order_id: wo.id.clone(),
        principal_id: wo.principal_id.clone(),
        opened_by_type: who.kind().to_owned(),
        opened_by_id: who.id().to_owned(),
        reason: reason.clone(),
        evidence: request.evidence.unwrap_or_else(|| json!({})),
        status: "open".into(),
        outcome: None,
        talent_share_pct: None,
        resolved_at: None,
        created_at: now,
    };
    disputes::Entity::insert(disputes::ActiveModel::from(model.clone())).exec_without_returning(&txn).await?;
    events::record(
        &txn,
        &wo.principal_id,
        EventType::DisputeOpened,
        "dispute",
        &id,
        json!({ "dispute_id": id, "work_order_id": wo.id, "opened_by": who.kind(), "reason": reason }),
    )
    .await?;
    let summary = json!({ "work_order_id": wo.id, "reason": reason });
    match who {
        Owner::Principal(p) => audit::record(&txn, p, "dispute.opened", "dispute", &id, summary).await?,
        Owner::Talent(t) => {
            audit::record_talent(&txn, t, &wo.principal_id, "dispute.opened", "dispute", &id, summary).await?
        }
    }
    txn.commit().await?;
    view(svc, model).await
}

/// Resolves a dispute (the principal's): release, refund or split, moved through the ledger.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn resolve_dispute(
    svc: &Services,
    caller: &PrincipalCaller,
    dispute_id: &str,
    request: ResolveDispute,
) -> Result<Dispute, Error> {
    let dispute = disputes::Entity::find_by_id(dispute_id.to_owned())
        .filter(disputes::Column::PrincipalId.eq(&caller.principal_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Dispute"))?;
    if dispute.status != "open" {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This dispute is already resolved")
            .with_details(json!({ "current_status": dispute.status })));
    }
    let pct = match (request.outcome, request.talent_share_pct) {
        (DisputeOutcome::Split, Some(p)) if (1..=99).contains(&p) => Some(p),
        (DisputeOutcome::Split, _) => {
            return Err(Error::validation("Invalid resolution", vec!["/talent_share_pct: 1–99 with a split".into()]));
        }
        (_, Some(_)) => {
            return Err(Error::validation("Invalid resolution", vec!["/talent_share_pct: only with a split".into()]));
        }
        (_, None) => None,
    };
    let wo = work_orders::Entity::find_by_id(dispute.work_order_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Work order"))?;
    let booking = bookings::Entity::find_by_id(wo.booking_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Booking"))?;
    let amount = booking.amount_cents;
    let share = Cents(match request.outcome {
        DisputeOutcome::Release => amount,
        DisputeOutcome::Refund => 0,
        DisputeOutcome::Split => amount * i64::from(pct.unwrap_or(0)) / 100,
    });
    let outcome = serde_json::to_value(request.outcome).map_err(Error::internal)?;
    let outcome = outcome.as_str().unwrap_or("release").to_owned();
    let record = Record {
        action: "dispute.resolved",
        entity_type: "dispute",
        entity_id: &dispute.id,
        summary: json!({ "outcome": outcome, "talent_share_pct": pct }),
        dispute: Some((&dispute.id, &outcome, pct.and_then(|p| i32::try_from(p).ok()))),
    };
    settle(svc, caller, &wo, &booking, share, &[WorkOrderStatus::Disputed], record).await?;
    let resolved = disputes::Entity::find_by_id(dispute.id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Dispute"))?;
    view(svc, resolved).await
}
