//! Sending deliveries: claimed one at a time so that several server processes never send the
//! same attempt twice (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has one writer), POSTed
//! with the signature headers and a 15-second timeout to the address checked at send time,
//! without following redirects, then recorded. Retries back off over more than two days.

use super::{signature, ssrf};
use crate::entities::{events, webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::events::Event;
use crate::status::{DeliveryAction, DeliveryStatus, EndpointAction, EndpointStatus};
use crate::transition::transition;
use crate::{Error, Services, ids};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use std::time::Instant;

/// Waits after the first, second, … failed attempt: at least 24 hours in all.
pub const BACKOFF_SECS: [i64; 8] = [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 86_400];
/// A claimed delivery is reserved this long for its sender.
const LEASE_SECS: i64 = 60;
pub const TIMEOUT_SECS: u64 = 15;
/// How much of a receiver's answer is read: enough for the 512-character excerpt.
const EXCERPT_BYTES: usize = 2048;
/// `Retry-After` is honoured up to this long.
const MAX_RETRY_AFTER_SECS: i64 = 86_400;

pub struct Claimed {
    pub delivery: webhook_deliveries::Model,
    pub endpoint: webhook_endpoints::Model,
    pub event: events::Model,
}

/// Claims the next due delivery, if any, skipping the endpoints of the principals in `busy`: a
/// sender keeps only a few deliveries of one tenant in flight, so one tenant's slow receivers
/// cannot hold every slot while another tenant's events wait.
pub async fn claim(svc: &Services, busy: &[String]) -> Result<Option<Claimed>, Error> {
    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let mut select = Query::select();
    select
        .column(webhook_deliveries::Column::Id)
        .from(webhook_deliveries::Entity)
        .and_where(Expr::col(webhook_deliveries::Column::Status).eq(DeliveryStatus::Pending))
        .and_where(Expr::col(webhook_deliveries::Column::NextAttemptAt).lte(now))
        .and_where_option((!busy.is_empty()).then(|| {
            Expr::col(webhook_deliveries::Column::EndpointId).not_in_subquery(
                Query::select()
                    .column(webhook_endpoints::Column::Id)
                    .from(webhook_endpoints::Entity)
                    .and_where(Expr::col(webhook_endpoints::Column::PrincipalId).is_in(busy.iter().cloned()))
                    .to_owned(),
            )
        }))
        .order_by(webhook_deliveries::Column::NextAttemptAt, sea_orm::sea_query::Order::Asc)
        .limit(1)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    let backend = txn.get_database_backend();
    let Some(row) = txn.query_one(backend.build(&select)).await? else {
        txn.commit().await?;
        return Ok(None);
    };
    let id: String = row.try_get_by_index(0)?;
    webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(now + Duration::seconds(LEASE_SECS)))
        .col_expr(webhook_deliveries::Column::Attempts, Expr::col(webhook_deliveries::Column::Attempts).add(1))
        .filter(webhook_deliveries::Column::Id.eq(&id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    let delivery = webhook_deliveries::Entity::find_by_id(id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::internal("claimed delivery vanished"))?;
    let endpoint = webhook_endpoints::Entity::find_by_id(delivery.endpoint_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::internal("delivery without endpoint"))?;
    let event = events::Entity::find()
        .filter(events::Column::Id.eq(&delivery.event_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::internal("delivery without event"))?;
    Ok(Some(Claimed { delivery, endpoint, event }))
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
pub async fn send(svc: &Services, claimed: &Claimed) -> Result<Attempt, Error> {
    let body = payload(&claimed.event)?;
    let started = Instant::now();
    let elapsed = |s: Instant| u64::try_from(s.elapsed().as_millis()).unwrap_or(u64::MAX);
    let url = match url::Url::parse(&claimed.endpoint.url) {
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
    let id = &claimed.event.id;
    let secret = &claimed.endpoint.secret;
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
pub async fn record(svc: &Services, claimed: &Claimed, attempt: &Attempt) -> Result<(), Error> {
    let now = crate::time::now();
    let delivery = &claimed.delivery;
    let txn = svc.db.begin().await?;
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
    match attempt.status {
        Some(s) if (200..300).contains(&s) => {
            settle(DeliveryAction::Succeed).await?;
        }
        Some(410) => {
            settle(DeliveryAction::Abandon).await?;
            if claimed.endpoint.status == EndpointStatus::Enabled {
                transition::<webhook_endpoints::Entity>(
                    &txn,
                    &claimed.endpoint.id,
                    claimed.endpoint.status,
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
            super::service::abandon_pending(&txn, &claimed.endpoint.id, now).await?;
        }
        // `attempts` already counts this one: the claim added it.
        _ => match next_attempt(delivery.attempts, attempt, now) {
            Some(at) => {
                webhook_deliveries::Entity::update_many()
                    .col_expr(webhook_deliveries::Column::LastStatus, Expr::value(last_status))
                    .col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(at))
                    .filter(webhook_deliveries::Column::Id.eq(&delivery.id))
                    .exec(&txn)
                    .await?;
            }
            None => {
                settle(DeliveryAction::Fail).await?;
            }
        },
    }
    txn.commit().await?;
    Ok(())
}

/// Sequences new events, then claims, sends and records one delivery. Returns whether there
/// was one, so a worker (or a test) can drain deterministically.
pub async fn run_once(svc: &Services) -> Result<bool, Error> {
    crate::events::sequence(svc).await?;
    let Some(claimed) = claim(svc, &[]).await? else { return Ok(false) };
    let attempt = send(svc, &claimed).await?;
    record(svc, &claimed, &attempt).await?;
    Ok(true)
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
