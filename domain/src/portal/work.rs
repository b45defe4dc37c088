use super::{PortalFile, PortalWork};
use crate::caller::Caller;
use crate::entities::{deliverables, files, tasks, work_orders};
use crate::status::FileStatus;
use crate::templates::{DeliverableKind, DeliverableSpec};
use crate::work_orders::{DeliverableInput, RegisterDeliverables, WorkOrder};
use crate::{Error, Services, content_types, templates};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// `3 photos (jpeg)`.
pub(super) fn ask(spec: &DeliverableSpec) -> String {
    let noun = match (spec.kind, spec.count) {
        (DeliverableKind::Photo, 1) => "photo",
        (DeliverableKind::Photo, _) => "photos",
        (DeliverableKind::Video, 1) => "video",
        (DeliverableKind::Video, _) => "videos",
        (DeliverableKind::Audio, 1) => "recording",
        (DeliverableKind::Audio, _) => "recordings",
        (DeliverableKind::Document, 1) => "document",
        (DeliverableKind::Document, _) => "documents",
    };
    format!("{} {noun} ({})", spec.count, spec.format)
}

/// The kind of deliverable a file of this content type is, among those the task takes.
fn kind_of(content_type: &str, kinds: &[DeliverableKind]) -> Option<DeliverableKind> {
    let format = content_types::format_of(content_type)?;
    kinds.iter().copied().find(|k| k.formats().contains(&format))
}

/// The work on one of the signed-in talent's bookings; `None` before the booking is confirmed
/// (no work order yet).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn work(svc: &Services, caller: &Caller, booking_id: &str) -> Result<Option<PortalWork>, Error> {
    let talent_id = caller.talent_id()?;
    let booking = crate::bookings::find(&svc.db, caller, booking_id).await?;
    let Some(wo) = work_orders::Entity::find()
        .filter(work_orders::Column::BookingId.eq(&booking.id))
        .filter(work_orders::Column::TalentId.eq(talent_id))
        .one(&svc.db)
        .await?
    else {
        return Ok(None);
    };
    let task =
        tasks::Entity::find_by_id(wo.task_id.clone()).one(&svc.db).await?.ok_or_else(|| Error::not_found("Task"))?;
    let template = templates::of_task(&task)?;
    let specs: Vec<DeliverableSpec> = serde_json::from_value(task.deliverables.clone()).map_err(Error::internal)?;
    let delivered: HashMap<String, String> = deliverables::Entity::find()
        .filter(deliverables::Column::WorkOrderId.eq(&wo.id))
        .filter(deliverables::Column::DeliverySet.eq(wo.delivery_set))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|d| (d.file_id, d.id))
        .collect();
    let files = files::Entity::find()
        .filter(files::Column::WorkOrderId.eq(&wo.id))
        .filter(files::Column::OwnerType.eq("talent"))
        .filter(files::Column::OwnerId.eq(talent_id))
        .filter(files::Column::Status.eq(FileStatus::Ready))
        .order_by_desc(files::Column::CreatedAt)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|f| PortalFile {
            deliverable_id: delivered.get(&f.id).cloned(),
            id: f.id,
            filename: f.filename,
            content_type: f.declared_type,
            size_bytes: u64::try_from(f.size_bytes).unwrap_or(0),
            sha256: f.sha256,
            created_at: f.created_at,
        })
        .collect();
    let kinds = &template.rules.deliverable_kinds;
    let accept =
        content_types::accepted().into_iter().filter(|t| kind_of(t, kinds).is_some()).map(str::to_owned).collect();
    Ok(Some(PortalWork {
        qa: crate::qa::stored(&svc.db, &wo.id, wo.delivery_set).await?,
        work_order_id: wo.id,
        status: wo.status,
        delivery_set: u32::try_from(wo.delivery_set).unwrap_or(0),
        changes_reason: wo.changes_reason,
        asks: specs.iter().map(ask).collect(),
        checks: template.acceptance_tests.clone(),
        accept,
        max_file_bytes: u64::from(template.rules.max_file_mb) * 1024 * 1024,
        files,
    }))
}

/// The portal's delivery form: the chosen files (their ids, as the form sends them), each
/// delivered as the kind its type is, registered as `POST /v1/work_orders/:id/deliverables`
/// registers them.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn deliver(
    svc: &Services,
    caller: &Caller,
    work_order_id: &str,
    file_ids: &[String],
) -> Result<WorkOrder, Error> {
    let talent_id = caller.talent_id()?;
    let wo = crate::work_orders::find(&svc.db, caller, work_order_id).await?;
    let task =
        tasks::Entity::find_by_id(wo.task_id.clone()).one(&svc.db).await?.ok_or_else(|| Error::not_found("Task"))?;
    let kinds = &templates::of_task(&task)?.rules.deliverable_kinds;
    let chosen = files::Entity::find()
        .filter(files::Column::Id.is_in(file_ids.iter().cloned()))
        .filter(files::Column::OwnerType.eq("talent"))
        .filter(files::Column::OwnerId.eq(talent_id))
        .all(&svc.db)
        .await?;
    let mut by_kind: BTreeMap<&'static str, (DeliverableKind, Vec<String>)> = BTreeMap::new();
    let mut errors = Vec::new();
    if file_ids.is_empty() {
        errors.push("/file_ids: choose at least one file".to_owned());
    }
    for (i, id) in file_ids.iter().enumerate() {
        match chosen.iter().find(|f| &f.id == id) {
            None => errors.push(format!("/file_ids/{i}: no file {id} of yours")),
            Some(f) => match kind_of(&f.declared_type, kinds) {
                None => errors.push(format!(
                    "/file_ids/{i}: {} is {}, which {} does not take",
                    f.filename, f.declared_type, task.task_type
                )),
                Some(kind) => by_kind.entry(kind.as_str()).or_insert_with(|| (kind, Vec::new())).1.push(id.clone()),
            },
        }
    }
    if !errors.is_empty() {
        return Err(Error::validation("Invalid delivery", errors));
    }
    let deliverables =
        by_kind.into_values().map(|(kind, file_ids)| DeliverableInput { kind, file_ids, metadata: None }).collect();
    crate::work_orders::register(svc, caller, work_order_id, RegisterDeliverables { deliverables }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_delivered_as_the_kind_their_type_is_among_those_the_task_takes() {
        let both = [DeliverableKind::Photo, DeliverableKind::Video];
        assert_eq!(kind_of("image/heic", &both), Some(DeliverableKind::Photo));
        assert_eq!(kind_of("video/quicktime", &both), Some(DeliverableKind::Video));
        assert_eq!(kind_of("video/mp4", &[DeliverableKind::Photo]), None);
        assert_eq!(kind_of("application/zip", &both), None);
        let spec = DeliverableSpec { kind: DeliverableKind::Photo, count: 3, format: "jpeg".into() };
        assert_eq!(ask(&spec), "3 photos (jpeg)");
    }
}
