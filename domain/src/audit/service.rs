use super::{AuditEntry, AuditFilter};
use crate::caller::Caller;
use crate::entities::audit_log;
use crate::pagination::{Cursor, Page, PageQuery};
use crate::{Error, Services, ids};
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

/// The caller's audit log, newest first, optionally for one entity.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list(
    svc: &Services,
    caller: &Caller,
    filter: AuditFilter,
    query: PageQuery,
) -> Result<Page<AuditEntry>, Error> {
    let principal_id = caller.principal_id()?;
    let page = svc.cursors.request(format!("audit:{principal_id}"), query.limit, query.cursor.as_deref())?;
    let mut query = audit_log::Entity::find().filter(audit_log::Column::PrincipalId.eq(principal_id));
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
