use sea_orm::entity::prelude::*;

/// The sandbox gateway's answer to each idempotency key, replayed when the key comes again.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_requests")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub idempotency_key: String,
    pub operation: String,
    /// What the request asked for; the same key with another request is refused.
    pub fingerprint: String,
    pub outcome: Json,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
