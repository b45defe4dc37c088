//! What guards requests across server processes: idempotency keys, rate-limit windows, and
//! installation settings (the signing secret).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .if_not_exists()
                    .col(string(IdempotencyKeys::PrincipalId))
                    .col(string(IdempotencyKeys::IdempotencyKey))
                    .col(string(IdempotencyKeys::RequestHash))
                    .col(string(IdempotencyKeys::State))
                    .col(integer_null(IdempotencyKeys::ResponseStatus))
                    .col(text_null(IdempotencyKeys::ResponseBody))
                    .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
                    .col(timestamp_with_time_zone(IdempotencyKeys::UpdatedAt))
                    .primary_key(Index::create().col(IdempotencyKeys::PrincipalId).col(IdempotencyKeys::IdempotencyKey))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_idempotency_created")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RateLimitWindows::Table)
                    .if_not_exists()
                    .col(string(RateLimitWindows::Bucket).primary_key())
                    .col(big_integer(RateLimitWindows::WindowStart))
                    .col(big_integer(RateLimitWindows::Count))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Settings::Table)
                    .if_not_exists()
                    .col(string(Settings::Key).primary_key())
                    .col(text(Settings::Value))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Settings::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(RateLimitWindows::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(IdempotencyKeys::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    PrincipalId,
    IdempotencyKey,
    RequestHash,
    State,
    ResponseStatus,
    ResponseBody,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum RateLimitWindows {
    Table,
    Bucket,
    WindowStart,
    Count,
}

#[derive(DeriveIden)]
enum Settings {
    Table,
    Key,
    Value,
}
