//! Rate limits, owned by the router: every `/v1` and `/api` route counts against the default
//! policy (60/min per caller, or per client address without one); the routes that move money
//! sit on their own sub-router whose layer also counts the money policy (10/min). Each layer
//! adds its decision to the response, and the outermost writes `RateLimit-Policy` (every policy
//! that applied) and `RateLimit` (the tightest); over a limit: 429 `RATE_LIMITED` with
//! `Retry-After`.
//!
//! The counters live in this process (GCRA, `governor`: no database write per request) when
//! one process owns the database, or in the database when several share it
//! (`HD_RATE_LIMIT_STORE`). Either way a quota of `q` per minute lets `q` requests through at
//! once and then one every `60/q` seconds.

use crate::{client_addr, error::ApiError, state::AppState};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, ErrorCode, caller::Caller, rate_limit};
use governor::clock::Clock;
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

type Keyed = governor::RateLimiter<
    String,
    governor::state::keyed::DefaultKeyedStateStore<String>,
    governor::clock::DefaultClock,
    governor::middleware::StateInformationMiddleware,
>;

/// Where the counters live (`HD_RATE_LIMIT_STORE`).
#[derive(Clone)]
pub enum Counters {
    Database,
    Memory(Arc<InProcess>),
    /// The database's fixed windows, kept in Redis under a prefix: one script call per request.
    Redis {
        connection: redis::aio::ConnectionManager,
        prefix: Arc<str>,
    },
}

/// Counts one request in `KEYS[1]`'s window of `ARGV[1]` seconds, opened by its first request.
const REDIS_WINDOW: &str = r"
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
";

static WINDOW_SCRIPT: std::sync::LazyLock<redis::Script> =
    std::sync::LazyLock::new(|| redis::Script::new(REDIS_WINDOW));

/// One GCRA limiter per policy, keyed by bucket.
#[derive(Default)]
pub struct InProcess {
    limiters: Mutex<HashMap<&'static str, Arc<Keyed>>>,
    hits: AtomicU64,
}

/// Every this many requests, buckets that are full again are forgotten.
const FORGET_EVERY: u64 = 4096;

impl Counters {
    /// Connects to Redis when the store is Redis: a server that cannot count refuses to start.
    pub async fn new(store: &crate::config::RateLimitStore) -> Result<Counters, crate::startup::StartupError> {
        use secrecy::ExposeSecret;
        Ok(match store {
            crate::config::RateLimitStore::Memory => Counters::Memory(Arc::default()),
            crate::config::RateLimitStore::Database => Counters::Database,
            crate::config::RateLimitStore::Redis { url, prefix } => {
                let unreachable = |e: redis::RedisError| {
                    crate::startup::StartupError::Config(format!("HD_REDIS_URL: Redis is not reachable: {e}"))
                };
                let client = redis::Client::open(url.expose_secret()).map_err(unreachable)?;
                let config = redis::aio::ConnectionManagerConfig::new()
                    .set_connection_timeout(Some(std::time::Duration::from_secs(2)))
                    .set_response_timeout(Some(std::time::Duration::from_secs(1)));
                Counters::Redis {
                    connection: client.get_connection_manager_with_config(config).await.map_err(unreachable)?,
                    prefix: Arc::from(prefix.as_str()),
                }
            }
        })
    }

    async fn hit(
        &self,
        db: &sea_orm::DatabaseConnection,
        bucket: &str,
        policy: &rate_limit::Policy,
    ) -> Result<rate_limit::Decision, Error> {
        match self {
            Counters::Database => rate_limit::hit(db, bucket, policy, chrono::Utc::now().timestamp()).await,
            Counters::Memory(counters) => Ok(counters.hit(bucket, policy)),
            Counters::Redis { connection, prefix } => {
                let window = policy.window_secs.max(1);
                let (count, ttl): (i64, i64) = WINDOW_SCRIPT
                    .key(format!("{prefix}:rate:{}:{bucket}", policy.name))
                    .arg(window)
                    .invoke_async(&mut connection.clone())
                    .await
                    .map_err(|e| Error::unavailable("Rate limits are unavailable", format!("Redis: {e}")))?;
                let quota = i64::from(policy.quota);
                Ok(rate_limit::Decision {
                    policy: policy.clone(),
                    allowed: count <= quota,
                    remaining: u32::try_from((quota - count).max(0)).unwrap_or(0),
                    reset_secs: ttl.max(0),
                })
            }
        }
    }
}

impl InProcess {
    fn limiter(&self, policy: &rate_limit::Policy) -> Option<Arc<Keyed>> {
        let quota = std::num::NonZeroU32::new(policy.quota)?;
        let period = std::time::Duration::from_secs(u64::try_from(policy.window_secs.max(1)).unwrap_or(60));
        let quota = governor::Quota::with_period(period / quota.get())?.allow_burst(quota);
        let mut limiters = self.limiters.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Some(
            limiters
                .entry(policy.name)
                .or_insert_with(|| Arc::new(governor::RateLimiter::keyed(quota).with_middleware()))
                .clone(),
        )
    }

    fn hit(&self, bucket: &str, policy: &rate_limit::Policy) -> rate_limit::Decision {
        let refused =
            |reset_secs| rate_limit::Decision { policy: policy.clone(), allowed: false, remaining: 0, reset_secs };
        // A quota of 0 lets nothing through, as in the database.
        let Some(limiter) = self.limiter(policy) else { return refused(policy.window_secs) };
        if self.hits.fetch_add(1, Ordering::Relaxed) % FORGET_EVERY == FORGET_EVERY - 1 {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        let per_request = policy.window_secs as f64 / f64::from(policy.quota);
        match limiter.check_key(&bucket.to_owned()) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity().min(policy.quota);
                rate_limit::Decision {
                    policy: policy.clone(),
                    allowed: true,
                    remaining,
                    // Until the bucket is full again.
                    reset_secs: (f64::from(policy.quota - remaining) * per_request).ceil() as i64,
                }
            }
            Err(not_until) => refused(not_until.wait_time_from(limiter.clock().now()).as_secs_f64().ceil() as i64),
        }
    }
}

/// The decisions the layers a response passed through made, innermost last.
#[derive(Clone, Default)]
struct Decisions(Vec<rate_limit::Decision>);

/// Whom a request counts against: its caller's key, or its client address.
fn bucket(request: &Request) -> String {
    match request.extensions().get::<Caller>() {
        Some(caller) => format!("key:{}", caller.rate_limit_key()),
        None => format!("ip:{}", client_addr::get(request)),
    }
}

/// The default policy, on the caller (routes behind authentication) or the client address.
pub async fn general(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let policy =
        rate_limit::Policy { name: "default", quota: state.services.config.rate_limit_per_minute, window_secs: 60 };
    let bucket = bucket(&request);
    enforce(&state, bucket, policy, request, next).await
}

/// The money policy, for the money sub-routers.
pub async fn money(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let policy =
        rate_limit::Policy { name: "money", quota: state.services.config.money_rate_limit_per_minute, window_secs: 60 };
    let bucket = format!("{}:money", bucket(&request));
    enforce(&state, bucket, policy, request, next).await
}

async fn enforce(
    state: &AppState,
    bucket: String,
    policy: rate_limit::Policy,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let decision = match state.rate_limits.hit(&state.services.db, &bucket, &policy).await {
        Ok(d) => d,
        Err(e) => return ApiError(e).into_response(),
    };
    let mut response = if decision.allowed {
        next.run(request).await
    } else {
        let retry = u64::try_from(decision.reset_secs.max(1)).unwrap_or(1);
        ApiError(
            Error::new(
                ErrorCode::RateLimited,
                format!(
                    "Rate limit exceeded: {} requests per {} s ({}); retry in {retry} s",
                    policy.quota, policy.window_secs, policy.name
                ),
            )
            .with_details(json!({ "policy": policy.name, "limit": policy.quota }))
            .with_retry_after(retry),
        )
        .into_response()
    };
    let mut decisions = response.extensions_mut().remove::<Decisions>().unwrap_or_default();
    decisions.0.insert(0, decision);
    let policies: Vec<String> = decisions
        .0
        .iter()
        .map(|d| format!("\"{}\";q={};w={}", d.policy.name, d.policy.quota, d.policy.window_secs))
        .collect();
    // The tightest decision is the one the client must respect.
    if let Some(tightest) = decisions.0.iter().min_by_key(|d| (d.allowed, d.remaining)) {
        let current = format!("\"{}\";r={};t={}", tightest.policy.name, tightest.remaining, tightest.reset_secs.max(0));
        if let Ok(v) = HeaderValue::from_str(&current) {
            response.headers_mut().insert("ratelimit", v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&policies.join(", ")) {
        response.headers_mut().insert("ratelimit-policy", v);
    }
    response.extensions_mut().insert(decisions);
    response
}
