//! Schema migrations, the same for SQLite and PostgreSQL. Each file is one step; a step that
//! has landed is never edited, a change is a new step.

pub use sea_orm_migration::prelude::*;

mod m20261130_000001_principals;
mod m20261130_000002_tasks_events_audit;
mod m20261130_000003_request_controls;
mod m20261130_000004_marketplace;
mod m20261130_000005_delivery;
mod m20261130_000006_webhooks;
mod m20261130_000007_sign_in_links;
mod m20261201_000008_money_core;
mod m20261201_000009_replayed_headers;
mod m20261202_000010_jobs;
mod m20261202_000011_job_queues;
mod m20261203_000012_portal_profile;
mod m20261203_000013_passkeys;
mod m20261203_000014_dashboard_sign_in;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261130_000001_principals::Migration),
            Box::new(m20261130_000002_tasks_events_audit::Migration),
            Box::new(m20261130_000003_request_controls::Migration),
            Box::new(m20261130_000004_marketplace::Migration),
            Box::new(m20261130_000005_delivery::Migration),
            Box::new(m20261130_000006_webhooks::Migration),
            Box::new(m20261130_000007_sign_in_links::Migration),
            Box::new(m20261201_000008_money_core::Migration),
            Box::new(m20261201_000009_replayed_headers::Migration),
            Box::new(m20261202_000010_jobs::Migration),
            Box::new(m20261202_000011_job_queues::Migration),
            Box::new(m20261203_000012_portal_profile::Migration),
            Box::new(m20261203_000013_passkeys::Migration),
            Box::new(m20261203_000014_dashboard_sign_in::Migration),
        ]
    }
}
