//! An idempotent replay answers with the first response's headers too (a replayed tus
//! creation keeps its `Location`).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(IdempotencyKeys::Table)
                .add_column(json_binary_null(IdempotencyKeys::ResponseHeaders))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(IdempotencyKeys::Table).drop_column(IdempotencyKeys::ResponseHeaders).to_owned(),
        )
        .await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum IdempotencyKeys {
    Table,
    ResponseHeaders,
}
