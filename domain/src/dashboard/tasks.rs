use super::{Overview, QuoteRow, StatusCount, TASKS_PER_PAGE, TaskPage, WorkPanel};
use crate::caller::Caller;
use crate::entities::{bookings, disputes, events, passkeys, payment_methods, payouts, talent, tasks, work_orders};
use crate::pagination::PageQuery;
use crate::status::{
    BookingAction, BookingStatus, DisputeStatus, Machine, QuoteStatus, TaskStatus, WorkOrderAction, WorkOrderStatus,
};
use crate::talent::GeoPoint;
use crate::tasks::TaskFilter;
use crate::{Error, Services};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// How many events a task page shows: the first ones, which tell how it began, and more than
/// any task's lifecycle makes (about a dozen, plus one per quote and delivery).
const TIMELINE_EVENTS: u64 = 500;

/// The dashboard's start page: the account's tasks counted by status and a page of them,
/// newest first, filtered by `status` when given (as `GET /v1/tasks?status=`).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn overview(
    svc: &Services,
    caller: &Caller,
    status: Option<String>,
    cursor: Option<String>,
) -> Result<Overview, Error> {
    let principal = super::principal(svc, caller).await?;
    // Read first: what changes while the rest is read then arrives by the stream too.
    let last_event_id = crate::events::last_id(svc, &principal.principal_id).await?;
    let status = status.filter(|s| !s.is_empty());
    let page = crate::tasks::list(
        svc,
        caller,
        TaskFilter { status: status.clone(), task_type: None },
        PageQuery { limit: Some(TASKS_PER_PAGE), cursor: cursor.filter(|c| !c.is_empty()) },
    )
    .await?;
    let counted: Vec<(TaskStatus, i64)> = tasks::Entity::find()
        .select_only()
        .column(tasks::Column::Status)
        .column_as(Expr::col(tasks::Column::Id).count(), "n")
        .filter(tasks::Column::PrincipalId.eq(&principal.principal_id))
        .group_by(tasks::Column::Status)
        .into_tuple()
        .all(&svc.db)
        .await?;
    let counted: HashMap<TaskStatus, i64> = counted.into_iter().collect();
    let counts: Vec<StatusCount> = TaskStatus::ALL
        .iter()
        .map(|s| StatusCount { status: *s, count: counted.get(s).copied().unwrap_or(0).unsigned_abs() })
        .collect();
    let has_passkey = passkeys::Entity::find()
        .filter(passkeys::Column::OwnerKind.eq("principal"))
        .filter(passkeys::Column::OwnerId.eq(&principal.principal_id))
        .count(&svc.db)
        .await?
        > 0;
    Ok(Overview {
        total: counts.iter().map(|c| c.count).sum(),
        counts,
        // `list` has refused a status that is not one.
        status: status.as_deref().and_then(TaskStatus::parse),
        tasks: page.data,
        next_cursor: page.next_cursor,
        principal,
        has_passkey,
        last_event_id,
    })
}

/// One of the caller's tasks as its owner steers it (404 for anyone else's).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn task_page(svc: &Services, caller: &Caller, task_id: &str) -> Result<TaskPage, Error> {
    let row = crate::tasks::find(&svc.db, caller, task_id).await?;
    let last_event_id = crate::events::last_id(svc, &row.principal_id).await?;
    let site = row.lat.zip(row.lng).map(|(lat, lng)| GeoPoint { lat, lng });
    let principal_id = row.principal_id.clone();
    let checks = crate::templates::of_task(&row)?.acceptance_tests.clone();
    let task: crate::tasks::Task = row.try_into()?;
    let quotes = crate::quotes::list_for_task(svc, caller, &task.id).await?.data;
    let homes: HashMap<String, GeoPoint> = talent::Entity::find()
        .filter(talent::Column::Id.is_in(quotes.iter().map(|q| q.talent_id.clone())))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|t| (t.id, GeoPoint { lat: t.home_lat, lng: t.home_lng }))
        .collect();
    let quotes: Vec<QuoteRow> = quotes
        .into_iter()
        .rev()
        .map(|quote| {
            let distance_km = site
                .zip(homes.get(&quote.talent_id).copied())
                .map(|(a, b)| (crate::geo_distance::metres(a, b) / 100.0).round() / 10.0);
            QuoteRow { quote, distance_km, can_accept: false, can_book: false }
        })
        .collect();

    let booking_rows = bookings::Entity::find()
        .filter(bookings::Column::TaskId.eq(&task.id))
        .filter(bookings::Column::PrincipalId.eq(&principal_id))
        .order_by_asc(bookings::Column::CreatedAt)
        .all(&svc.db)
        .await?;
    let orders = work_orders::Entity::find()
        .filter(work_orders::Column::TaskId.eq(&task.id))
        .order_by_asc(work_orders::Column::CreatedAt)
        .all(&svc.db)
        .await?;
    let order_ids: Vec<String> = orders.iter().map(|w| w.id.clone()).collect();
    let payout_ids = payouts::Entity::find()
        .select_only()
        .column(payouts::Column::Id)
        .filter(payouts::Column::WorkOrderId.is_in(order_ids.clone()))
        .into_tuple::<String>()
        .all(&svc.db)
        .await?;
    let dispute_ids = disputes::Entity::find()
        .select_only()
        .column(disputes::Column::Id)
        .filter(disputes::Column::WorkOrderId.is_in(order_ids.clone()))
        .into_tuple::<String>()
        .all(&svc.db)
        .await?;
    let subjects: Vec<String> = std::iter::once(task.id.clone())
        .chain(quotes.iter().map(|q: &QuoteRow| q.quote.id.clone()))
        .chain(booking_rows.iter().map(|b| b.id.clone()))
        .chain(order_ids)
        .chain(payout_ids)
        .chain(dispute_ids)
        .collect();
    let audit = crate::audit::about(svc, &principal_id, subjects.clone(), TIMELINE_EVENTS).await?;
    let timeline = events::Entity::find()
        .filter(events::Column::PrincipalId.eq(&principal_id))
        .filter(events::Column::EntityId.is_in(subjects))
        .order_by_asc(events::Column::Seq)
        .limit(TIMELINE_EVENTS)
        .all(&svc.db)
        .await?
        .into_iter()
        .map(crate::events::Event::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let latest = booking_rows.into_iter().last();
    let work = match latest.as_ref().and_then(|b| orders.iter().find(|w| w.booking_id == b.id)) {
        Some(wo) => Some(work_panel(svc, wo.clone(), checks).await?),
        None => None,
    };
    let booking = match latest {
        Some(b) => Some(crate::bookings::view(&svc.db, b).await?),
        None => None,
    };
    // As `bookings::cancel` decides: a live booking, with nothing delivered and no dispute open.
    let can_cancel = booking.as_ref().is_some_and(|b| b.status.allows(BookingAction::Cancel))
        && work.as_ref().is_none_or(|w| w.work_order.delivery_set == 0 && !w.can_resolve_dispute);
    let any_accepted = quotes.iter().any(|q| q.quote.status == QuoteStatus::Accepted);
    let rebookable =
        booking.as_ref().is_none_or(|b| matches!(b.status, BookingStatus::Cancelled | BookingStatus::PendingEscrow));
    let quotes = quotes
        .into_iter()
        .map(|q| QuoteRow {
            can_accept: q.quote.status == QuoteStatus::Pending && !any_accepted,
            can_book: q.quote.status == QuoteStatus::Accepted && rebookable,
            ..q
        })
        .collect();
    let card_on_file = payment_methods::Entity::find()
        .filter(payment_methods::Column::PrincipalId.eq(&principal_id))
        .filter(payment_methods::Column::DetachedAt.is_null())
        .count(&svc.db)
        .await?
        > 0;
    Ok(TaskPage { task, quotes, booking, card_on_file, can_cancel, work, timeline, audit, last_event_id })
}

/// A work order with QA's stored verdict and its dispute, and what the owner may decide now, as
/// `work_orders::accept`, `request_changes`, `open_dispute` and `resolve_dispute` decide it.
async fn work_panel(
    svc: &Services,
    wo: work_orders::Model,
    checks: Vec<crate::templates::AcceptanceTest>,
) -> Result<WorkPanel, Error> {
    let qa = match wo.delivery_set {
        0 => None,
        set => crate::qa::stored(&svc.db, &wo.id, set).await?,
    };
    let mut disputes = disputes::Entity::find()
        .filter(disputes::Column::WorkOrderId.eq(&wo.id))
        .order_by_desc(disputes::Column::CreatedAt)
        .all(&svc.db)
        .await?;
    let shown = disputes.iter().position(|d| d.status == DisputeStatus::Open).unwrap_or(0);
    let dispute = match (shown < disputes.len()).then(|| disputes.swap_remove(shown)) {
        Some(d) => Some(crate::work_orders::view_dispute(&svc.db, d).await?),
        None => None,
    };
    let status = wo.status;
    let delivered = wo.delivery_set > 0;
    Ok(WorkPanel {
        can_accept: delivered && (status == WorkOrderStatus::Delivered || status.allows(WorkOrderAction::Accept)),
        needs_override: status == WorkOrderStatus::QaFailed
            || qa.as_ref().is_some_and(|r| r.status == crate::qa::QaStatus::Failed),
        can_request_changes: status.allows(WorkOrderAction::RequestChanges),
        can_open_dispute: status.allows(WorkOrderAction::Dispute),
        can_resolve_dispute: dispute.as_ref().is_some_and(|d| d.status == DisputeStatus::Open),
        work_order: crate::work_orders::view(svc, wo).await?,
        qa,
        checks,
        dispute,
    })
}
