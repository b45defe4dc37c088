use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub principal_id: String,
    pub task_id: String,
    pub quote_id: String,
    pub talent_id: String,
    pub amount_cents: i64,
    pub currency: String,
    pub status: crate::status::BookingStatus,
    pub payment_method_id: Option<String>,
    pub escrow_ref: Option<String>,
    pub last_payment_error: Option<String>,
    pub checked_in_at: Option<DateTimeUtc>,
    pub checkin_lat: Option<f64>,
    pub checkin_lng: Option<f64>,
    pub checkin_accuracy_m: Option<f64>,
    pub checkin_distance_m: Option<f64>,
    pub checkin_verified: Option<bool>,
    pub checkin_note: Option<String>,
    pub cancelled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
