use super::{Deliverable, DeliverableList, WorkOrder};
use crate::caller::Caller;
use crate::entities::{bookings, deliverables, disputes, files, work_orders};
use crate::status::DisputeStatus;
use crate::templates::DeliverableKind;
use crate::{Error, Services};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;

/// A work order the caller may see: the principal's, or the talent's own.
pub async fn find(conn: &impl ConnectionTrait, caller: &Caller, id: &str) -> Result<work_orders::Model, Error> {
    crate::files::work_order_for(conn, caller, id).await
}

/// The dispute open on a work order, if any.
pub async fn open_dispute_of(
    conn: &impl ConnectionTrait,
    work_order_id: &str,
) -> Result<Option<disputes::Model>, Error> {
    Ok(disputes::Entity::find()
        .filter(disputes::Column::WorkOrderId.eq(work_order_id))
        .filter(disputes::Column::Status.eq(DisputeStatus::Open))
        .one(conn)
        .await?)
}

/// Takes the work order's booking (see `bookings::guard`), then reads the work order again:
/// what the caller decides from here on is decided on the latest state, and nothing that
/// moves the booking's money runs at the same time.
pub async fn guarded(
    conn: &impl ConnectionTrait,
    wo: &work_orders::Model,
) -> Result<(bookings::Model, work_orders::Model), Error> {
    let booking = crate::bookings::guard(conn, &wo.booking_id).await?;
    let wo = work_orders::Entity::find_by_id(wo.id.clone())
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found("Work order"))?;
    Ok((booking, wo))
}

/// The deliverables of the work order's current delivery, with fresh download links.
pub async fn current_deliverables(svc: &Services, wo: &work_orders::Model) -> Result<Vec<Deliverable>, Error> {
    let rows = deliverables::Entity::find()
        .filter(deliverables::Column::WorkOrderId.eq(&wo.id))
        .filter(deliverables::Column::DeliverySet.eq(wo.delivery_set))
        .order_by_asc(deliverables::Column::Id)
        .all(&svc.db)
        .await?;
    let file_rows: HashMap<String, files::Model> = files::Entity::find()
        .filter(files::Column::Id.is_in(rows.iter().map(|d| d.file_id.clone())))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    rows.into_iter()
        .map(|d| {
            let file = file_rows
                .get(&d.file_id)
                .cloned()
                .ok_or_else(|| Error::internal(format!("deliverable {} lost its file", d.id)))?;
            let kind: DeliverableKind = serde_json::from_value(serde_json::Value::String(d.kind.clone()))
                .map_err(|_| Error::internal(format!("deliverable {} has kind {}", d.id, d.kind)))?;
            Ok(Deliverable {
                id: d.id,
                kind,
                file: crate::files::view(svc, file)?,
                metadata: d.metadata,
                created_at: d.created_at,
            })
        })
        .collect()
}

pub async fn view(svc: &Services, wo: work_orders::Model) -> Result<WorkOrder, Error> {
    let deliverables = current_deliverables(svc, &wo).await?;
    Ok(WorkOrder {
        status: wo.status,
        id: wo.id,
        task_id: wo.task_id,
        booking_id: wo.booking_id,
        talent_id: wo.talent_id,
        delivery_set: u32::try_from(wo.delivery_set).unwrap_or(0),
        changes_reason: wo.changes_reason,
        deliverables,
        accepted_at: wo.accepted_at,
        created_at: wo.created_at,
        updated_at: wo.updated_at,
    })
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get(svc: &Services, caller: &Caller, id: &str) -> Result<WorkOrder, Error> {
    view(svc, find(&svc.db, caller, id).await?).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_deliverables(svc: &Services, caller: &Caller, id: &str) -> Result<DeliverableList, Error> {
    let wo = find(&svc.db, caller, id).await?;
    Ok(DeliverableList {
        work_order_id: wo.id.clone(),
        delivery_set: u32::try_from(wo.delivery_set).unwrap_or(0),
        data: current_deliverables(svc, &wo).await?,
    })
}
