//! Timed work: one table of jobs, each due at its `run_at`, claimed by one process at a time
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer), retried with backoff, and
//! drained deterministically by tests (`run_next` says whether it did anything). A job is
//! enqueued on the connection of the change that asks for it, so it exists exactly when the
//! change committed. Webhook deliveries, emails, QA runs, sign-in links, quote expiry, the
//! reconciler and the sweeps are all jobs; each kind sits in a queue, and each queue has its
//! own worker loop, so a slow kind never holds up another.
//!
//! Why our own and not apalis: apalis' SQL backends own their pool and their table, so a job
//! cannot be enqueued inside our SeaORM transaction (the change and its job would commit
//! apart), and its SQLite and PostgreSQL storages are separate types, where every other part
//! of this codebase runs one code path on both. This runner is one table and two queries.

mod runner;
pub use runner::*;

use crate::{Error, Services};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Which worker loop runs a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    /// Sign-in links, quote expiry, the reconciler, the sweeps.
    Work,
    /// QA of new deliveries: seconds each, so on their own.
    Qa,
    /// Webhook deliveries: several at a time, a few per tenant.
    Webhooks,
    Mail,
}

impl Queue {
    pub const ALL: [Queue; 4] = [Queue::Work, Queue::Qa, Queue::Webhooks, Queue::Mail];

    pub const fn as_str(self) -> &'static str {
        match self {
            Queue::Work => "work",
            Queue::Qa => "qa",
            Queue::Webhooks => "webhooks",
            Queue::Mail => "mail",
        }
    }
}

/// What a job does. Stored as JSON (`{"kind": …, …}`); the kind is also its own column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Mails a portal sign-in link to each talent profile with this address. Done after the
    /// request has answered, so the answer takes the same time whether anyone uses the address.
    SignInLinks { email: String },
    /// Mails a dashboard sign-in link to each account with this address, as `SignInLinks`.
    DashboardSignInLinks { email: String },
    /// Marks quotes past their expiry as expired.
    ExpireQuotes,
    /// Finishes or compensates gateway calls left pending (a crash, a gateway that did not
    /// answer).
    Reconcile,
    /// Deletes what has served its time: rate-limit windows, idempotency keys, abandoned
    /// uploads, spent sign-in links, jobs finished a week ago.
    Sweep,
    /// POSTs one webhook delivery (its attempts are logged on the delivery) and schedules the
    /// next attempt on the webhooks' own backoff. `principal_id` is the endpoint's owner, the
    /// tenant whose deliveries are kept from filling every slot.
    DeliverWebhook { delivery_id: String, principal_id: String },
    /// Sends one message of the outbox, retried on the mail's own backoff.
    SendEmail { email_id: String },
    /// Runs QA on a work order's delivery `delivery_set`; nothing when a newer one replaced it.
    EvaluateDelivery { work_order_id: String, delivery_set: i32 },
}

/// What a run that did not fail asks for next.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Next {
    /// Finished (a recurring job comes back after its interval).
    Done,
    /// Run again at this time: a retry on the job's own schedule, not a failure.
    At(DateTime<Utc>),
}

impl Job {
    pub fn kind(&self) -> &'static str {
        match self {
            Job::SignInLinks { .. } => "sign_in_links",
            Job::DashboardSignInLinks { .. } => "dashboard_sign_in_links",
            Job::ExpireQuotes => "expire_quotes",
            Job::Reconcile => "reconcile",
            Job::Sweep => "sweep",
            Job::DeliverWebhook { .. } => "deliver_webhook",
            Job::SendEmail { .. } => "send_email",
            Job::EvaluateDelivery { .. } => "evaluate_delivery",
        }
    }

    pub fn queue(&self) -> Queue {
        match self {
            Job::SignInLinks { .. }
            | Job::DashboardSignInLinks { .. }
            | Job::ExpireQuotes
            | Job::Reconcile
            | Job::Sweep => Queue::Work,
            Job::DeliverWebhook { .. } => Queue::Webhooks,
            Job::SendEmail { .. } => Queue::Mail,
            Job::EvaluateDelivery { .. } => Queue::Qa,
        }
    }

    /// Whose work this is, where one tenant must not crowd out the others.
    pub fn tenant(&self) -> Option<&str> {
        match self {
            Job::DeliverWebhook { principal_id, .. } => Some(principal_id),
            _ => None,
        }
    }

    /// The key that keeps one row for this job: a recurring job's kind, a delivery's id (so a
    /// redelivery runs the delivery's job again rather than adding a second one).
    pub fn unique_key(&self) -> Option<String> {
        match self {
            Job::ExpireQuotes | Job::Reconcile | Job::Sweep => Some(self.kind().to_owned()),
            Job::DeliverWebhook { delivery_id, .. } => Some(delivery_id.clone()),
            Job::SignInLinks { .. }
            | Job::DashboardSignInLinks { .. }
            | Job::SendEmail { .. }
            | Job::EvaluateDelivery { .. } => None,
        }
    }

    /// For a recurring job, how long after it finished it runs again.
    pub fn every(&self) -> Option<chrono::Duration> {
        match self {
            Job::ExpireQuotes | Job::Reconcile => Some(chrono::Duration::seconds(60)),
            Job::Sweep => Some(chrono::Duration::seconds(300)),
            _ => None,
        }
    }

    /// The recurring jobs every deployment runs.
    pub const RECURRING: [Job; 3] = [Job::ExpireQuotes, Job::Reconcile, Job::Sweep];

    async fn run(&self, svc: &Services) -> Result<Next, Error> {
        match self {
            Job::SignInLinks { email } => crate::portal::mail_sign_in_links(svc, email).await.map(|()| Next::Done),
            Job::DashboardSignInLinks { email } => {
                crate::dashboard::mail_sign_in_links(svc, email).await.map(|()| Next::Done)
            }
            Job::ExpireQuotes => crate::quotes::expire(&svc.db, None).await.map(|_| Next::Done),
            Job::Reconcile => {
                let n = crate::escrow::reconcile(svc, svc.config.reconcile_after).await?;
                if n > 0 {
                    tracing::info!("reconciled {n} interrupted gateway calls");
                }
                Ok(Next::Done)
            }
            Job::Sweep => {
                let db = &svc.db;
                crate::rate_limit::sweep(db, chrono::Utc::now().timestamp() - 2 * 3600).await?;
                crate::idempotency::sweep(db).await?;
                crate::files::tus::sweep_expired(svc).await?;
                crate::portal::sweep(db).await?;
                crate::dashboard::sweep(db).await?;
                sweep(db).await?;
                Ok(Next::Done)
            }
            Job::DeliverWebhook { delivery_id, .. } => crate::webhooks::dispatch::deliver(svc, delivery_id).await,
            Job::SendEmail { email_id } => crate::mail::deliver(svc, email_id).await,
            Job::EvaluateDelivery { work_order_id, delivery_set } => {
                crate::qa::evaluate_queued(svc, work_order_id, *delivery_set).await.map(|()| Next::Done)
            }
        }
    }
}
