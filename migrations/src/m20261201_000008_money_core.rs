//! The payment journal and settlements, and the sandbox gateway's own books.
//!
//! `gateway_operations` holds one row per call to a payment gateway, committed before the call
//! (its idempotency key names our ids and the operation) and completed with the outcome after;
//! the reconciler finishes what a crash left pending. `settlements` holds a booking's decided
//! split of its escrow. The `sandbox_*` tables are the sandbox gateway's state, kept apart from
//! ours as Stripe's would be: its holds, transfers and the answers it gave per idempotency key.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Settlements::Table)
                .if_not_exists()
                .col(string(Settlements::Id).primary_key())
                .col(string(Settlements::BookingId).unique_key())
                .col(string(Settlements::PrincipalId))
                .col(string_null(Settlements::WorkOrderId))
                .col(string_null(Settlements::DisputeId))
                .col(string(Settlements::Kind))
                .col(big_integer(Settlements::CapturedCents))
                .col(big_integer(Settlements::TalentCents))
                .col(big_integer(Settlements::FeeCents))
                .col(big_integer(Settlements::RefundedCents))
                .col(string(Settlements::Currency))
                .col(integer_null(Settlements::DeliverySet))
                .col(string(Settlements::Status))
                .col(text_null(Settlements::Error))
                .col(timestamp_with_time_zone(Settlements::CreatedAt))
                .col(timestamp_with_time_zone_null(Settlements::RecordedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(GatewayOperations::Table)
                .if_not_exists()
                .col(string(GatewayOperations::Id).primary_key())
                .col(string(GatewayOperations::PrincipalId))
                .col(string(GatewayOperations::BookingId))
                .col(string(GatewayOperations::Mode))
                .col(string(GatewayOperations::Operation))
                .col(big_integer(GatewayOperations::AmountCents))
                .col(string(GatewayOperations::Currency))
                .col(string(GatewayOperations::Subject))
                .col(string(GatewayOperations::IdempotencyKey).unique_key())
                .col(string_null(GatewayOperations::SettlementId))
                .col(string_null(GatewayOperations::PayoutId))
                .col(string(GatewayOperations::Status))
                .col(string_null(GatewayOperations::ResultRef))
                .col(string_null(GatewayOperations::ErrorCode))
                .col(text_null(GatewayOperations::ErrorMessage))
                .col(integer(GatewayOperations::Attempts).default(0))
                .col(timestamp_with_time_zone(GatewayOperations::CreatedAt))
                .col(timestamp_with_time_zone(GatewayOperations::UpdatedAt))
                .to_owned(),
        )
        .await?;
        for (name, cols) in [
            ("idx_gateway_operations_booking", vec![GatewayOperations::BookingId]),
            ("idx_gateway_operations_status", vec![GatewayOperations::Status, GatewayOperations::UpdatedAt]),
            ("idx_gateway_operations_settlement", vec![GatewayOperations::SettlementId]),
        ] {
            let mut index = Index::create();
            index.name(name).table(GatewayOperations::Table);
            for col in cols {
                index.col(col);
            }
            m.create_index(index.to_owned()).await?;
        }

        m.alter_table(Table::alter().table(Payouts::Table).add_column(string_null(Payouts::BookingId)).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Payouts::Table).add_column(text_null(Payouts::LastError)).to_owned())
            .await?;

        m.create_table(
            Table::create()
                .table(SandboxHolds::Table)
                .if_not_exists()
                .col(string(SandboxHolds::Reference).primary_key())
                .col(string(SandboxHolds::IdempotencyKey))
                .col(string(SandboxHolds::PaymentMethodRef))
                .col(big_integer(SandboxHolds::AmountCents))
                .col(string(SandboxHolds::Currency))
                .col(big_integer(SandboxHolds::CapturedCents).default(0))
                .col(big_integer(SandboxHolds::RefundedCents).default(0))
                .col(string(SandboxHolds::Status))
                .col(text(SandboxHolds::Description))
                .col(timestamp_with_time_zone(SandboxHolds::CreatedAt))
                .col(timestamp_with_time_zone(SandboxHolds::UpdatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SandboxTransfers::Table)
                .if_not_exists()
                .col(string(SandboxTransfers::Reference).primary_key())
                .col(string(SandboxTransfers::IdempotencyKey))
                .col(string(SandboxTransfers::Destination))
                .col(big_integer(SandboxTransfers::AmountCents))
                .col(string(SandboxTransfers::Currency))
                .col(timestamp_with_time_zone(SandboxTransfers::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(SandboxRequests::Table)
                .if_not_exists()
                .col(string(SandboxRequests::IdempotencyKey).primary_key())
                .col(string(SandboxRequests::Operation))
                .col(string(SandboxRequests::Fingerprint))
                .col(json_binary(SandboxRequests::Outcome))
                .col(timestamp_with_time_zone(SandboxRequests::CreatedAt))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SandboxRequests::Table.into_iden(),
            SandboxTransfers::Table.into_iden(),
            SandboxHolds::Table.into_iden(),
            GatewayOperations::Table.into_iden(),
            Settlements::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        for col in [Payouts::LastError, Payouts::BookingId] {
            m.alter_table(Table::alter().table(Payouts::Table).drop_column(col).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Settlements {
    Table,
    Id,
    BookingId,
    PrincipalId,
    WorkOrderId,
    DisputeId,
    Kind,
    CapturedCents,
    TalentCents,
    FeeCents,
    RefundedCents,
    Currency,
    DeliverySet,
    Status,
    Error,
    CreatedAt,
    RecordedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum GatewayOperations {
    Table,
    Id,
    PrincipalId,
    BookingId,
    Mode,
    Operation,
    AmountCents,
    Currency,
    Subject,
    IdempotencyKey,
    SettlementId,
    PayoutId,
    Status,
    ResultRef,
    ErrorCode,
    ErrorMessage,
    Attempts,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Payouts {
    Table,
    BookingId,
    LastError,
}

#[derive(DeriveIden, Clone, Copy)]
enum SandboxHolds {
    Table,
    Reference,
    IdempotencyKey,
    PaymentMethodRef,
    AmountCents,
    Currency,
    CapturedCents,
    RefundedCents,
    Status,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SandboxTransfers {
    Table,
    Reference,
    IdempotencyKey,
    Destination,
    AmountCents,
    Currency,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SandboxRequests {
    Table,
    IdempotencyKey,
    Operation,
    Fingerprint,
    Outcome,
    CreatedAt,
}
