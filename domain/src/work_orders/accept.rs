use super::{AcceptWork, AcceptedWork, Settlement, split_fee};
use crate::caller::PrincipalCaller;
use crate::entities::{bookings, disputes, payouts, talent, tasks, work_orders};
use crate::events::{self, EventType};
use crate::files::Owner;
use crate::ledger::{self, Kind};
use crate::money::Cents;
use crate::payments::GatewayError;
use crate::qa::{self, QaStatus};
use crate::status::{BookingStatus, TaskStatus, WorkOrderStatus};
use crate::{Error, ErrorCode, Services, audit, ids, mail};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr,
};
use serde_json::json;

/// Accepts the work: escrow captured, 85 % to the talent and 15 % fee. Work whose QA failed
/// needs `override` (audited). QA runs first if it has not for this delivery.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn accept(
    svc: &Services,
    caller: &PrincipalCaller,
    work_order_id: &str,
    request: AcceptWork,
) -> Result<AcceptedWork, Error> {
    let wo = super::find(&svc.db, Owner::Principal(caller), work_order_id).await?;
    let status = super::status_of(&wo)?;
    if !matches!(status, WorkOrderStatus::Delivered | WorkOrderStatus::QaPassed | WorkOrderStatus::QaFailed) {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("A {} work order cannot be accepted", status.as_str()),
        )
        .with_details(json!({ "current_status": status.as_str() })));
    }
    let report = qa::run(svc, caller, work_order_id).await?;
    if report.status == QaStatus::Failed && !request.r#override {
        return Err(Error::new(ErrorCode::PolicyBlocked, "QA failed: accept with {\"override\": true} to pay anyway, or request changes")
            .with_details(json!({ "current_status": "qa_failed", "failed_checks": report.checks.iter().filter(|c| !c.passed).map(|c| c.name.clone()).collect::<Vec<_>>() })));
    }
    let wo = super::find(&svc.db, Owner::Principal(caller), work_order_id).await?;
    let booking = bookings::Entity::find_by_id(wo.booking_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Booking"))?;
    let amount = Cents(booking.amount_cents);
    let record = Record {
        action: "work_order.accepted",
        entity_type: "work_order",
        entity_id: &wo.id,
        summary: json!({ "qa": if report.status == QaStatus::Failed { "failed, accepted with override" } else { "passed" } }),
        dispute: None,
    };
    let from = [WorkOrderStatus::Delivered, WorkOrderStatus::QaPassed, WorkOrderStatus::QaFailed];
    let settlement = settle(svc, caller, &wo, &booking, amount, &from, record).await?;
    let wo = super::get(svc, Owner::Principal(caller), work_order_id).await?;
    Ok(AcceptedWork { work_order: wo, settlement })
}

/// What a settlement records besides the money: its audit row, and the dispute it resolves.
pub struct Record<'a> {
    pub action: &'a str,
    pub entity_type: &'a str,
    pub entity_id: &'a str,
    pub summary: serde_json::Value,
    /// `(dispute id, outcome, talent_share_pct)`, marked resolved in the same transaction.
    pub dispute: Option<(&'a str, &'a str, Option<i32>)>,
}

/// Settles a work order's escrow: `talent_share` of the booked amount is captured and paid
/// out (less the 15 % fee), the rest released to the principal. The gateway moves the money
/// first, idempotently by work order; then one transaction records it — the work order (from
/// one of `from`), booking, task, ledger, payout, events — or nothing.
pub async fn settle(
    svc: &Services,
    caller: &PrincipalCaller,
    wo: &work_orders::Model,
    booking: &bookings::Model,
    talent_share: Cents,
    from: &[WorkOrderStatus],
    record: Record<'_>,
) -> Result<Settlement, Error> {
    super::require_active(booking)?;
    let hold =
        booking.escrow_ref.clone().ok_or_else(|| Error::internal(format!("booking {} has no escrow", booking.id)))?;
    let amount = Cents(booking.amount_cents);
    let (payout, fee) = split_fee(talent_share.0);
    let refund = amount.0 - talent_share.0;
    let gateway = svc.gateway(caller.mode)?;
    let gateway_error = |e: GatewayError| match e {
        GatewayError::Unavailable(m) => Error::unavailable(format!("The payment gateway is unavailable: {m}"), m),
        other => Error::internal(format!("settling {}: {other}", wo.id)),
    };
    if talent_share.0 > 0 {
        gateway.capture(&hold, talent_share, &format!("settle:{}", wo.id)).await.map_err(gateway_error)?;
    } else {
        gateway.release(&hold, &format!("settle:{}", wo.id)).await.map_err(gateway_error)?;
    }
    let talent_row = talent::Entity::find_by_id(wo.talent_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Talent"))?;
    let transfer_ref = if payout > 0 {
        let destination = talent_row.payout_account_ref.clone().unwrap_or_default();
        Some(
            gateway
                .transfer(&destination, Cents(payout), &booking.currency, &format!("payout:{}", wo.id))
                .await
                .map_err(gateway_error)?,
        )
    } else {
        None
    };

    let now = crate::time::now();
    let paid = talent_share.0 > 0;
    let txn = svc.db.begin().await?;
    let moved = work_orders::Entity::update_many()
        .col_expr(
            work_orders::Column::Status,
            Expr::value(if paid { WorkOrderStatus::Accepted.as_str() } else { WorkOrderStatus::Disputed.as_str() }),
        )
        .col_expr(work_orders::Column::AcceptedAt, Expr::value(if paid { Some(now) } else { None }))
        .col_expr(work_orders::Column::UpdatedAt, Expr::value(now))
        .filter(work_orders::Column::Id.eq(&wo.id))
        .filter(work_orders::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .exec(&txn)
        .await?;
    if moved.rows_affected != 1 {
        txn.rollback().await?;
        let current = work_orders::Entity::find_by_id(wo.id.clone()).one(&svc.db).await?.map(|w| w.status);
        return Err(Error::new(ErrorCode::PolicyBlocked, "The work order was settled or changed meanwhile")
            .with_details(json!({ "current_status": current })));
    }
    bookings::Entity::update_many()
        .col_expr(
            bookings::Column::Status,
            Expr::value(if paid { BookingStatus::Completed.as_str() } else { BookingStatus::Cancelled.as_str() }),
        )
        .col_expr(bookings::Column::CancelledAt, Expr::value(if paid { None } else { Some(now) }))
        .col_expr(bookings::Column::UpdatedAt, Expr::value(now))
        .filter(bookings::Column::Id.eq(&booking.id))
        .exec(&txn)
        .await?;
    tasks::Entity::update_many()
        .col_expr(
            tasks::Column::Status,
            Expr::value(if paid { TaskStatus::Accepted.as_str() } else { TaskStatus::Cancelled.as_str() }),
        )
        .col_expr(tasks::Column::UpdatedAt, Expr::value(now))
        .filter(tasks::Column::Id.eq(&wo.task_id))
        .exec(&txn)
        .await?;
    ledger::post(
        &txn,
        &booking.principal_id,
        Some(&booking.id),
        &booking.currency,
        &[
            (ledger::escrow(&booking.id), Cents(-amount.0), Kind::EscrowRelease),
            (ledger::talent_payable(&wo.talent_id), Cents(payout), Kind::Payout),
            (ledger::PLATFORM_FEES.to_owned(), Cents(fee), Kind::PlatformFee),
            (ledger::funding(&booking.principal_id), Cents(refund), Kind::Refund),
        ],
    )
    .await?;
    let mut payout_id = None;
    if let Some(transfer) = &transfer_ref {
        ledger::post(
            &txn,
            &booking.principal_id,
            Some(&booking.id),
            &booking.currency,
            &[
                (ledger::talent_payable(&wo.talent_id), Cents(-payout), Kind::Payout),
                (ledger::PAYOUTS_IN_TRANSIT.to_owned(), Cents(payout), Kind::Payout),
            ],
        )
        .await?;
        let id = ids::new_id("po");
        payouts::Entity::insert(payouts::ActiveModel {
            id: Set(id.clone()),
            work_order_id: Set(wo.id.clone()),
            talent_id: Set(wo.talent_id.clone()),
            principal_id: Set(booking.principal_id.clone()),
            amount_cents: Set(payout),
            currency: Set(booking.currency.clone()),
            transfer_ref: Set(Some(transfer.clone())),
            status: Set("initiated".into()),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        payout_id = Some(id);
    }
    let settlement = Settlement {
        captured: Cents(talent_share.0).whole_dollars(),
        talent_payout: Cents(payout).whole_dollars(),
        platform_fee: Cents(fee).whole_dollars(),
        refunded: Cents(refund).whole_dollars(),
        captured_cents: talent_share.0,
        talent_payout_cents: payout,
        platform_fee_cents: fee,
        refunded_cents: refund,
        currency: booking.currency.clone(),
        payout_id: payout_id.clone(),
    };
    if paid {
        events::record(
            &txn,
            &booking.principal_id,
            EventType::WorkOrderAccepted,
            "work_order",
            &wo.id,
            json!({ "work_order_id": wo.id, "task_id": wo.task_id, "booking_id": booking.id, "settlement": settlement }),
        )
        .await?;
    }
    if let Some(id) = &payout_id {
        mail::enqueue(
            &txn,
            mail::Recipient {
                address: talent_row.email.clone(),
                talent_id: Some(talent_row.id.clone()),
                ..Default::default()
            },
            mail::render(
                &format!("💸 Payout initiated: ${} {}", Cents(payout).whole_dollars(), booking.currency),
                "Your work was accepted and your payout is on its way.",
                &[
                    ("Work order ID", wo.id.clone()),
                    ("Payout ID", id.clone()),
                    ("Amount", format!("{}.{:02} {}", payout / 100, payout % 100, booking.currency)),
                    ("Platform fee", format!("{}.{:02} {}", fee / 100, fee % 100, booking.currency)),
                ],
                None,
            ),
        )
        .await?;
        events::record(
            &txn,
            &booking.principal_id,
            EventType::PayoutInitiated,
            "payout",
            id,
            json!({ "payout_id": id, "work_order_id": wo.id, "talent_id": wo.talent_id, "amount": Cents(payout).whole_dollars(), "amount_cents": payout, "currency": booking.currency }),
        )
        .await?;
    }
    if let Some((dispute_id, outcome, pct)) = record.dispute {
        let resolved = disputes::Entity::update_many()
            .col_expr(disputes::Column::Status, Expr::value("resolved"))
            .col_expr(disputes::Column::Outcome, Expr::value(outcome))
            .col_expr(disputes::Column::TalentSharePct, Expr::value(pct))
            .col_expr(disputes::Column::ResolvedAt, Expr::value(now))
            .filter(disputes::Column::Id.eq(dispute_id))
            .filter(disputes::Column::Status.eq("open"))
            .exec(&txn)
            .await?;
        if resolved.rows_affected != 1 {
            txn.rollback().await?;
            return Err(Error::new(ErrorCode::PolicyBlocked, "The dispute was resolved meanwhile")
                .with_details(json!({ "current_status": "resolved" })));
        }
    }
    let mut summary = record.summary;
    if let Some(map) = summary.as_object_mut() {
        map.insert("settlement".into(), serde_json::to_value(&settlement).map_err(Error::internal)?);
    }
    audit::record(&txn, caller, record.action, record.entity_type, record.entity_id, summary).await?;
    txn.commit().await?;
    Ok(settlement)
}

/// For tests and the dashboard: the ledger of a booking balances.
pub async fn booking_balanced(conn: &impl ConnectionTrait, booking_id: &str) -> Result<bool, Error> {
    Ok(ledger::booking_balance(conn, booking_id).await?.0 == 0)
}
