use super::{AuditEntry, AuditFilter};
use crate::caller::{PrincipalCaller, TalentCaller};
use crate::entities::audit_log;
use crate::pagination::{Cursor, Page, PageQuery};
use crate::{Error, Services, ids};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

/// Writes one audit row on `conn` (the transaction of the change).
pub async fn record(
    conn: &impl ConnectionTrait,
    caller: &PrincipalCaller,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    summary: Value,
) -> Result<(), Error> {
    let (actor_type, actor_id) = caller.actor();
    let who =
        Who { principal_id: &caller.principal_id, actor_type, actor_id, request_id: caller.request_id.as_deref() };
    record_as(conn, who, action, entity_type, entity_id, summary).await
}

/// A talent's change, in the log of the principal whose task it concerns.
pub async fn record_talent(
    conn: &impl ConnectionTrait,
    caller: &TalentCaller,
    principal_id: &str,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    summary: Value,
) -> Result<(), Error> {
    let who = Who {
        principal_id,
        actor_type: "talent",
        actor_id: &caller.talent_id,
        request_id: caller.request_id.as_deref(),
    };
    record_as(conn, who, action, entity_type, entity_id, summary).await
}

/// Who made a change, as the audit log records it.
pub struct Who<'a> {
    pub principal_id: &'a str,
    pub actor_type: &'a str,
    pub actor_id: &'a str,
    pub request_id: Option<&'a str>,
}

pub async fn record_as(
    conn: &impl ConnectionTrait,
    who: Who<'_>,
    action: &str,
    entity_type: &str,
    entity_id: &str,
    summary: Value,
) -> Result<(), Error> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(ids::new_id("aud")),
        principal_id: Set(who.principal_id.to_owned()),
        actor_type: Set(who.actor_type.to_owned()),
        actor_id: Set(who.actor_id.to_owned()),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id.to_owned()),
        request_id: Set(who.request_id.map(str::to_owned)),
        summary: Set(summary),
        created_at: Set(crate::time::now()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// The caller's audit log, newest first, optionally for one entity.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list(
    svc: &Services,
    caller: &PrincipalCaller,
    filter: AuditFilter,
    query: PageQuery,
) -> Result<Page<AuditEntry>, Error> {
    let page = svc.cursors.request(format!("audit:{}", caller.principal_id), query.limit, query.cursor.as_deref())?;
    let mut query = audit_log::Entity::find().filter(audit_log::Column::PrincipalId.eq(&caller.principal_id));
    if let Some(t) = &filter.entity_type {
        query = query.filter(audit_log::Column::EntityType.eq(t));
    }
    if let Some(id) = &filter.entity_id {
        query = query.filter(audit_log::Column::EntityId.eq(id));
    }
    if let Some(Cursor { after_id }) = &page.cursor {
        query = query.filter(audit_log::Column::Id.lt(after_id));
    }
    let rows = query.order_by_desc(audit_log::Column::Id).limit(page.limit + 1).all(&svc.db).await?;
    svc.cursors.page(
        &page,
        rows,
        |r| r.id.clone(),
        |r| AuditEntry {
            id: r.id,
            actor_type: r.actor_type,
            actor_id: r.actor_id,
            action: r.action,
            entity_type: r.entity_type,
            entity_id: r.entity_id,
            request_id: r.request_id,
            summary: r.summary,
            created_at: r.created_at,
        },
    )
}
