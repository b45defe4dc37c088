use super::EventType;
use crate::entities::events;
use crate::{Error, ids};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::Value;

/// Writes an event to the outbox on `conn`, the transaction of the change that caused it:
/// if the change rolls back, so does the event. Returns the event's id.
pub async fn record(
    conn: &impl ConnectionTrait,
    principal_id: &str,
    event_type: EventType,
    entity_type: &str,
    entity_id: &str,
    data: Value,
) -> Result<String, Error> {
    let id = ids::new_id("evt");
    events::Entity::insert(events::ActiveModel {
        id: Set(id.clone()),
        principal_id: Set(principal_id.to_owned()),
        event_type: Set(event_type.as_str().to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id.to_owned()),
        data: Set(data),
        created_at: Set(crate::time::now()),
        ..Default::default()
    })
    .exec_without_returning(conn)
    .await?;
    Ok(id)
}
