//! One-time sign-in links for the dashboard (principals), like the portal's for talent: only
//! a hash of each token is stored. Principals also get a session generation, so that signing out
//! everywhere ends every dashboard session at once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(PrincipalSignInLinks::Table)
                .if_not_exists()
                .col(string(PrincipalSignInLinks::Id).primary_key())
                .col(string(PrincipalSignInLinks::PrincipalId))
                .col(string(PrincipalSignInLinks::TokenHash).unique_key())
                .col(timestamp_with_time_zone(PrincipalSignInLinks::CreatedAt))
                .col(timestamp_with_time_zone(PrincipalSignInLinks::ExpiresAt))
                .col(timestamp_with_time_zone_null(PrincipalSignInLinks::UsedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_principal_sign_in_links_principal")
                .table(PrincipalSignInLinks::Table)
                .col(PrincipalSignInLinks::PrincipalId)
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(Principals::Table)
                .add_column(integer(Principals::SessionGeneration).default(0))
                .to_owned(),
        )
        .await?;
        // Sign-in looks principals up by email without case; SQLite and PostgreSQL both index it.
        m.get_connection()
            .execute_unprepared("CREATE INDEX idx_principals_email_lower ON principals (lower(email))")
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(Index::drop().name("idx_principals_email_lower").table(Principals::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Principals::Table).drop_column(Principals::SessionGeneration).to_owned())
            .await?;
        m.drop_table(Table::drop().table(PrincipalSignInLinks::Table).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum PrincipalSignInLinks {
    Table,
    Id,
    PrincipalId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Principals {
    Table,
    SessionGeneration,
}
