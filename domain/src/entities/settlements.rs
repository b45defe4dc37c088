use sea_orm::entity::prelude::*;

/// A booking's escrow, split once: decided in the transaction that settles the booking, then
/// carried out through the gateway journal and recorded in the ledger.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "settlements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    #[sea_orm(unique)]
    pub booking_id: String,
    pub principal_id: String,
    pub work_order_id: Option<String>,
    pub dispute_id: Option<String>,
    pub kind: crate::escrow::SettlementKind,
    pub captured_cents: i64,
    pub talent_cents: i64,
    pub fee_cents: i64,
    pub refunded_cents: i64,
    pub currency: String,
    pub delivery_set: Option<i32>,
    pub status: crate::status::SettlementStatus,
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
    pub recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
