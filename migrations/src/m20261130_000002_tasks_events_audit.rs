//! Tasks, the event outbox and the audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .if_not_exists()
                    .col(string(Tasks::Id).primary_key())
                    .col(string(Tasks::PrincipalId))
                    .col(string(Tasks::TaskType))
                    .col(string(Tasks::Title))
                    .col(text_null(Tasks::Description))
                    .col(string(Tasks::Status))
                    .col(string(Tasks::LocationMode))
                    .col(text_null(Tasks::Address))
                    .col(double_null(Tasks::Lat))
                    .col(double_null(Tasks::Lng))
                    .col(integer_null(Tasks::RadiusM))
                    .col(timestamp_with_time_zone(Tasks::StartAt))
                    .col(integer(Tasks::DurationMinutes))
                    .col(string(Tasks::Currency))
                    .col(string(Tasks::PricingModel))
                    .col(big_integer(Tasks::BudgetCents))
                    .col(json_binary(Tasks::Deliverables))
                    .col(json_binary(Tasks::TaskSpec))
                    .col(timestamp_with_time_zone(Tasks::CreatedAt))
                    .col(timestamp_with_time_zone(Tasks::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Tasks::Table, Tasks::PrincipalId)
                            .to(Principals::Table, Principals::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            ("idx_tasks_principal_id", vec![Tasks::PrincipalId, Tasks::Id]),
            ("idx_tasks_principal_status", vec![Tasks::PrincipalId, Tasks::Status, Tasks::Id]),
            ("idx_tasks_principal_type", vec![Tasks::PrincipalId, Tasks::TaskType, Tasks::Id]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Tasks::Table);
            for col in cols {
                index.col(col);
            }
            manager.create_index(index.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Events::Table)
                    .if_not_exists()
                    .col(big_integer(Events::Seq).auto_increment().primary_key())
                    .col(string_uniq(Events::Id))
                    .col(string(Events::PrincipalId))
                    .col(string(Events::EventType))
                    .col(string(Events::EntityType))
                    .col(string(Events::EntityId))
                    .col(json_binary(Events::Data))
                    .col(timestamp_with_time_zone(Events::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_events_principal_seq")
                    .table(Events::Table)
                    .col(Events::PrincipalId)
                    .col(Events::Seq)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(string(AuditLog::Id).primary_key())
                    .col(string(AuditLog::PrincipalId))
                    .col(string(AuditLog::ActorType))
                    .col(string(AuditLog::ActorId))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::EntityType))
                    .col(string(AuditLog::EntityId))
                    .col(string_null(AuditLog::RequestId))
                    .col(json_binary(AuditLog::Summary))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_principal_entity")
                    .table(AuditLog::Table)
                    .col(AuditLog::PrincipalId)
                    .col(AuditLog::EntityType)
                    .col(AuditLog::EntityId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_principal_id")
                    .table(AuditLog::Table)
                    .col(AuditLog::PrincipalId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(AuditLog::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Events::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Tasks::Table).to_owned()).await
    }
}

#[derive(DeriveIden)]
enum Principals {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Tasks {
    Table,
    Id,
    PrincipalId,
    TaskType,
    Title,
    Description,
    Status,
    LocationMode,
    Address,
    Lat,
    Lng,
    RadiusM,
    StartAt,
    DurationMinutes,
    Currency,
    PricingModel,
    BudgetCents,
    Deliverables,
    TaskSpec,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Events {
    Table,
    Seq,
    Id,
    PrincipalId,
    EventType,
    EntityType,
    EntityId,
    Data,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    PrincipalId,
    ActorType,
    ActorId,
    Action,
    EntityType,
    EntityId,
    RequestId,
    Summary,
    CreatedAt,
}
