//! One-time sign-in links for the talent portal (magic links). Only a hash of each link's
//! token is stored. The portal's sessions live in the session store's own table.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SignInLinks::Table)
                .if_not_exists()
                .col(string(SignInLinks::Id).primary_key())
                .col(string(SignInLinks::TalentId))
                .col(string(SignInLinks::TokenHash).unique_key())
                .col(timestamp_with_time_zone(SignInLinks::CreatedAt))
                .col(timestamp_with_time_zone(SignInLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(SignInLinks::UsedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_sign_in_links_talent")
                .table(SignInLinks::Table)
                .col(SignInLinks::TalentId)
                .to_owned(),
        )
        .await?;
        // Sign-in looks talent up by email without case; SQLite and PostgreSQL both index it.
        m.get_connection().execute_unprepared("CREATE INDEX idx_talent_email_lower ON talent (lower(email))").await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_talent_email_lower").table(Talent::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SignInLinks::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum SignInLinks {
    Table,
    Id,
    TalentId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Talent {
    Table,
}
