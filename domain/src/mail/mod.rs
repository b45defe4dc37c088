//! Email: messages are written to an outbox — notifications by the worker that sequences
//! committed events (`notify`), the sign-in link by its job — each with a job that sends it
//! afterwards (SMTP when `SMTP_URL` is set, `.eml` files otherwise), retrying on failure. Nothing is sent
//! from inside a request's transaction. What each email says is in `templates/`.

pub mod notify;
mod render;
pub mod templates;
pub use render::{Rendered, render};

use crate::entities::{email_outbox, principals, talent};
use crate::jobs::Next;
use crate::status::{MailAction, MailStatus};
use crate::transition::transition;
use crate::{Error, Services, ids};
use chrono::Duration;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait, sea_query::Expr};
use std::path::Path;

/// Attempts before a message is given up as `failed`.
pub const MAX_ATTEMPTS: i32 = 8;

/// Who an email is about, for the outbox's records.
#[derive(Debug, Clone, Default)]
pub struct Recipient {
    pub address: String,
    pub principal_id: Option<String>,
    pub talent_id: Option<String>,
}

/// Queues a message on `conn` (the transaction of the change it reports). Mail for a sandbox
/// talent goes to the principal who made the profile, whatever address the profile carries:
/// a sandbox account cannot use us to mail people who never agreed to it.
pub async fn enqueue(conn: &impl ConnectionTrait, to: Recipient, message: Rendered) -> Result<String, Error> {
    let to = sandbox_redirect(conn, to).await?;
    let id = ids::new_id("eml");
    let now = crate::time::now();
    email_outbox::Entity::insert(email_outbox::ActiveModel {
        id: Set(id.clone()),
        principal_id: Set(to.principal_id),
        talent_id: Set(to.talent_id),
        to_address: Set(to.address),
        subject: Set(message.subject),
        html: Set(message.html),
        text: Set(message.text),
        status: Set(MailStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    crate::jobs::enqueue(conn, &crate::jobs::Job::SendEmail { email_id: id.clone() }, now).await?;
    Ok(id)
}

async fn sandbox_redirect(conn: &impl ConnectionTrait, to: Recipient) -> Result<Recipient, Error> {
    let Some(talent_id) = &to.talent_id else { return Ok(to) };
    let Some(profile) = talent::Entity::find_by_id(talent_id.clone()).one(conn).await? else { return Ok(to) };
    if crate::principals::Mode::parse(&profile.mode) != Some(crate::principals::Mode::Sandbox) {
        return Ok(to);
    }
    let owner = match &profile.owner_principal_id {
        Some(id) => principals::Entity::find_by_id(id.clone()).one(conn).await?,
        None => None,
    };
    let owner =
        owner.ok_or_else(|| Error::internal(format!("sandbox talent {talent_id} has no principal to mail instead")))?;
    Ok(Recipient { address: owner.email, principal_id: Some(owner.id), ..to })
}

/// Where mail goes, and whom it is from.
pub struct Outbound {
    pub mailer: Mailer,
    pub from: Mailbox,
}

/// Where mail goes.
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

impl Mailer {
    /// SMTP at `smtp_url` (`smtp://user:pass@host:port`, `smtps://…`), or `.eml` files in `dir`.
    pub fn new(smtp_url: Option<&str>, dir: &Path) -> Result<Mailer, Error> {
        match smtp_url {
            Some(url) => AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                .map(|b| Mailer::Smtp(b.build()))
                .map_err(|e| Error::internal(format!("SMTP_URL is not usable: {e}"))),
            None => {
                std::fs::create_dir_all(dir)
                    .map_err(|e| Error::internal(format!("cannot create mail directory {}: {e}", dir.display())))?;
                Ok(Mailer::Files(AsyncFileTransport::new(dir)))
            }
        }
    }

    async fn send(&self, message: Message) -> Result<(), String> {
        match self {
            Mailer::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Mailer::Files(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}

fn backoff(attempts: i32) -> Duration {
    Duration::seconds(match attempts {
        ..=1 => 30,
        2 => 120,
        3 => 600,
        4 => 1800,
        5 => 3600,
        _ => 4 * 3600,
    })
}

/// The job of a queued message (`jobs::Job::SendEmail`): sends it if it still waits, and on
/// failure says when to try again (or gives it up after `MAX_ATTEMPTS`).
pub async fn deliver(svc: &Services, email_id: &str) -> Result<Next, Error> {
    let db = &svc.db;
    let Some(row) = email_outbox::Entity::find_by_id(email_id.to_owned()).one(db).await? else {
        return Ok(Next::Done);
    };
    if row.status != MailStatus::Pending {
        return Ok(Next::Done);
    }
    let attempts = row.attempts + 1;
    let outcome = match build(&row, &svc.mail.from) {
        Ok(message) => svc.mail.mailer.send(message).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => {
            transition::<email_outbox::Entity>(db, &row.id, MailStatus::Pending, MailAction::Send, |u| {
                u.col_expr(email_outbox::Column::SentAt, Expr::value(crate::time::now()))
                    .col_expr(email_outbox::Column::Attempts, Expr::value(attempts))
                    .col_expr(email_outbox::Column::LastError, Expr::value(Option::<String>::None))
            })
            .await?;
            Ok(Next::Done)
        }
        Err(e) => {
            tracing::warn!(email = %row.id, attempts, "sending mail failed: {e}");
            let retry_at = crate::time::now() + backoff(attempts);
            let (action, next) = if attempts >= MAX_ATTEMPTS {
                (MailAction::Fail, Next::Done)
            } else {
                (MailAction::Retry, Next::At(retry_at))
            };
            transition::<email_outbox::Entity>(db, &row.id, MailStatus::Pending, action, |u| {
                u.col_expr(email_outbox::Column::NextAttemptAt, Expr::value(retry_at))
                    .col_expr(email_outbox::Column::Attempts, Expr::value(attempts))
                    .col_expr(email_outbox::Column::LastError, Expr::value(Some(e)))
            })
            .await?;
            Ok(next)
        }
    }
}

fn build(row: &email_outbox::Model, from: &Mailbox) -> Result<Message, String> {
    let to: Mailbox = row.to_address.parse().map_err(|e| format!("bad recipient {}: {e}", row.to_address))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(format!("<{}@humandispatch>", row.id)))
        .multipart(MultiPart::alternative_plain_html(row.text.clone(), row.html.clone()))
        .map_err(|e| e.to_string())
}
