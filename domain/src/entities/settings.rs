use sea_orm::entity::prelude::*;

/// Installation-wide values kept in the database so every replica shares them (the secret
/// that signs cursors and download URLs, unless `HD_SECRET_KEY` sets one).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub key: String,
    pub value: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
