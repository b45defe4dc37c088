use super::{AcceptWork, AcceptedWork};
use crate::caller::Caller;
use crate::entities::work_orders;
use crate::escrow::{self, Decision, Terms};
use crate::money::Cents;
use crate::qa::{self, QaStatus};
use crate::status::{BookingAction, Machine, WorkOrderAction, WorkOrderStatus};
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, audit};
use sea_orm::{TransactionTrait, sea_query::Expr};
use serde_json::json;

/// Accepts the work: the escrow is captured, 85 % goes to the talent and 15 % is the fee. What
/// is paid for is the delivery QA evaluated: QA runs first if it has not for the current
/// delivery, and a delivery registered meanwhile must be evaluated before it can be accepted.
/// Work whose QA failed needs `override`, and the audit row names the delivery it overrode.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn accept(
    svc: &Services,
    caller: &Caller,
    work_order_id: &str,
    request: AcceptWork,
) -> Result<AcceptedWork, Error> {
    let principal_id = caller.principal_id()?;
    let wo = super::find(&svc.db, caller, work_order_id).await?;
    if wo.delivery_set == 0
        || !matches!(wo.status, WorkOrderStatus::Delivered) && !wo.status.allows(WorkOrderAction::Accept)
    {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("This work order is {} and cannot be accepted", wo.status),
        )
        .with_details(json!({ "current_status": wo.status })));
    }
    let report = qa::run(svc, caller, work_order_id).await?;
    let failed = report.status == QaStatus::Failed;
    if failed && !request.r#override {
        let names: Vec<&str> = report.checks.iter().filter(|c| !c.passed).map(|c| c.name.as_str()).collect();
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            "QA failed: accept with {\"override\": true} to pay anyway, or request changes",
        )
        .with_details(json!({ "current_status": "qa_failed", "failed_checks": names })));
    }
    let evaluated = i32::try_from(report.delivery_set).map_err(Error::internal)?;

    let txn = svc.db.begin().await?;
    let booking = crate::bookings::find(&txn, caller, &wo.booking_id).await?;
    // The booking's own transition is the guard: a cancel or a resolution racing this one waits,
    // then finds the booking completed.
    transition::<crate::entities::bookings::Entity>(&txn, &booking.id, booking.status, BookingAction::Complete, |u| u)
        .await?;
    let wo = super::find(&txn, caller, work_order_id).await?;
    if wo.delivery_set != evaluated {
        txn.rollback().await?;
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!(
                "Delivery {} arrived after QA evaluated delivery {evaluated}; run QA on it (GET /v1/work_orders/{}/qa) \
                 before accepting",
                wo.delivery_set, wo.id
            ),
        )
        .with_details(
            json!({ "current_status": wo.status, "delivery_set": wo.delivery_set, "evaluated": evaluated }),
        ));
    }
    let now = crate::time::now();
    transition::<work_orders::Entity>(&txn, &wo.id, wo.status, WorkOrderAction::Accept, |u| {
        u.col_expr(work_orders::Column::AcceptedAt, Expr::value(now))
    })
    .await?;
    let terms = Terms::accepted(Cents(booking.amount_cents))?;
    let decision = Decision {
        caller,
        booking: &booking,
        work_order_id: &wo.id,
        dispute_id: None,
        terms,
        delivery_set: Some(evaluated),
    };
    let settlement = escrow::decide(&txn, decision).await?;
    let planned = escrow::view(&txn, &settlement).await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "work_order.accepted",
        "work_order",
        &wo.id,
        json!({
            "qa": if failed { "failed, accepted with override" } else { "passed" },
            "override": failed,
            "delivery_set": evaluated,
            "settlement": planned,
        }),
    )
    .await?;
    txn.commit().await?;

    let settled = escrow::carry_out(svc, &settlement.id).await?;
    Ok(AcceptedWork {
        work_order: super::get(svc, caller, work_order_id).await?,
        settlement: escrow::view(&svc.db, &settled).await?,
    })
}
