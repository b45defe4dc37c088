use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disputes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub work_order_id: String,
    pub principal_id: String,
    pub opened_by_type: String,
    pub opened_by_id: String,
    pub reason: String,
    pub evidence: Json,
    pub status: crate::status::DisputeStatus,
    pub outcome: Option<String>,
    pub talent_share_pct: Option<i32>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
