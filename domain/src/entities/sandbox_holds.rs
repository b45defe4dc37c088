use sea_orm::entity::prelude::*;

/// The sandbox gateway's books: a hold on a card (a PaymentIntent with manual capture).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "sandbox_holds")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub reference: String,
    pub idempotency_key: String,
    pub payment_method_ref: String,
    pub amount_cents: i64,
    pub currency: String,
    pub captured_cents: i64,
    pub refunded_cents: i64,
    pub status: crate::status::HoldStatus,
    pub description: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
