use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "work_orders")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub principal_id: String,
    pub task_id: String,
    pub booking_id: String,
    pub talent_id: String,
    pub status: crate::status::WorkOrderStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub delivery_set: i32,
    pub changes_reason: Option<String>,
    pub accepted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
