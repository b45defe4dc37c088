//! Background work that runs outside requests: webhook deliveries, the mail outbox, QA of new
//! deliveries, and sweeping what has expired (quotes, uploads, rate-limit windows, idempotency
//! keys, sign-in links, portal sessions). Each step reports whether it did anything, so tests
//! drain the queues deterministically instead of waiting. A request that changed something
//! nudges the workers, so events go out at once; otherwise they poll (which also picks up work
//! another process committed).

use crate::startup::StartupError;
use domain::mail::Mailer;
use lettre::message::Mailbox;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone)]
pub struct Workers {
    services: domain::Services,
    mailer: Arc<Mailer>,
    from: Mailbox,
    nudge: Arc<tokio::sync::Notify>,
    qa_nudge: Arc<tokio::sync::Notify>,
    sessions: crate::sessions::Store,
    /// Cancelled on shutdown: the workers finish what they hold and claim nothing new.
    stop: tokio_util::sync::CancellationToken,
}

/// Webhook deliveries in flight at once per process.
const CONCURRENT_DELIVERIES: usize = 8;
const POLL: Duration = Duration::from_millis(500);
/// How often the reconciler looks for interrupted gateway calls (the first look is at start).
const RECONCILE_EVERY: Duration = Duration::from_secs(60);
/// After a failed QA run (the database, not a file: unreadable files are a result), wait this
/// long before trying again.
const QA_ERROR_PAUSE: Duration = Duration::from_secs(30);

impl Workers {
    pub fn new(
        services: domain::Services,
        mailer: Mailer,
        from: &str,
        sessions: crate::sessions::Store,
    ) -> Result<Workers, StartupError> {
        let from = from.parse::<Mailbox>().map_err(|e| StartupError::Config(format!("HD_MAIL_FROM={from:?}: {e}")))?;
        Ok(Workers {
            services,
            mailer: Arc::new(mailer),
            from,
            nudge: Arc::new(tokio::sync::Notify::new()),
            qa_nudge: Arc::new(tokio::sync::Notify::new()),
            sessions,
            stop: tokio_util::sync::CancellationToken::new(),
        })
    }

    /// Asks the workers to stop: deliveries, an email or a QA run under way are finished (and
    /// recorded), nothing new is claimed, and `run` returns.
    pub fn stop(&self) {
        self.stop.cancel();
    }

    /// Wakes the workers: something may have been committed.
    pub fn nudge(&self) {
        self.nudge.notify_one();
        self.qa_nudge.notify_one();
    }

    /// Runs QA on one delivery nobody has evaluated yet; `true` when there was one.
    pub async fn run_one_qa(&self) -> Result<bool, domain::Error> {
        domain::qa::run_next_pending(&self.services).await
    }

    /// Sequences events and sends one due webhook delivery; `true` when there was one.
    pub async fn send_one_webhook(&self) -> Result<bool, domain::Error> {
        domain::webhooks::dispatch::run_once(&self.services).await
    }

    /// Sends every due webhook delivery, one after another; returns how many.
    pub async fn drain_webhooks(&self) -> Result<usize, domain::Error> {
        let mut handled = 0;
        while self.send_one_webhook().await? {
            handled += 1;
        }
        Ok(handled)
    }

    /// Sends due deliveries, several at a time, until none is due.
    async fn dispatch_webhooks(&self) -> Result<(), domain::Error> {
        domain::events::sequence(&self.services).await?;
        let mut in_flight = tokio::task::JoinSet::new();
        loop {
            while in_flight.len() < CONCURRENT_DELIVERIES && !self.stop.is_cancelled() {
                match domain::webhooks::dispatch::claim(&self.services).await? {
                    Some(claimed) => {
                        let services = self.services.clone();
                        in_flight.spawn(async move {
                            let attempt = domain::webhooks::dispatch::send(&services, &claimed).await?;
                            domain::webhooks::dispatch::record(&services, &claimed, &attempt).await
                        });
                    }
                    None => break,
                }
            }
            match in_flight.join_next().await {
                Some(Ok(Err(e))) => tracing::warn!("webhook delivery: {e}"),
                Some(Err(e)) => tracing::error!("webhook delivery task: {e}"),
                Some(Ok(Ok(()))) => {}
                None => return Ok(()),
            }
        }
    }

    /// Sends one due email; `true` when there was one.
    pub async fn send_one_email(&self) -> Result<bool, domain::Error> {
        domain::mail::deliver_next(&self.services.db, &self.mailer, &self.from).await
    }

    /// Sends every due email; returns how many were handled.
    pub async fn drain_mail(&self) -> Result<usize, domain::Error> {
        let mut handled = 0;
        while self.send_one_email().await? {
            handled += 1;
        }
        Ok(handled)
    }

    /// Expires quotes; deletes old rate-limit windows, idempotency keys, spent sign-in links and
    /// expired sessions.
    pub async fn sweep(&self) -> Result<(), domain::Error> {
        let db = &self.services.db;
        domain::quotes::expire(db, None).await?;
        domain::rate_limit::sweep(db, chrono::Utc::now().timestamp() - 2 * 3600).await?;
        domain::idempotency::sweep(db).await?;
        domain::files::tus::sweep_expired(&self.services).await?;
        domain::portal::sweep(db).await?;
        self.sessions.delete_expired().await?;
        Ok(())
    }

    /// Finishes or compensates the gateway calls left pending longer than the configured
    /// `HD_RECONCILE_AFTER_SECS` (a crash, a gateway that did not answer); returns how many.
    pub async fn reconcile(&self) -> Result<usize, domain::Error> {
        domain::escrow::reconcile(&self.services, self.services.config.reconcile_after).await
    }

    /// Runs until `stop`: the reconciler at once and every minute, webhooks and mail when nudged
    /// or every half second, sweeps every five minutes, and QA beside them (it takes seconds, and
    /// must not hold up deliveries).
    pub async fn run(self) {
        tokio::join!(self.clone().deliver(), self.evaluate());
    }

    async fn deliver(self) {
        let mut sweep = tokio::time::interval(Duration::from_secs(300));
        let mut reconcile = tokio::time::interval(RECONCILE_EVERY);
        while !self.stop.is_cancelled() {
            tokio::select! {
                () = self.stop.cancelled() => break,
                _ = reconcile.tick() => {
                    match self.reconcile().await {
                        Ok(0) => {}
                        Ok(n) => tracing::info!("reconciled {n} interrupted gateway calls"),
                        Err(e) => tracing::warn!("reconciling the gateway journal: {e}"),
                    }
                }
                _ = sweep.tick() => {
                    if let Err(e) = self.sweep().await {
                        tracing::warn!("sweeping: {e}");
                    }
                }
                () = self.nudge.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
            if let Err(e) = self.dispatch_webhooks().await {
                tracing::warn!("dispatching webhooks: {e}");
            }
            if let Err(e) = self.send_mail_until_stopped().await {
                tracing::warn!("sending mail: {e}");
            }
        }
    }

    async fn send_mail_until_stopped(&self) -> Result<(), domain::Error> {
        while !self.stop.is_cancelled() && self.send_one_email().await? {}
        Ok(())
    }

    async fn evaluate(self) {
        while !self.stop.is_cancelled() {
            tokio::select! {
                () = self.stop.cancelled() => break,
                () = self.qa_nudge.notified() => {}
                () = tokio::time::sleep(POLL) => {}
            }
            while !self.stop.is_cancelled() {
                match self.run_one_qa().await {
                    Ok(true) => {}
                    Ok(false) => break,
                    Err(e) => {
                        tracing::warn!("running QA: {e}");
                        tokio::select! {
                            () = self.stop.cancelled() => {}
                            () = tokio::time::sleep(QA_ERROR_PAUSE) => {}
                        }
                        break;
                    }
                }
            }
        }
    }

    /// Nudges the workers after every request that may have changed something.
    pub async fn nudge_after_writes(
        axum::extract::State(workers): axum::extract::State<Workers>,
        request: axum::extract::Request,
        next: axum::middleware::Next,
    ) -> axum::response::Response {
        let writes = !matches!(
            *request.method(),
            axum::http::Method::GET | axum::http::Method::HEAD | axum::http::Method::OPTIONS
        );
        let response = next.run(request).await;
        if writes {
            workers.nudge();
        }
        response
    }
}
