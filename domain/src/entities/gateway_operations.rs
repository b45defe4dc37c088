use sea_orm::entity::prelude::*;

/// The payment journal: one call to a gateway, committed before the call and completed after.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "gateway_operations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub principal_id: String,
    pub booking_id: String,
    pub mode: String,
    pub operation: crate::payments::Operation,
    pub amount_cents: i64,
    pub currency: String,
    /// What the operation acts on: the card (hold), the hold (capture, release, refund), the
    /// talent's payout account (transfer).
    pub subject: String,
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub settlement_id: Option<String>,
    pub payout_id: Option<String>,
    pub status: crate::status::GatewayOpStatus,
    pub result_ref: Option<String>,
    pub error_code: Option<String>,
    pub error_message: Option<String>,
    pub attempts: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
