use super::{ACTOR_TYPES, AuditEntry, AuditFilter, AuditSearch, CSV_COLUMNS};
use crate::caller::Caller;
use crate::entities::audit_log;
use crate::pagination::{Cursor, Page, PageQuery};
use crate::{Error, Services, ids};
use chrono::{NaiveDate, NaiveTime};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

/// Writes one audit row on `conn` (the transaction of the change), in the log of the principal
/// whose records it concerns (for a talent or a system job, the principal of the task).
pub async fn record(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    principal_id: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    summary: Value,
) -> Result<(), Error> {
    let (actor_type, actor_id) = caller.audit_actor();
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(ids::new_id("aud")),
        principal_id: Set(principal_id.to_owned()),
        actor_type: Set(actor_type.to_owned()),
        actor_id: Set(actor_id.to_owned()),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id.to_owned()),
        request_id: Set(caller.request_id.clone()),
        summary: Set(summary),
        created_at: Set(crate::time::now()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The caller's audit log, newest first, optionally for one entity (`GET /v1/audit`).
pub async fn list(
    svc: &Services,
    caller: &Caller,
    filter: AuditFilter,
    query: PageQuery,
) -> Result<Page<AuditEntry>, Error> {
    search(svc, caller, &filter.into(), query).await
}

/// The caller's audit log, newest first, narrowed by `search`.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn search(
    svc: &Services,
    caller: &Caller,
    search: &AuditSearch,
    query: PageQuery,
) -> Result<Page<AuditEntry>, Error> {
    let principal_id = caller.principal_id()?;
    let page = svc.cursors.request(format!("audit:{principal_id}"), query.limit, query.cursor.as_deref())?;
    let (from, to) = (day(search.from.as_deref(), "from")?, day(search.to.as_deref(), "to")?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err(Error::validation("Invalid audit filter", vec![format!("/to: {t} is before `from` ({f})")]));
    }
    if let Some(actor) = search.actor_type.as_deref().filter(|a| !a.is_empty())
        && !ACTOR_TYPES.contains(&actor)
    {
        return Err(Error::validation(
            "Invalid audit filter",
            vec![format!("/actor_type: {actor:?} is not one of {}", ACTOR_TYPES.join(", "))],
        ));
    }
    let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let mut query = audit_log::Entity::find().filter(audit_log::Column::PrincipalId.eq(principal_id));
    if let Some(t) = given(&search.entity_type) {
        query = query.filter(audit_log::Column::EntityType.eq(t));
    }
    if let Some(id) = given(&search.entity_id) {
        query = query.filter(audit_log::Column::EntityId.eq(id));
    }
    if let Some(a) = given(&search.action) {
        query = query.filter(audit_log::Column::Action.eq(a));
    }
    if let Some(a) = given(&search.actor_type) {
        query = query.filter(audit_log::Column::ActorType.eq(a));
    }
    if let Some(f) = from {
        query = query.filter(audit_log::Column::CreatedAt.gte(f.and_time(NaiveTime::MIN).and_utc()));
    }
    if let Some(t) = to.and_then(|t| t.succ_opt()) {
        query = query.filter(audit_log::Column::CreatedAt.lt(t.and_time(NaiveTime::MIN).and_utc()));
    }
    if let Some(Cursor { after_id }) = &page.cursor {
        query = query.filter(audit_log::Column::Id.lt(after_id));
    }
    let rows = query.order_by_desc(audit_log::Column::Id).limit(page.limit + 1).all(&svc.db).await?;
    svc.cursors.page(&page, rows, |r| r.id.clone(), entry)
}

/// The actions and entity types in the caller's log, sorted: what its filters can pick from.
pub async fn facets(svc: &Services, caller: &Caller) -> Result<(Vec<String>, Vec<String>), Error> {
    let principal_id = caller.principal_id()?;
    let distinct = |column: audit_log::Column| {
        audit_log::Entity::find()
            .select_only()
            .column(column)
            .distinct()
            .filter(audit_log::Column::PrincipalId.eq(principal_id))
            .order_by_asc(column)
            .into_tuple::<String>()
            .all(&svc.db)
    };
    Ok((distinct(audit_log::Column::Action).await?, distinct(audit_log::Column::EntityType).await?))
}

/// The audit rows about `entity_ids` in the log of `principal_id`, oldest first, at most `limit`.
pub async fn about(
    svc: &Services,
    principal_id: &str,
    entity_ids: Vec<String>,
    limit: u64,
) -> Result<Vec<AuditEntry>, Error> {
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::PrincipalId.eq(principal_id))
        .filter(audit_log::Column::EntityId.is_in(entity_ids))
        .order_by_asc(audit_log::Column::Id)
        .limit(limit)
        .all(&svc.db)
        .await?;
    Ok(rows.into_iter().map(entry).collect())
}

/// `entries` as CSV rows (`CSV_COLUMNS`, with the header line when `header`); the summary is
/// its JSON. Every cell is one of ours or a JSON text, so none starts as a spreadsheet formula.
pub fn csv(entries: &[AuditEntry], header: bool) -> Result<Vec<u8>, Error> {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    if header {
        out.write_record(CSV_COLUMNS).map_err(Error::internal)?;
    }
    for e in entries {
        out.write_record([
            e.id.as_str(),
            &e.created_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            &e.actor_type,
            &e.actor_id,
            &e.action,
            &e.entity_type,
            &e.entity_id,
            e.request_id.as_deref().unwrap_or(""),
            &e.summary.to_string(),
        ])
        .map_err(Error::internal)?;
    }
    out.into_inner().map_err(|e| Error::internal(e.to_string()))
}

fn day(value: Option<&str>, field: &str) -> Result<Option<NaiveDate>, Error> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d").map(Some).map_err(|_| {
            Error::validation("Invalid audit filter", vec![format!("/{field}: {v:?} is not a day as YYYY-MM-DD")])
        }),
    }
}

fn entry(r: audit_log::Model) -> AuditEntry {
    AuditEntry {
        id: r.id,
        actor_type: r.actor_type,
        actor_id: r.actor_id,
        action: r.action,
        entity_type: r.entity_type,
        entity_id: r.entity_id,
        request_id: r.request_id,
        summary: r.summary,
        created_at: r.created_at,
    }
}
