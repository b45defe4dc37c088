//! Webhook deliveries, emails and QA runs become jobs: each job names its queue (each queue has
//! its own worker loop, so mail never waits behind webhooks) and, where fairness matters, its
//! tenant. The rows already waiting in the delivery log, the outbox and the work orders are
//! queued here, so an upgrade loses none of them.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Jobs::Table).add_column(string(Jobs::Queue).default("work")).to_owned())
            .await?;
        m.alter_table(Table::alter().table(Jobs::Table).add_column(string_null(Jobs::Tenant)).to_owned()).await?;
        m.drop_index(Index::drop().name("idx_jobs_due").table(Jobs::Table).to_owned()).await?;
        m.create_index(
            Index::create()
                .name("idx_jobs_queue_due")
                .table(Jobs::Table)
                .col(Jobs::Queue)
                .col(Jobs::Status)
                .col(Jobs::RunAt)
                .to_owned(),
        )
        .await?;
        let object = match m.get_database_backend() {
            DatabaseBackend::Postgres => "jsonb_build_object",
            _ => "json_object",
        };
        let db = m.get_connection();
        db.execute_unprepared(&format!(
            "INSERT INTO jobs (id, kind, payload, unique_key, status, attempts, run_at, created_at, queue, tenant) \
             SELECT 'job_' || d.id, 'deliver_webhook', \
                    {object}('kind', 'deliver_webhook', 'delivery_id', d.id, 'principal_id', e.principal_id), \
                    d.id, 'pending', 0, d.next_attempt_at, d.created_at, 'webhooks', e.principal_id \
             FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id \
             WHERE d.status = 'pending'"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO jobs (id, kind, payload, status, attempts, run_at, created_at, queue) \
             SELECT 'job_' || id, 'send_email', {object}('kind', 'send_email', 'email_id', id), \
                    'pending', 0, next_attempt_at, created_at, 'mail' \
             FROM email_outbox WHERE status = 'pending'"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO jobs (id, kind, payload, status, attempts, run_at, created_at, queue) \
             SELECT 'job_' || w.id || '_' || CAST(w.delivery_set AS TEXT), 'evaluate_delivery', \
                    {object}('kind', 'evaluate_delivery', 'work_order_id', w.id, 'delivery_set', w.delivery_set), \
                    'pending', 0, w.updated_at, w.updated_at, 'qa' \
             FROM work_orders w WHERE w.status = 'delivered' AND w.delivery_set > 0"
        ))
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared("DELETE FROM jobs WHERE kind IN ('deliver_webhook', 'send_email', 'evaluate_delivery')")
            .await?;
        m.drop_index(Index::drop().name("idx_jobs_queue_due").table(Jobs::Table).to_owned()).await?;
        m.create_index(
            Index::create().name("idx_jobs_due").table(Jobs::Table).col(Jobs::Status).col(Jobs::RunAt).to_owned(),
        )
        .await?;
        m.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::Tenant).to_owned()).await?;
        m.alter_table(Table::alter().table(Jobs::Table).drop_column(Jobs::Queue).to_owned()).await
    }
}

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    Queue,
    Tenant,
    Status,
    RunAt,
}
