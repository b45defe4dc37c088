//! What the talent portal keeps beyond sign-in: a session generation per talent (signing out
//! everywhere moves it on, and a session of an older generation is no longer signed in), the
//! talent's time zone (times on their pages are written in it), and an invitation's decline.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter().table(Talent::Table).add_column(integer(Talent::SessionGeneration).default(0)).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Talent::Table).add_column(string_null(Talent::TimeZone)).to_owned()).await?;
        m.alter_table(
            Table::alter()
                .table(QuoteRequests::Table)
                .add_column(timestamp_with_time_zone_null(QuoteRequests::DeclinedAt))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter().table(QuoteRequests::Table).add_column(text_null(QuoteRequests::DeclineReason)).to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(QuoteRequests::Table).drop_column(QuoteRequests::DeclineReason).to_owned())
            .await?;
        m.alter_table(Table::alter().table(QuoteRequests::Table).drop_column(QuoteRequests::DeclinedAt).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Talent::Table).drop_column(Talent::TimeZone).to_owned()).await?;
        m.alter_table(Table::alter().table(Talent::Table).drop_column(Talent::SessionGeneration).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Talent {
    Table,
    SessionGeneration,
    TimeZone,
}

#[derive(DeriveIden, Clone, Copy)]
enum QuoteRequests {
    Table,
    DeclinedAt,
    DeclineReason,
}
