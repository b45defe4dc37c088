//! Background work that runs outside requests: the jobs (`domain::jobs`), one loop per queue —
//! webhook deliveries, mail, QA of new deliveries, and the rest (sign-in links, quote expiry,
//! the reconciler, sweeps) — plus the sequencing of committed events and the sweep of expired
//! sessions. Each step reports whether it did anything, so tests drain the queues
//! deterministically instead of waiting. A request that changed something
//! nudges the workers, so events go out at once; otherwise they poll (which also picks up work
//! another process committed).

use domain::jobs::Queue;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct Workers {
    services: domain::Services,
    webhook_nudge: Arc<tokio::sync::Notify>,
    mail_nudge: Arc<tokio::sync::Notify>,
    job_nudge: Arc<tokio::sync::Notify>,
    qa_nudge: Arc<tokio::sync::Notify>,
    sessions: crate::sessions::Store,
    /// Cancelled on shutdown: the workers finish what they hold and claim nothing new.
    stop: tokio_util::sync::CancellationToken,
}

/// Webhook deliveries in flight at once per process.
const CONCURRENT_DELIVERIES: usize = 8;
/// Of those, at most this many for one principal's endpoints.
const DELIVERIES_PER_TENANT: usize = 2;
const POLL: Duration = Duration::from_millis(500);

impl Workers {
    pub fn new(services: domain::Services, sessions: crate::sessions::Store) -> Workers {
        Workers {
            services,
            webhook_nudge: Arc::new(tokio::sync::Notify::new()),
            mail_nudge: Arc::new(tokio::sync::Notify::new()),
            job_nudge: Arc::new(tokio::sync::Notify::new()),
            qa_nudge: Arc::new(tokio::sync::Notify::new()),
            sessions,
            stop: tokio_util::sync::CancellationToken::new(),
        }
    }

    /// Asks the workers to stop: deliveries, an email or a QA run under way are finished (and
    /// recorded), nothing new is claimed, and `run` returns.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Cancelled once the server is stopping: what runs for as long as a client stays (a live
    /// stream) ends then, so that the server can.
    pub fn stopping(&self) -> tokio_util::sync::CancellationToken {
        self.stop.clone()
    }

    /// Wakes the workers: something may have been committed.
    pub fn nudge(&self) {
        self.webhook_nudge.notify_one();
        self.mail_nudge.notify_one();
        self.job_nudge.notify_one();
        self.qa_nudge.notify_one();
    }

    /// Runs QA on one queued delivery; `true` when there was one.
    pub async fn run_one_qa(&self) -> Result<bool, domain::Error> {
        domain::jobs::run_next(&self.services, Queue::Qa).await
    }

    /// Sequences events and sends one due webhook delivery; `true` when there was one.
    pub async fn send_one_webhook(&self) -> Result<bool, domain::Error> {
        domain::events::sequence(&self.services).await?;
        domain::jobs::run_next(&self.services, Queue::Webhooks).await
    }

    /// Sends every due webhook delivery, one after another; returns how many.
    pub async fn drain_webhooks(&self) -> Result<usize, domain::Error> {
        domain::events::sequence(&self.services).await?;
        domain::jobs::drain(&self.services, Queue::Webhooks).await
    }

    /// Sends one due email; `true` when there was one.
    pub async fn send_one_email(&self) -> Result<bool, domain::Error> {
        domain::jobs::run_next(&self.services, Queue::Mail).await
    }

    /// Queues the emails of committed events, then sends every due email; returns how many
    /// were handled.
    pub async fn drain_mail(&self) -> Result<usize, domain::Error> {
        domain::events::sequence(&self.services).await?;
        domain::jobs::drain(&self.services, Queue::Mail).await
    }

    /// Runs the next due job of the work queue (sign-in links, quote expiry, the reconciler,
    /// sweeps); `true` when there was one.
    pub async fn run_one_job(&self) -> Result<bool, domain::Error> {
        domain::jobs::run_next(&self.services, Queue::Work).await
    }

    /// Runs every due job of the work queue; returns how many ran.
    pub async fn drain_jobs(&self) -> Result<usize, domain::Error> {
        domain::jobs::drain(&self.services, Queue::Work).await
    }

    /// Runs until `stop`, in loops that cannot hold each other up: webhooks (several deliveries
    /// at a time, a few per tenant), mail, QA (it takes seconds), the other jobs, and the sweep
    /// of expired sessions. Each runs when nudged or every half second.
    pub async fn run(self) {
        if let Err(e) = domain::jobs::schedule_recurring(&self.services.db).await {
            tracing::warn!("scheduling the recurring jobs: {e}");
        }
        tokio::join!(
            self.clone().webhooks(),
            self.clone().serial(Queue::Mail, self.mail_nudge.clone()),
            self.clone().serial(Queue::Qa, self.qa_nudge.clone()),
            self.clone().serial(Queue::Work, self.job_nudge.clone()),
            self.sessions()
        );
    }

    /// Runs the jobs of one queue one after another until none is due, then waits for a nudge
    /// or the poll. The recurring jobs were queued (once, whatever the number of processes) and
    /// made due before: a process that starts reconciles at once what a dead one may have
    /// left. Mail is sequenced first, so the emails of committed events are queued.
    async fn serial(self, queue: Queue, nudge: Arc<tokio::sync::Notify>) {
        while !self.stop.is_cancelled() {
            if queue == Queue::Mail
                && let Err(e) = domain::events::sequence(&self.services).await
            {
                tracing::warn!("sequencing events: {e}");
            }
            loop {
                match domain::jobs::run_next(&self.services, queue).await {
                    Ok(true) if !self.stop.is_cancelled() => {}
                    Ok(_) => break,
                    Err(e) => {
                        tracing::warn!("running {} jobs: {e}", queue.as_str());
                        break;
                    }
                }
            }
            tokio::select! {
                () = self.stop.cancelled() => break,
                () = nudge.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
        }
    }

    /// The session store is the web layer's own table (tower-sessions), swept here.
    async fn sessions(self) {
        let mut every = tokio::time::interval(Duration::from_secs(300));
        loop {
            tokio::select! {
                () = self.stop.cancelled() => break,
                _ = every.tick() => {
                    if let Err(e) = self.sessions.delete_expired().await {
                        tracing::warn!("deleting expired sessions: {e}");
                    }
                }
            }
        }
    }

    /// Keeps up to `CONCURRENT_DELIVERIES` in flight, at most `DELIVERIES_PER_TENANT` of one
    /// principal; claims again as soon as a slot frees or work arrives. On stop it claims
    /// nothing new and returns once what it holds is sent and recorded.
    async fn webhooks(self) {
        let mut in_flight = tokio::task::JoinSet::new();
        let mut tenant_of: HashMap<tokio::task::Id, String> = HashMap::new();
        let mut per_tenant: HashMap<String, usize> = HashMap::new();
        loop {
            if !self.stop.is_cancelled() {
                if let Err(e) = domain::events::sequence(&self.services).await {
                    tracing::warn!("sequencing events: {e}");
                }
                while in_flight.len() < CONCURRENT_DELIVERIES {
                    let busy: Vec<String> = per_tenant
                        .iter()
                        .filter(|(_, n)| **n >= DELIVERIES_PER_TENANT)
                        .map(|(p, _)| p.clone())
                        .collect();
                    match domain::jobs::claim(&self.services, Queue::Webhooks, &busy).await {
                        Ok(Some(claimed)) => {
                            let tenant = claimed.tenant().unwrap_or_default().to_owned();
                            *per_tenant.entry(tenant.clone()).or_default() += 1;
                            let services = self.services.clone();
                            let task = in_flight.spawn(async move { domain::jobs::run(&services, &claimed).await });
                            tenant_of.insert(task.id(), tenant);
                        }
                        Ok(None) => break,
                        Err(e) => {
                            tracing::warn!("claiming a webhook delivery: {e}");
                            break;
                        }
                    }
                }
            } else if in_flight.is_empty() {
                return;
            }
            let stopped = self.stop.is_cancelled();
            tokio::select! {
                Some(done) = in_flight.join_next_with_id(), if !in_flight.is_empty() => {
                    let id = match done {
                        Ok((id, Ok(()))) => id,
                        Ok((id, Err(e))) => {
                            tracing::warn!("webhook delivery: {e}");
                            id
                        }
                        Err(e) => {
                            tracing::error!("webhook delivery task: {e}");
                            e.id()
                        }
                    };
                    if let Some(tenant) = tenant_of.remove(&id)
                        && let Some(n) = per_tenant.get_mut(&tenant)
                    {
                        *n -= 1;
                        if *n == 0 {
                            per_tenant.remove(&tenant);
                        }
                    }
                }
                () = self.webhook_nudge.notified(), if !stopped => {}
                () = tokio::time::sleep(POLL), if !stopped => {}
                () = self.stop.cancelled(), if !stopped => {}
            }
        }
    }

    /// Nudges the workers after every request that may have changed something.
    pub async fn nudge_after_writes(
        axum::extract::State(state): axum::extract::State<crate::state::AppState>,
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        let writes = !matches!(
            *request.method(),
            axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
        );
        let response = next.run(request).await;
        if writes {
            state.workers.nudge();
        }
        response
    }
}
