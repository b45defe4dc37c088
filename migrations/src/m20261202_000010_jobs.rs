//! One table of timed work: what to do, when, how often it was tried, and who holds it.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Jobs::Table)
                .if_not_exists()
                .col(string(Jobs::Id).primary_key())
                .col(string(Jobs::Kind))
                .col(json_binary(Jobs::Payload))
                // One pending job per key (a recurring job, or work that must not be queued twice).
                .col(string_null(Jobs::UniqueKey).unique_key())
                .col(string(Jobs::Status))
                .col(integer(Jobs::Attempts))
                .col(timestamp_with_time_zone(Jobs::RunAt))
                .col(timestamp_with_time_zone_null(Jobs::LockedUntil))
                .col(text_null(Jobs::LastError))
                .col(timestamp_with_time_zone(Jobs::CreatedAt))
                .col(timestamp_with_time_zone_null(Jobs::FinishedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_jobs_due").table(Jobs::Table).col(Jobs::Status).col(Jobs::RunAt).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(Jobs::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    UniqueKey,
    Status,
    Attempts,
    RunAt,
    LockedUntil,
    LastError,
    CreatedAt,
    FinishedAt,
}
