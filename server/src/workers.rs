//! Background work that runs outside requests: sending the mail outbox, and sweeping what has
//! expired (quotes, rate-limit windows, idempotency keys). Each step reports whether it did
//! anything, so tests drain the queues deterministically instead of waiting.

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
}

impl Workers {
    pub fn new(services: domain::Services, mailer: Mailer, from: &str) -> Result<Workers, StartupError> {
        let from = from.parse::<Mailbox>().map_err(|e| StartupError::Config(format!("HD_MAIL_FROM={from:?}: {e}")))?;
        Ok(Workers { services, mailer: Arc::new(mailer), from })
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

    /// Expires quotes, deletes old rate-limit windows and idempotency keys.
    pub async fn sweep(&self) -> Result<(), domain::Error> {
        let db = &self.services.db;
        domain::quotes::expire(db, None).await?;
        domain::rate_limit::sweep(db, chrono::Utc::now().timestamp() - 2 * 3600).await?;
        domain::idempotency::sweep(db).await?;
        Ok(())
    }

    /// Runs until the task is dropped: mail as it comes, sweeps every five minutes.
    pub async fn run(self) {
        let mut sweep = tokio::time::interval(Duration::from_secs(300));
        let mut poll = tokio::time::interval(Duration::from_millis(500));
        loop {
            tokio::select! {
                _ = sweep.tick() => {
                    if let Err(e) = self.sweep().await {
                        tracing::warn!("sweeping: {e}");
                    }
                }
                _ = poll.tick() => {
                    if let Err(e) = self.drain_mail().await {
                        tracing::warn!("sending mail: {e}");
                    }
                }
            }
        }
    }
}
