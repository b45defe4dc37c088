use super::{DomainEvent, Event, EventList, EventQuery, EventType};
use crate::caller::Caller;
use crate::entities::{events, webhook_deliveries, webhook_endpoints};
use crate::jobs::Job;
use crate::status::{DeliveryStatus, EndpointStatus};
use crate::{Error, Services, ids};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, TransactionTrait, sea_query::Expr, sea_query::OnConflict,
};

/// Writes an event to the outbox on `conn`, the transaction of the change that caused it:
/// if the change rolls back, so does the event. Returns the event's id.
pub async fn emit(conn: &impl ConnectionTrait, principal_id: &str, event: DomainEvent) -> Result<String, Error> {
    let id = ids::new_id("evt");
    let (entity_type, entity_id) = event.subject();
    events::Entity::insert(events::ActiveModel {
        id: Set(id.clone()),
        principal_id: Set(principal_id.to_owned()),
        event_type: Set(event.event_type().as_str().to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id.to_owned()),
        data: Set(event.data().map_err(Error::internal)?),
        created_at: Set(crate::time::now()),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}

/// Writes an event and the audit row of the caller's change that caused it, on `conn`, in one
/// call: the row names the event's subject, and its summary the event's id, so the log and the
/// stream of one change always agree. Returns the event's id.
pub async fn emit_audited(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    principal_id: &str,
    event: DomainEvent,
    action: &str,
    mut summary: serde_json::Value,
) -> Result<String, Error> {
    let (entity_type, entity_id) = event.subject();
    let entity_id = entity_id.to_owned();
    let id = emit(conn, principal_id, event).await?;
    if let Some(object) = summary.as_object_mut() {
        object.insert("event_id".into(), serde_json::Value::String(id.clone()));
    }
    crate::audit::record(conn, caller, principal_id, action, entity_type, &entity_id, summary).await?;
    Ok(id)
}

impl TryFrom<events::Model> for Event {
    type Error = Error;

    fn try_from(m: events::Model) -> Result<Self, Error> {
        Ok(Event {
            event_type: EventType::parse(&m.event_type)
                .ok_or_else(|| Error::internal(format!("event {} has type {}", m.id, m.event_type)))?,
            id: m.id,
            created_at: m.created_at,
            data: m.data,
        })
    }
}

/// Arbitrary, fixed: the advisory lock that makes one sequencer run at a time (PostgreSQL).
const SEQUENCER_LOCK: i64 = 0x4844_5345_5143;

/// Gives committed events their position, in the order this runs — which is after their
/// transactions committed — and fans each out to the webhook endpoints subscribed to it and to
/// the emails it sends (`mail::notify`), once: both are written with the position.
/// Events still in an open transaction are not seen, and get a later position once they
/// commit, so a reader that walks positions never skips one. Returns how many it placed.
pub async fn sequence(svc: &Services) -> Result<usize, Error> {
    let txn = svc.db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        txn.execute(Statement::from_sql_and_values(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [SEQUENCER_LOCK.into()],
        ))
        .await?;
    }
    let pending = events::Entity::find()
        .filter(events::Column::Position.is_null())
        .order_by_asc(events::Column::Seq)
        .limit(500)
        .all(&txn)
        .await?;
    if pending.is_empty() {
        txn.commit().await?;
        return Ok(0);
    }
    let last: Option<Option<i64>> = events::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(MAX(position) AS BIGINT)"), "max")
        .into_tuple()
        .one(&txn)
        .await?;
    let mut position = last.flatten().unwrap_or(0);
    let principals: Vec<String> = pending.iter().map(|e| e.principal_id.clone()).collect();
    let endpoints = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::PrincipalId.is_in(principals))
        .filter(webhook_endpoints::Column::Status.eq(EndpointStatus::Enabled))
        .all(&txn)
        .await?;
    let now = crate::time::now();
    for event in &pending {
        position += 1;
        events::Entity::update_many()
            .col_expr(events::Column::Position, Expr::value(position))
            .filter(events::Column::Seq.eq(event.seq))
            .exec(&txn)
            .await?;
        crate::mail::notify::enqueue_for(&txn, &svc.config.public_url, event).await?;
        for endpoint in
            endpoints.iter().filter(|e| e.principal_id == event.principal_id && subscribed(e, &event.event_type))
        {
            let delivery_id = ids::new_id("whd");
            let inserted = webhook_deliveries::Entity::insert(webhook_deliveries::ActiveModel {
                id: Set(delivery_id.clone()),
                endpoint_id: Set(endpoint.id.clone()),
                event_id: Set(event.id.clone()),
                status: Set(DeliveryStatus::Pending),
                attempts: Set(0),
                next_attempt_at: Set(now),
                last_status: Set(None),
                created_at: Set(now),
                completed_at: Set(None),
            })
            .on_conflict(
                OnConflict::columns([webhook_deliveries::Column::EndpointId, webhook_deliveries::Column::EventId])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            if inserted == 1 {
                let job = Job::DeliverWebhook { delivery_id, principal_id: endpoint.principal_id.clone() };
                crate::jobs::enqueue(&txn, &job, now).await?;
            }
        }
    }
    txn.commit().await?;
    svc.placed.send_replace(position);
    Ok(pending.len())
}

/// Whether an endpoint takes events of this type (`*` takes all).
pub fn subscribed(endpoint: &webhook_endpoints::Model, event_type: &str) -> bool {
    endpoint.events.as_array().is_some_and(|types| types.iter().any(|t| t == "*" || t == event_type))
}

/// `GET /v1/events?after=`: the caller's events in commit order, after the one named.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list(svc: &Services, caller: &Caller, query: EventQuery) -> Result<EventList, Error> {
    caller.principal_id()?;
    let limit = query.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(Error::validation("Invalid query", vec![format!("/limit: {limit} is not between 1 and 100")]));
    }
    sequence(svc).await?;
    let (data, has_more) = after(svc, caller, query.after.as_deref(), limit.unsigned_abs()).await?;
    Ok(EventList { data: data.into_iter().map(|(_, e)| e).collect(), has_more })
}

/// The caller's sequenced events after the one with id `after` (from the first when `None`),
/// at most `limit`, each with its position; and whether there are more. An id that is not one of
/// the caller's events is refused (400).
pub async fn after(
    svc: &Services,
    caller: &Caller,
    after: Option<&str>,
    limit: u64,
) -> Result<(Vec<(i64, Event)>, bool), Error> {
    let principal_id = caller.principal_id()?;
    let start = match after.filter(|a| !a.is_empty()) {
        None => 0,
        Some(id) => position_of(svc, principal_id, id).await?,
    };
    after_position(svc, caller, start, limit).await
}

/// The position of one of the principal's events, or 400 naming `/after`.
pub async fn position_of(svc: &Services, principal_id: &str, event_id: &str) -> Result<i64, Error> {
    events::Entity::find()
        .filter(events::Column::PrincipalId.eq(principal_id))
        .filter(events::Column::Id.eq(event_id))
        .one(&svc.db)
        .await?
        .and_then(|e| e.position)
        .ok_or_else(|| {
            Error::validation("Invalid query", vec![format!("/after: {event_id:?} is not one of your events")])
        })
}

/// The position of the principal's latest sequenced event (0 before the first).
pub async fn last_position(svc: &Services, principal_id: &str) -> Result<i64, Error> {
    let last: Option<Option<i64>> = events::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(MAX(position) AS BIGINT)"), "max")
        .filter(events::Column::PrincipalId.eq(principal_id))
        .into_tuple()
        .one(&svc.db)
        .await?;
    Ok(last.flatten().unwrap_or(0))
}

/// The id of the principal's latest sequenced event: where a live view of what was read now
/// starts following (`None` before the first).
pub async fn last_id(svc: &Services, principal_id: &str) -> Result<Option<String>, Error> {
    Ok(events::Entity::find()
        .filter(events::Column::PrincipalId.eq(principal_id))
        .filter(events::Column::Position.is_not_null())
        .order_by_desc(events::Column::Position)
        .one(&svc.db)
        .await?
        .map(|e| e.id))
}

/// The caller's sequenced events after position `start`, as [`after`].
pub async fn after_position(
    svc: &Services,
    caller: &Caller,
    start: i64,
    limit: u64,
) -> Result<(Vec<(i64, Event)>, bool), Error> {
    let rows = events::Entity::find()
        .filter(events::Column::PrincipalId.eq(caller.principal_id()?))
        .filter(events::Column::Position.gt(start))
        .order_by_asc(events::Column::Position)
        .limit(limit + 1)
        .all(&svc.db)
        .await?;
    let has_more = rows.len() as u64 > limit;
    let data = rows
        .into_iter()
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|m| Ok((m.position.unwrap_or(start), Event::try_from(m)?)))
        .collect::<Result<_, Error>>()?;
    Ok((data, has_more))
}
