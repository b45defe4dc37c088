use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub owner_type: String,
    pub owner_id: String,
    pub principal_id: Option<String>,
    pub work_order_id: Option<String>,
    pub filename: String,
    pub declared_type: String,
    pub detected_type: Option<String>,
    pub size_bytes: i64,
    pub sha256: Option<String>,
    pub storage_key: String,
    pub status: crate::status::FileStatus,
    pub created_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
