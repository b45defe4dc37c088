//! The end of the lifecycle: files and resumable uploads, deliverables, QA results, disputes,
//! payouts, and what a work order remembers about its delivery.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Files::Table)
                .if_not_exists()
                .col(string(Files::Id).primary_key())
                .col(string(Files::OwnerType))
                .col(string(Files::OwnerId))
                .col(string_null(Files::PrincipalId))
                .col(string_null(Files::WorkOrderId))
                .col(string(Files::Filename))
                .col(string(Files::DeclaredType))
                .col(string_null(Files::DetectedType))
                .col(big_integer(Files::SizeBytes))
                .col(string_null(Files::Sha256))
                .col(string(Files::StorageKey))
                .col(string(Files::Status))
                .col(timestamp_with_time_zone(Files::CreatedAt))
                .col(timestamp_with_time_zone_null(Files::CompletedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create().name("idx_files_work_order").table(Files::Table).col(Files::WorkOrderId).to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Uploads::Table)
                .if_not_exists()
                .col(string(Uploads::Id).primary_key())
                .col(string_uniq(Uploads::FileId))
                .col(string(Uploads::OwnerId))
                .col(big_integer(Uploads::Length))
                .col(big_integer(Uploads::Offset))
                .col(integer(Uploads::Parts))
                .col(timestamp_with_time_zone(Uploads::ExpiresAt))
                .col(timestamp_with_time_zone(Uploads::CreatedAt))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Deliverables::Table)
                .if_not_exists()
                .col(string(Deliverables::Id).primary_key())
                .col(string(Deliverables::WorkOrderId))
                .col(string(Deliverables::FileId))
                .col(string(Deliverables::Kind))
                .col(json_binary(Deliverables::Metadata))
                .col(integer(Deliverables::DeliverySet))
                .col(timestamp_with_time_zone(Deliverables::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_deliverables_work_order_set")
                .table(Deliverables::Table)
                .col(Deliverables::WorkOrderId)
                .col(Deliverables::DeliverySet)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(QaResults::Table)
                .if_not_exists()
                .col(string(QaResults::Id).primary_key())
                .col(string(QaResults::WorkOrderId))
                .col(integer(QaResults::DeliverySet))
                .col(string(QaResults::Status))
                .col(json_binary(QaResults::Checks))
                .col(timestamp_with_time_zone(QaResults::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("uq_qa_results_set")
                .table(QaResults::Table)
                .col(QaResults::WorkOrderId)
                .col(QaResults::DeliverySet)
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Disputes::Table)
                .if_not_exists()
                .col(string(Disputes::Id).primary_key())
                .col(string(Disputes::WorkOrderId))
                .col(string(Disputes::PrincipalId))
                .col(string(Disputes::OpenedByType))
                .col(string(Disputes::OpenedById))
                .col(text(Disputes::Reason))
                .col(json_binary(Disputes::Evidence))
                .col(string(Disputes::Status))
                .col(string_null(Disputes::Outcome))
                .col(integer_null(Disputes::TalentSharePct))
                .col(timestamp_with_time_zone_null(Disputes::ResolvedAt))
                .col(timestamp_with_time_zone(Disputes::CreatedAt))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_disputes_work_order")
                .table(Disputes::Table)
                .col(Disputes::WorkOrderId)
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(Payouts::Table)
                .if_not_exists()
                .col(string(Payouts::Id).primary_key())
                .col(string(Payouts::WorkOrderId))
                .col(string(Payouts::TalentId))
                .col(string(Payouts::PrincipalId))
                .col(big_integer(Payouts::AmountCents))
                .col(string(Payouts::Currency))
                .col(string_null(Payouts::TransferRef))
                .col(string(Payouts::Status))
                .col(timestamp_with_time_zone(Payouts::CreatedAt))
                .to_owned(),
        )
        .await?;

        for col in [WorkOrders::DeliverySet] {
            m.alter_table(Table::alter().table(WorkOrders::Table).add_column(integer(col).default(0)).to_owned())
                .await?;
        }
        for col in [WorkOrders::ChangesReason] {
            m.alter_table(Table::alter().table(WorkOrders::Table).add_column(text_null(col)).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(WorkOrders::Table)
                .add_column(timestamp_with_time_zone_null(WorkOrders::AcceptedAt))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for col in [WorkOrders::AcceptedAt, WorkOrders::ChangesReason, WorkOrders::DeliverySet] {
            m.alter_table(Table::alter().table(WorkOrders::Table).drop_column(col).to_owned()).await?;
        }
        for table in [
            Payouts::Table.into_iden(),
            Disputes::Table.into_iden(),
            QaResults::Table.into_iden(),
            Deliverables::Table.into_iden(),
            Uploads::Table.into_iden(),
            Files::Table.into_iden(),
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Files {
    Table,
    Id,
    OwnerType,
    OwnerId,
    PrincipalId,
    WorkOrderId,
    Filename,
    DeclaredType,
    DetectedType,
    SizeBytes,
    Sha256,
    StorageKey,
    Status,
    CreatedAt,
    CompletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Uploads {
    Table,
    Id,
    FileId,
    OwnerId,
    Length,
    Offset,
    Parts,
    ExpiresAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Deliverables {
    Table,
    Id,
    WorkOrderId,
    FileId,
    Kind,
    Metadata,
    DeliverySet,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum QaResults {
    Table,
    Id,
    WorkOrderId,
    DeliverySet,
    Status,
    Checks,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Disputes {
    Table,
    Id,
    WorkOrderId,
    PrincipalId,
    OpenedByType,
    OpenedById,
    Reason,
    Evidence,
    Status,
    Outcome,
    TalentSharePct,
    ResolvedAt,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Payouts {
    Table,
    Id,
    WorkOrderId,
    TalentId,
    PrincipalId,
    AmountCents,
    Currency,
    TransferRef,
    Status,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WorkOrders {
    Table,
    DeliverySet,
    ChangesReason,
    AcceptedAt,
}
