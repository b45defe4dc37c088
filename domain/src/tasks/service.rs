use super::{Budget, Location, Schedule, Task, TaskFilter, ValidTask, validate};
use crate::caller::Caller;
use crate::entities::{bookings, quotes, tasks, work_orders};
use crate::events::{self, DomainEvent};
use crate::money::Cents;
use crate::pagination::{Cursor, Page, PageQuery};
use crate::status::{TaskFacts, TaskStatus};
use crate::templates::{DeliverableSpec, LocationMode, TaskType};
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, ids};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use serde_json::{Value, json};

impl TryFrom<tasks::Model> for Task {
    type Error = Error;

    fn try_from(m: tasks::Model) -> Result<Self, Error> {
        let corrupt = |what: &str| Error::internal(format!("task {} has an unreadable {what}", m.id));
        Ok(Task {
            task_type: TaskType::parse(&m.task_type).ok_or_else(|| corrupt("task_type"))?,
            status: m.status,
            location: Location {
                mode: LocationMode::parse(&m.location_mode).ok_or_else(|| corrupt("location mode"))?,
                address: m.address.clone(),
                lat: m.lat,
                lng: m.lng,
                radius_m: m.radius_m.and_then(|r| u32::try_from(r).ok()).unwrap_or_default(),
            },
            schedule: Schedule { start_at: m.start_at, duration_hours: f64::from(m.duration_minutes) / 60.0 },
            budget: Budget {
                currency: m.currency.clone(),
                pricing_model: m.pricing_model.clone(),
                max_total: Cents(m.budget_cents).whole_dollars(),
            },
            deliverables: serde_json::from_value::<Vec<DeliverableSpec>>(m.deliverables.clone())
                .map_err(|_| corrupt("deliverables"))?,
            id: m.id,
            title: m.title,
            description: m.description,
            task_spec: m.task_spec,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }
}

/// Validates `body` against its template and creates the task, its `task.created` event and
/// its audit row in one transaction.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(svc: &Services, caller: &Caller, body: &Value) -> Result<Task, Error> {
    let principal_id = caller.principal_id()?;
    let now = crate::time::now();
    let valid: ValidTask = validate(body, now)?;
    let id = ids::new_id("task");
    let model = tasks::Model {
        id: id.clone(),
        principal_id: principal_id.to_owned(),
        task_type: valid.task_type.as_str().to_owned(),
        title: valid.title,
        description: valid.description,
        status: valid.status,
        location_mode: valid.location.mode.as_str().to_owned(),
        address: valid.location.address,
        lat: valid.location.lat,
        lng: valid.location.lng,
        radius_m: i32::try_from(valid.location.radius_m).ok(),
        start_at: valid.start_at,
        duration_minutes: valid.duration_minutes,
        currency: valid.currency,
        pricing_model: valid.pricing_model,
        budget_cents: valid.budget.0,
        deliverables: serde_json::to_value(&valid.deliverables).map_err(Error::internal)?,
        task_spec: valid.task_spec,
        created_at: now,
        updated_at: now,
        accepted_quote_id: None,
    };
    let task = Task::try_from(model.clone())?;

    let txn = svc.db.begin().await?;
    tasks::Entity::insert(tasks::ActiveModel::from(model)).exec_without_returning(&txn).await?;
    let summary = json!({
        "task_type": task.task_type,
        "title": task.title,
        "status": task.status,
        "budget": task.budget,
    });
    let created = DomainEvent::TaskCreated(events::TaskCreated { task: task.clone() });
    events::emit_audited(&txn, caller, principal_id, created, "task.created", summary).await?;
    txn.commit().await?;
    Ok(task)
}

/// One of the caller's tasks; another tenant's task is as absent as a missing one.
pub async fn find(conn: &impl ConnectionTrait, caller: &Caller, task_id: &str) -> Result<tasks::Model, Error> {
    let principal_id = caller.principal_id()?;
    tasks::Entity::find_by_id(task_id.to_owned())
        .filter(tasks::Column::PrincipalId.eq(principal_id))
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found("Task"))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get(svc: &Services, caller: &Caller, task_id: &str) -> Result<Task, Error> {
    find(&svc.db, caller, task_id).await?.try_into()
}

/// The caller's tasks, newest first, filtered by status and task type.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list(svc: &Services, caller: &Caller, filter: TaskFilter, query: PageQuery) -> Result<Page<Task>, Error> {
    let principal_id = caller.principal_id()?;
    let mut errors = Vec::new();
    let status = filter.status.as_deref().map(|s| {
        TaskStatus::parse(s).ok_or_else(|| {
            let all: Vec<&str> = TaskStatus::ALL.iter().map(|s| s.as_str()).collect();
            errors.push(format!("/status: {s:?} is not a task status ({})", all.join(", ")));
        })
    });
    let task_type = filter
        .task_type
        .as_deref()
        .map(|t| TaskType::parse(t).ok_or_else(|| errors.push(format!("/task_type: {t:?} is not a task type"))));
    if !errors.is_empty() {
        return Err(Error::validation("Invalid filter", errors));
    }
    // The scope names the filters too: a cursor from a differently filtered list is refused.
    let scope = format!(
        "tasks:{}:{}:{}",
        principal_id,
        filter.status.as_deref().unwrap_or(""),
        filter.task_type.as_deref().unwrap_or("")
    );
    let page = svc.cursors.request(scope, query.limit, query.cursor.as_deref())?;

    let mut select = tasks::Entity::find().filter(tasks::Column::PrincipalId.eq(principal_id));
    if let Some(Ok(status)) = status {
        select = select.filter(tasks::Column::Status.eq(status));
    }
    if let Some(Ok(task_type)) = task_type {
        select = select.filter(tasks::Column::TaskType.eq(task_type.as_str()));
    }
    if let Some(Cursor { after_id }) = &page.cursor {
        select = select.filter(tasks::Column::Id.lt(after_id));
    }
    let rows = select.order_by_desc(tasks::Column::Id).limit(page.limit + 1).all(&svc.db).await?;
    let page_result = svc.cursors.page(&page, rows, |r| r.id.clone(), |r| r)?;
    Ok(Page {
        data: page_result.data.into_iter().map(Task::try_from).collect::<Result<_, _>>()?,
        has_more: page_result.has_more,
        next_cursor: page_result.next_cursor,
    })
}

/// Moves the task's status to what its quotes, booking, work order and disputes call for
/// ([`TaskStatus::derive`]), forward only. Called in the transaction of every change to them.
pub async fn refresh_status(conn: &impl ConnectionTrait, task_id: &str) -> Result<(), Error> {
    // A concurrent change may move the task first; then the facts are read again.
    for _ in 0..3 {
        let task =
            tasks::Entity::find_by_id(task_id.to_owned()).one(conn).await?.ok_or_else(|| Error::not_found("Task"))?;
        let facts = facts_of(conn, &task).await?;
        let Some((action, _)) = task.status.advance(&facts) else { return Ok(()) };
        match transition::<tasks::Entity>(conn, task_id, task.status, action, |u| u).await {
            Ok(_) => return Ok(()),
            Err(e) if e.code == ErrorCode::PolicyBlocked => continue,
            Err(e) => return Err(e),
        }
    }
    Err(Error::internal(format!("task {task_id}'s status kept changing under its refresh")))
}

async fn facts_of(conn: &impl ConnectionTrait, task: &tasks::Model) -> Result<TaskFacts, Error> {
    let quoted = quotes::Entity::find().filter(quotes::Column::TaskId.eq(&task.id)).count(conn).await? > 0;
    let booking = bookings::Entity::find()
        .filter(bookings::Column::TaskId.eq(&task.id))
        .order_by_desc(bookings::Column::CreatedAt)
        .one(conn)
        .await?;
    let work_order = match &booking {
        Some(b) => work_orders::Entity::find().filter(work_orders::Column::BookingId.eq(&b.id)).one(conn).await?,
        None => None,
    };
    let dispute_open = match &work_order {
        Some(wo) => crate::work_orders::open_dispute_of(conn, &wo.id).await?.is_some(),
        None => false,
    };
    Ok(TaskFacts {
        published: task.status != TaskStatus::Draft,
        quoted,
        booking: booking.map(|b| b.status),
        delivered: work_order.as_ref().is_some_and(|w| w.delivery_set > 0),
        work_order: work_order.map(|w| w.status),
        dispute_open,
    })
}

/// Publishes a draft: from now on talent can quote on it. The schedule is checked again, as a
/// draft may have waited past the template's lead time; a task that is not a draft is refused
/// with its current status.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn publish(svc: &Services, caller: &Caller, task_id: &str) -> Result<Task, Error> {
    let principal_id = caller.principal_id()?;
    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let task = find(&txn, caller, task_id).await?;
    if task.status == TaskStatus::Draft {
        let rules = &crate::templates::of_task(&task)?.rules;
        let earliest = now + chrono::Duration::minutes(rules.min_lead_time_minutes);
        if task.start_at < earliest {
            return Err(Error::validation(
                "The draft cannot be published as scheduled",
                vec![format!(
                    "/schedule/start_at: must be at least {} minutes in the future (earliest {}); create the task again with a later start",
                    rules.min_lead_time_minutes,
                    earliest.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                )],
            ));
        }
    }
    transition::<tasks::Entity>(&txn, task_id, task.status, crate::status::TaskAction::Publish, |u| u).await?;
    crate::audit::record(
        &txn,
        caller,
        principal_id,
        "task.published",
        "task",
        task_id,
        json!({"status": "open_for_quotes"}),
    )
    .await?;
    let published = find(&txn, caller, task_id).await?;
    txn.commit().await?;
    published.try_into()
}

/// Creates a task from the dashboard's form ([`super::form`]): the form's values become the
/// `POST /v1/tasks` body of the template they name, and go through the same validation.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_from_form(
    svc: &Services,
    caller: &Caller,
    values: &super::form::FormValues,
) -> Result<Task, Error> {
    let template = values.get("task_type").and_then(|t| TaskType::parse(t)).map(crate::templates::get);
    let body = match template {
        Some(t) => super::form::request_body(&super::form::task_form(t), values),
        // Validation names the bad type, with every other problem of the form.
        None => json!({ "task_type": values.get("task_type") }),
    };
    create(svc, caller, &body).await
}
