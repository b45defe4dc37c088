//! Event delivery: each event's position in commit order, webhook endpoints, their deliveries
//! and every delivery attempt.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Events::Table).add_column(big_integer_null(Events::Position)).to_owned())
            .await?;
        m.create_index(
            Index::create().name("idx_events_position").table(Events::Table).col(Events::Position).to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_events_principal_position")
                .table(Events::Table)
                .col(Events::PrincipalId)
                .col(Events::Position)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebhookEndpoints::Table)
                .if_not_exists()
                .col(string(WebhookEndpoints::Id).primary_key())
                .col(string(WebhookEndpoints::PrincipalId))
                .col(text(WebhookEndpoints::Url))
                .col(json_binary(WebhookEndpoints::Events))
                .col(text(WebhookEndpoints::Secret))
                .col(string(WebhookEndpoints::Status))
                .col(text_null(WebhookEndpoints::DisabledReason))
                .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::DeletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_webhook_endpoints_principal")
                .table(WebhookEndpoints::Table)
                .col(WebhookEndpoints::PrincipalId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebhookDeliveries::Table)
                .if_not_exists()
                .col(string(WebhookDeliveries::Id).primary_key())
                .col(string(WebhookDeliveries::EndpointId))
                .col(string(WebhookDeliveries::EventId))
                .col(string(WebhookDeliveries::Status))
                .col(integer(WebhookDeliveries::Attempts))
                .col(timestamp_with_time_zone(WebhookDeliveries::NextAttemptAt))
                .col(integer_null(WebhookDeliveries::LastStatus))
                .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                .col(timestamp_with_time_zone_null(WebhookDeliveries::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_webhook_deliveries_endpoint_event")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::EndpointId)
                .col(WebhookDeliveries::EventId)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_webhook_deliveries_due")
                .table(WebhookDeliveries::Table)
                .col(WebhookDeliveries::Status)
                .col(WebhookDeliveries::NextAttemptAt)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(WebhookAttempts::Table)
                .if_not_exists()
                .col(string(WebhookAttempts::Id).primary_key())
                .col(string(WebhookAttempts::DeliveryId))
                .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                .col(integer_null(WebhookAttempts::StatusCode))
                .col(big_integer(WebhookAttempts::LatencyMs))
                .col(text_null(WebhookAttempts::ResponseExcerpt))
                .col(text_null(WebhookAttempts::Error))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_webhook_attempts_delivery")
                .table(WebhookAttempts::Table)
                .col(WebhookAttempts::DeliveryId)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            WebhookAttempts::Table.into_iden(),
            WebhookDeliveries::Table.into_iden(),
            WebhookEndpoints::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("idx_events_principal_position").table(Events::Table).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_events_position").table(Events::Table).to_owned()).await?;
        m.alter_table(Table::alter().table(Events::Table).drop_column(Events::Position).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    PrincipalId,
    Position,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookEndpoints {
    Table,
    Id,
    PrincipalId,
    Url,
    Events,
    Secret,
    Status,
    DisabledReason,
    CreatedAt,
    DeletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookDeliveries {
    Table,
    Id,
    EndpointId,
    EventId,
    Status,
    Attempts,
    NextAttemptAt,
    LastStatus,
    CreatedAt,
    CompletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    AttemptedAt,
    StatusCode,
    LatencyMs,
    ResponseExcerpt,
    Error,
}
