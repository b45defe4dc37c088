//! Sending deliveries: each is a job (`jobs::Job::DeliverWebhook`), so several server processes
//! never send the same attempt twice; POSTed with the signature headers and a 15-second
//! timeout to the address checked at send time, without following redirects, then recorded.
//! Retries back off over more than a day.

use super::{signature, ssrf};
use crate::entities::{events, webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::events::Event;
use crate::jobs::Next;
use crate::status::{DeliveryAction, DeliveryStatus, EndpointAction, EndpointStatus};
use crate::transition::transition;
use crate::{Error, Services, ids};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use std::time::Instant;

/// Waits after the first, second, … failed attempt: at least 24 hours in all.
pub const BACKOFF_SECS: [i64; 8] = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 86_400];
pub const TIMEOUT_SECS: u64 = 15;
/// How much of a receiver's answer is read: enough for the 512-character excerpt.
const EXCERPT_BYTES: usize = 2048;
/// `Retry-After` is honoured up to this long.
const MAX_RETRY_AFTER_SECS: i64 = 86_400;

pub struct Outgoing {
    pub delivery: webhook_deliveries::Model,
    pub endpoint: webhook_endpoints::Model,
    pub event: events::Model,
}

/// The job of a delivery (`jobs::Job::DeliverWebhook`): sends it if it still waits to be
/// sent, records the attempt, and says when to try again. The job runner has made sure no
/// other process holds it.
pub async fn deliver(svc: &Services, delivery_id: &str) -> Result<Next, Error> {
    let Some(delivery) = webhook_deliveries::Entity::find_by_id(delivery_id.to_owned()).one(&svc.db).await? else {
        return Ok(Next::Done);
    };
    // Settled meanwhile (its endpoint was deleted): nothing to send.
    if delivery.status != DeliveryStatus::Pending {
        return Ok(Next::Done);
    }
    let endpoint = webhook_endpoints::Entity::find_by_id(delivery.endpoint_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::internal("delivery without endpoint"))?;
    let event = events::Entity::find()
        .filter(events::Column::Id.eq(&delivery.event_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::internal("delivery without event"))?;
    let outgoing = Outgoing { delivery, endpoint, event };
    let attempt = send(svc, &outgoing).await?;
    record(svc, &outgoing, &attempt).await
}

/// What one HTTP attempt came to.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub status: Option<u16>,
    pub latency_ms: u64,
    pub excerpt: Option<String>,
    pub error: Option<String>,
    pub retry_after: Option<i64>,
}

/// The body a receiver gets: `{id, type, created_at, data}`.
pub fn payload(event: &events::Model) -> Result<Vec<u8>, Error> {
    let event = Event::try_from(event.clone())?;
    serde_json::to_vec(&event).map_err(Error::internal)
}

/// POSTs one delivery.
pub async fn send(svc: &Services, outgoing: &Outgoing) -> Result<Attempt, Error> {
    let body = payload(&outgoing.event)?;
    let started = Instant::now();
    let elapsed = |s: Instant| u64::try_from(s.elapsed().as_millis()).unwrap_or(u64::MAX);
    let url = match url::Url::parse(&outgoing.endpoint.url) {
        Ok(u) => u,
        Err(e) => {
            return Ok(Attempt {
                status: None,
                latency_ms: 0,
                excerpt: None,
                error: Some(format!("bad URL: {e}")),
                retry_after: None,
            });
        }
    };
    let addr = match ssrf::resolve(&url, svc.config.webhooks_allow_private).await {
        Ok(a) => a,
        Err(e) => {
            return Ok(Attempt {
                status: None,
                latency_ms: elapsed(started),
                excerpt: None,
                error: Some(e),
                retry_after: None,
            });
        }
    };
    let host = url.host_str().unwrap_or_default().trim_start_matches('[').trim_end_matches(']').to_owned();
    let client = reqwest::Client::builder()
        // The address was checked and pinned; a proxy from the environment would connect
        // elsewhere (HTTP(S)_PROXY, ALL_PROXY).
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(TIMEOUT_SECS))
        .resolve(&host, addr)
        .user_agent("HumanDispatch-Webhooks/1")
        .build()
        .map_err(Error::internal)?;
    let timestamp = Utc::now().timestamp();
    let id = &outgoing.event.id;
    let secret = &outgoing.endpoint.secret;
    let response = client
        .post(url)
        .header("content-type", "application/json")
        .header("x-humandispatch-signature", signature::humandispatch(secret, timestamp, &body))
        .header("x-humandispatch-timestamp", timestamp.to_string())
        .header("x-humandispatch-event-id", id.as_str())
        .header("webhook-id", id.as_str())
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature::standard(secret, id, timestamp, &body))
        .body(body)
        .send()
        .await;
    match response {
        Ok(mut r) => {
            let status = r.status().as_u16();
            let retry_after = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<i64>().ok())
                .filter(|s| *s >= 0);
            // Only the start of the answer is kept, and only that much is read: a receiver that
            // answers with gigabytes (or never stops) costs us EXCERPT_BYTES.
            let mut head = Vec::new();
            while head.len() < EXCERPT_BYTES {
                match r.chunk().await {
                    Ok(Some(chunk)) => head.extend_from_slice(&chunk[..chunk.len().min(EXCERPT_BYTES - head.len())]),
                    Ok(None) | Err(_) => break,
                }
            }
            let excerpt: String = String::from_utf8_lossy(&head).chars().take(512).collect();
            Ok(Attempt {
                status: Some(status),
                latency_ms: elapsed(started),
                excerpt: Some(excerpt),
                error: None,
                retry_after,
            })
        }
        Err(e) => Ok(Attempt {
            status: None,
            latency_ms: elapsed(started),
            excerpt: None,
            error: Some(e.to_string()),
            retry_after: None,
        }),
    }
}

/// When to try again after the `attempts`-th attempt failed, or `None` when retries are spent.
pub fn next_attempt(attempts: i32, attempt: &Attempt, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let index = usize::try_from(attempts).unwrap_or(0).saturating_sub(1);
    let backoff = *BACKOFF_SECS.get(index)?;
    let honoured = match attempt.status {
        Some(429 | 503) => attempt.retry_after.map(|s| s.min(MAX_RETRY_AFTER_SECS)),
        _ => None,
    };
    Some(now + Duration::seconds(honoured.unwrap_or(backoff)))
}

/// Records an attempt and decides what follows: done, retry later, give up, or (410) disable
/// the endpoint.
async fn record(svc: &Services, outgoing: &Outgoing, attempt: &Attempt) -> Result<Next, Error> {
    let now = crate::time::now();
    let delivery = &outgoing.delivery;
    let attempts = delivery.attempts + 1;
    let txn = svc.db.begin().await?;
    webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::Attempts, Expr::value(attempts))
        .filter(webhook_deliveries::Column::Id.eq(&delivery.id))
        .exec(&txn)
        .await?;
    webhook_attempts::Entity::insert(webhook_attempts::ActiveModel {
        id: Set(ids::new_id("wha")),
        delivery_id: Set(delivery.id.clone()),
        attempted_at: Set(now),
        status_code: Set(attempt.status.map(i32::from)),
        latency_ms: Set(i64::try_from(attempt.latency_ms).unwrap_or(i64::MAX)),
        response_excerpt: Set(attempt.excerpt.clone()),
        error: Set(attempt.error.clone()),
    })
    .exec_without_returning(&txn)
    .await?;
    let last_status = attempt.status.map(i32::from);
    let settle = |action| {
        let delivery_id = delivery.id.clone();
        let txn = &txn;
        async move {
            let moved =
                transition::<webhook_deliveries::Entity>(txn, &delivery_id, DeliveryStatus::Pending, action, |u| {
                    u.col_expr(webhook_deliveries::Column::LastStatus, Expr::value(last_status))
                        .col_expr(webhook_deliveries::Column::CompletedAt, Expr::value(now))
                })
                .await;
            // Abandoned meanwhile (its endpoint was deleted): the attempt is logged, that is all.
            match moved {
                Err(e) if e.code != crate::ErrorCode::PolicyBlocked => Err(e),
                _ => Ok::<(), Error>(()),
            }
        }
    };
    let mut next = Next::Done;
    match attempt.status {
        Some(s) if (200..300).contains(&s) => {
            settle(DeliveryAction::Succeed).await?;
        }
        Some(410) => {
            settle(DeliveryAction::Abandon).await?;
            if outgoing.endpoint.status == EndpointStatus::Enabled {
                transition::<webhook_endpoints::Entity>(
                    &txn,
                    &outgoing.endpoint.id,
                    outgoing.endpoint.status,
                    EndpointAction::Disable,
                    |u| {
                        u.col_expr(
                            webhook_endpoints::Column::DisabledReason,
                            Expr::value("the receiver answered 410 Gone"),
                        )
                    },
                )
                .await?;
            }
            super::service::abandon_pending(&txn, &outgoing.endpoint.id, now).await?;
        }
        _ => match next_attempt(attempts, attempt, now) {
            Some(at) => {
                webhook_deliveries::Entity::update_many()
                    .col_expr(webhook_deliveries::Column::LastStatus, Expr::value(last_status))
                    .col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(at))
                    .filter(webhook_deliveries::Column::Id.eq(&delivery.id))
                    .exec(&txn)
                    .await?;
                next = Next::At(at);
            }
            None => {
                settle(DeliveryAction::Fail).await?;
            }
        },
    }
    txn.commit().await?;
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failed(status: Option<u16>, retry_after: Option<i64>) -> Attempt {
        Attempt { status, latency_ms: 1, excerpt: None, error: None, retry_after }
    }

    #[test]
    fn retries_back_off_for_more_than_a_day_and_honour_retry_after() {
        let now = Utc::now();
        let waits: Vec<i64> =
            (1..=8).map(|n| (next_attempt(n, &failed(Some(500), None), now).unwrap() - now).num_seconds()).collect();
        assert_eq!(waits, BACKOFF_SECS.to_vec());
        assert!(BACKOFF_SECS.iter().sum::<i64>() >= 86_400);
        assert!(next_attempt(9, &failed(Some(500), None), now).is_none(), "retries are spent");
        assert_eq!((next_attempt(1, &failed(Some(429), Some(120)), now).unwrap() - now).num_seconds(), 120);
        assert_eq!((next_attempt(1, &failed(Some(503), Some(999_999)), now).unwrap() - now).num_seconds(), 86_400);
        assert_eq!(
            (next_attempt(1, &failed(Some(500), Some(120)), now).unwrap() - now).num_seconds(),
            5,
            "only 429 and 503 set the wait"
        );
    }
}
