//! Timed work: one table of jobs, each due at its `run_at`, claimed by one process at a time
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer), retried with backoff, and
//! drained deterministically by tests (`run_next` says whether it did anything). A job is
//! enqueued on the connection of the change that asks for it, so it exists exactly when the
//! change committed.
//!
//! Why our own and not apalis: apalis' SQL backends own their pool and their table, so a job
//! cannot be enqueued inside our SeaORM transaction (the change and its job would commit
//! apart), and its SQLite and PostgreSQL storages are separate types, where every other part
//! of this codebase runs one code path on both. This runner is one table and two queries.

mod runner;
pub use runner::*;

use crate::{Error, Services};
use serde::{Deserialize, Serialize};

/// What a job does. Stored as JSON (`{"kind": …, …}`); the kind is also its own column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Mails a portal sign-in link to each talent profile with this address. Done after the
    /// request has answered, so the answer takes the same time whether anyone uses the address.
    SignInLinks { email: String },
    /// Marks quotes past their expiry as expired.
    ExpireQuotes,
    /// Finishes or compensates gateway calls left pending (a crash, a gateway that did not
    /// answer).
    Reconcile,
    /// Deletes what has served its time: rate-limit windows, idempotency keys, abandoned
    /// uploads, spent sign-in links.
    Sweep,
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::SignInLinks { .. } => "sign_in_links",
            Job::ExpireQuotes => "expire_quotes",
            Job::Reconcile => "reconcile",
            Job::Sweep => "sweep",
        }
    }

    /// For a recurring job, how long after it finished it runs again.
    pub fn every(&self) -> Option<chrono::Duration> {
        match self {
            Job::SignInLinks { .. } => None,
            Job::ExpireQuotes | Job::Reconcile => Some(chrono::Duration::seconds(60)),
            Job::Sweep => Some(chrono::Duration::seconds(300)),
        }
    }

    /// The recurring jobs every deployment runs.
    pub const RECURRING: [Job; 3] = [Job::ExpireQuotes, Job::Reconcile, Job::Sweep];

    async fn run(&self, svc: &Services) -> Result<(), Error> {
        match self {
            Job::SignInLinks { email } => crate::portal::mail_sign_in_links(svc, email).await,
            Job::ExpireQuotes => crate::quotes::expire(&svc.db, None).await.map(drop),
            Job::Reconcile => {
                let n = crate::escrow::reconcile(svc, svc.config.reconcile_after).await?;
                if n > 0 {
                    tracing::info!("reconciled {n} interrupted gateway calls");
                }
                Ok(())
            }
            Job::Sweep => {
                let db = &svc.db;
                crate::rate_limit::sweep(db, chrono::Utc::now().timestamp() - 2 * 3600).await?;
                crate::idempotency::sweep(db).await?;
                crate::files::tus::sweep_expired(svc).await?;
                crate::portal::sweep(db).await?;
                Ok(())
            }
        }
    }
}
