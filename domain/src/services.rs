//! What every adapter needs to call the domain: handed to REST handlers through axum state and
//! to server functions through Leptos context, so both reach the same services.

use crate::db::Db;
use crate::pagination::CursorCodec;
use crate::payments::{PaymentGateway, SandboxGateway};
use crate::principals::Mode;
use crate::signing::UrlSigner;
use crate::storage::Storage;
use crate::{Error, settings};
use std::sync::Arc;

/// Business settings the operator can change (environment variables, read by the server).
#[derive(Clone)]
pub struct DomainConfig {
    /// Whether a real payment gateway is configured (live principals need one).
    pub live_payments: bool,
    /// Requests per minute per API key, on every endpoint.
    pub rate_limit_per_minute: u32,
    /// Requests per minute per API key on endpoints that move money.
    pub money_rate_limit_per_minute: u32,
    /// Sign-ups per hour from one client address.
    pub signups_per_hour: u32,
    /// Portal sign-in requests per hour from one client address.
    pub sign_ins_per_hour: u32,
    /// The operator's signing secret; generated and stored in the database when absent.
    pub signing_secret: Option<String>,
    /// The base URL people and agents reach the service at (links in emails, setup pages).
    pub public_url: String,
    /// Whether webhook URLs may resolve to private addresses (tests, local development).
    pub webhooks_allow_private: bool,
    /// How long every sandbox gateway call takes (0: at once). Tests widen race windows with it.
    pub sandbox_latency: std::time::Duration,
    /// A journaled gateway call still pending after this long was interrupted: the reconciler
    /// finishes it. Shorter than any request can take is wrong; tests set 0 after a crash.
    pub reconcile_after: chrono::Duration,
}

impl std::fmt::Debug for DomainConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DomainConfig")
            .field("live_payments", &self.live_payments)
            .field("rate_limit_per_minute", &self.rate_limit_per_minute)
            .field("money_rate_limit_per_minute", &self.money_rate_limit_per_minute)
            .field("signups_per_hour", &self.signups_per_hour)
            .field("sign_ins_per_hour", &self.sign_ins_per_hour)
            .field("signing_secret", &self.signing_secret.as_ref().map(|_| "[redacted]"))
            .field("public_url", &self.public_url)
            .field("webhooks_allow_private", &self.webhooks_allow_private)
            .field("sandbox_latency", &self.sandbox_latency)
            .field("reconcile_after", &self.reconcile_after)
            .finish()
    }
}

impl Default for DomainConfig {
    fn default() -> Self {
        DomainConfig {
            live_payments: false,
            rate_limit_per_minute: 60,
            money_rate_limit_per_minute: 10,
            signups_per_hour: 20,
            sign_ins_per_hour: 10,
            signing_secret: None,
            public_url: "http://127.0.0.1:3000".into(),
            webhooks_allow_private: false,
            sandbox_latency: std::time::Duration::ZERO,
            reconcile_after: chrono::Duration::minutes(2),
        }
    }
}

#[derive(Clone)]
pub struct Services {
    pub db: Db,
    pub config: Arc<DomainConfig>,
    pub cursors: CursorCodec,
    pub signer: UrlSigner,
    pub storage: Storage,
    /// Where the mail jobs send.
    pub mail: Arc<crate::mail::Outbound>,
    /// The last event position this process's sequencer placed: live views (the dashboard's
    /// stream) wait on it instead of polling. Events another process placed are found by the
    /// views' slower poll.
    pub placed: Arc<tokio::sync::watch::Sender<i64>>,
    sandbox_gateway: Arc<dyn PaymentGateway>,
    live_gateway: Option<Arc<dyn PaymentGateway>>,
}

impl Services {
    /// Prepares the services on a migrated database, with the sandbox gateway only.
    pub async fn new(
        db: Db,
        config: DomainConfig,
        storage: Storage,
        mail: crate::mail::Outbound,
    ) -> Result<Self, Error> {
        let secret = settings::signing_secret(&db, config.signing_secret.as_deref()).await?;
        let sandbox_gateway: Arc<dyn PaymentGateway> =
            Arc::new(SandboxGateway::new(db.clone(), config.public_url.clone(), config.sandbox_latency));
        Ok(Services {
            db,
            config: Arc::new(config),
            cursors: CursorCodec::new(&secret),
            signer: UrlSigner::new(&secret),
            storage,
            mail: Arc::new(mail),
            placed: Arc::new(tokio::sync::watch::Sender::new(0)),
            sandbox_gateway,
            live_gateway: None,
        })
    }

    /// The gateway that moves a principal's money: play money for sandbox accounts.
    pub fn gateway(&self, mode: Mode) -> Result<Arc<dyn PaymentGateway>, Error> {
        match mode {
            Mode::Sandbox => Ok(self.sandbox_gateway.clone()),
            Mode::Live => self
                .live_gateway
                .clone()
                .ok_or_else(|| Error::internal("a live principal exists but no live payment gateway is configured")),
        }
    }
}
