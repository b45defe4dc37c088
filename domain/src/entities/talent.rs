use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "talent")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub skills: Json,
    pub task_types: Json,
    pub home_lat: f64,
    pub home_lng: f64,
    pub travel_radius_km: i32,
    pub portfolio_links: Json,
    pub mode: String,
    pub owner_principal_id: Option<String>,
    pub token_hash: Option<String>,
    pub payout_account_ref: Option<String>,
    pub session_generation: i32,
    pub time_zone: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
