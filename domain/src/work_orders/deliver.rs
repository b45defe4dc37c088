use super::{RegisterDeliverables, RequestChanges, WorkOrder};
use crate::caller::Caller;
use crate::entities::{deliverables, files, tasks, work_orders};
use crate::events::{self, DomainEvent};
use crate::status::{FileStatus, Machine, WorkOrderAction};
use crate::templates;
use crate::transition::transition;
use crate::{Error, Services, content_types, ids};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait, sea_query::Expr};
use serde_json::json;
use std::collections::HashSet;

/// The talent registers a complete delivery of uploaded files. It replaces any earlier
/// delivery: QA and acceptance look at the newest set.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn register(
    svc: &Services,
    caller: &Caller,
    work_order_id: &str,
    request: RegisterDeliverables,
) -> Result<WorkOrder, Error> {
    let talent_id = caller.talent_id()?;
    let wo = super::find(&svc.db, caller, work_order_id).await?;
    // Refuse early what the guarded write below would refuse anyway, with the same answer.
    wo.status.next(WorkOrderAction::Deliver)?;
    let task =
        tasks::Entity::find_by_id(wo.task_id.clone()).one(&svc.db).await?.ok_or_else(|| Error::not_found("Task"))?;
    let rules = &templates::of_task(&task)?.rules;

    let mut errors = Vec::new();
    if request.deliverables.is_empty() {
        errors.push("/deliverables: at least one".to_owned());
    }
    let mut seen = HashSet::new();
    let mut rows = Vec::new();
    for (i, d) in request.deliverables.iter().enumerate() {
        if !rules.deliverable_kinds.contains(&d.kind) {
            errors.push(format!(
                "/deliverables/{i}/kind: {} takes no {} deliverables",
                task.task_type,
                d.kind.as_str()
            ));
        }
        if d.file_ids.is_empty() || d.file_ids.len() > 500 {
            errors.push(format!("/deliverables/{i}/file_ids: 1–500 files"));
        }
        for (j, file_id) in d.file_ids.iter().enumerate() {
            if !seen.insert(file_id.clone()) {
                errors.push(format!("/deliverables/{i}/file_ids/{j}: {file_id} is listed twice"));
                continue;
            }
            let file = files::Entity::find_by_id(file_id.clone())
                .filter(files::Column::OwnerType.eq("talent"))
                .filter(files::Column::OwnerId.eq(talent_id))
                .one(&svc.db)
                .await?;
            match file {
                None => errors.push(format!("/deliverables/{i}/file_ids/{j}: no file {file_id} of yours")),
                Some(f) if f.status != FileStatus::Ready => {
                    errors.push(format!("/deliverables/{i}/file_ids/{j}: {file_id} is {}, not ready", f.status))
                }
                Some(f) if f.work_order_id.as_deref() != Some(wo.id.as_str()) => errors
                    .push(format!("/deliverables/{i}/file_ids/{j}: {file_id} was uploaded for another work order")),
                Some(f) => {
                    let format = content_types::format_of(&f.declared_type).unwrap_or_default();
                    if !d.kind.formats().contains(&format) {
                        errors.push(format!(
                            "/deliverables/{i}/file_ids/{j}: a {format} file is not a {} deliverable",
                            d.kind.as_str()
                        ));
                    }
                    rows.push((d.kind, f.id, d.metadata.clone().unwrap_or_else(|| json!({}))));
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::validation("Invalid deliverables", errors));
    }

    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let (_, wo) = super::guarded(&txn, &wo).await?;
    let set = wo.delivery_set + 1;
    transition::<work_orders::Entity>(&txn, &wo.id, wo.status, WorkOrderAction::Deliver, |u| {
        u.col_expr(work_orders::Column::DeliverySet, Expr::value(set))
            .filter(work_orders::Column::DeliverySet.eq(wo.delivery_set))
    })
    .await?;
    let mut ids_out = Vec::new();
    for (kind, file_id, metadata) in rows {
        let id = ids::new_id("dlv");
        deliverables::Entity::insert(deliverables::ActiveModel {
            id: Set(id.clone()),
            work_order_id: Set(wo.id.clone()),
            file_id: Set(file_id),
            kind: Set(kind.as_str().to_owned()),
            metadata: Set(metadata),
            delivery_set: Set(set),
            created_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        ids_out.push(id);
    }
    crate::tasks::refresh_status(&txn, &task.id).await?;
    let evaluate = crate::jobs::Job::EvaluateDelivery { work_order_id: wo.id.clone(), delivery_set: set };
    crate::jobs::enqueue(&txn, &evaluate, now).await?;
    let registered = events::DeliverableRegistered {
        work_order_id: wo.id.clone(),
        task_id: task.id.clone(),
        delivery_set: set,
        deliverable_ids: ids_out.clone(),
    };
    events::emit_audited(
        &txn,
        caller,
        &wo.principal_id,
        DomainEvent::DeliverableRegistered(registered),
        "deliverables.registered",
        json!({ "delivery_set": set, "count": ids_out.len() }),
    )
    .await?;
    txn.commit().await?;
    super::get(svc, caller, &wo.id).await
}

/// The principal asks for changes; the talent delivers again and QA runs again.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn request_changes(
    svc: &Services,
    caller: &Caller,
    work_order_id: &str,
    request: RequestChanges,
) -> Result<WorkOrder, Error> {
    let principal_id = caller.principal_id()?;
    let reason = crate::text::tidy(&request.reason);
    if !crate::text::fits(&request.reason, 5000) {
        return Err(Error::validation("Invalid change request", vec!["/reason: 1–5000 characters".into()]));
    }
    let wo = super::find(&svc.db, caller, work_order_id).await?;
    wo.status.next(WorkOrderAction::RequestChanges)?;
    let txn = svc.db.begin().await?;
    let (_, wo) = super::guarded(&txn, &wo).await?;
    transition::<work_orders::Entity>(&txn, &wo.id, wo.status, WorkOrderAction::RequestChanges, |u| {
        u.col_expr(work_orders::Column::ChangesReason, Expr::value(reason.clone()))
    })
    .await?;
    let summary = json!({ "reason": reason, "checks": request.checks });
    let requested = events::WorkOrderChangesRequested {
        work_order_id: wo.id.clone(),
        task_id: wo.task_id.clone(),
        reason: reason.clone(),
        checks: request.checks.clone().unwrap_or_default(),
    };
    let event = DomainEvent::WorkOrderChangesRequested(requested);
    events::emit_audited(&txn, caller, principal_id, event, "work_order.changes_requested", summary).await?;
    txn.commit().await?;
    super::get(svc, caller, &wo.id).await
}
