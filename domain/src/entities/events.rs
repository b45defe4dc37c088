use sea_orm::entity::prelude::*;

/// The outbox: one row per event, written in the transaction of the change that caused it.
/// `seq` orders them for `GET /v1/events?after=`.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub seq: i64,
    #[sea_orm(unique)]
    pub id: String,
    pub principal_id: String,
    pub event_type: String,
    pub entity_type: String,
    pub entity_id: String,
    pub data: Json,
    pub created_at: DateTimeUtc,
    /// Set by the sequencer once the event is committed: the order pollers and webhooks see.
    pub position: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
