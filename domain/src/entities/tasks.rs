use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub principal_id: String,
    pub task_type: String,
    pub title: String,
    pub description: Option<String>,
    pub status: crate::status::TaskStatus,
    pub location_mode: String,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub radius_m: Option<i32>,
    pub start_at: DateTimeUtc,
    pub duration_minutes: i32,
    pub currency: String,
    pub pricing_model: String,
    pub budget_cents: i64,
    pub deliverables: Json,
    pub task_spec: Json,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub accepted_quote_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
