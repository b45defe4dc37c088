use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payouts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub work_order_id: String,
    pub talent_id: String,
    pub principal_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub transfer_ref: Option<String>,
    pub status: crate::status::PayoutStatus,
    pub created_at: DateTimeUtc,
    pub booking_id: Option<String>,
    /// Why the transfer failed.
    pub last_error: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
