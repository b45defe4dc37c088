//! Rate limits counted in the database, so that every server process on one PostgreSQL shares
//! the same counters. A bucket's window opens at its first request and lasts `window_secs`;
//! one atomic upsert per bucket and request counts and, when the window is over, restarts it.

use crate::Error;
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

/// One limit: at most `quota` requests per `window_secs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub name: &'static str,
    pub quota: u32,
    pub window_secs: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub policy: Policy,
    pub allowed: bool,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset_secs: i64,
}

const UPSERT: &str = "INSERT INTO rate_limit_windows (bucket, window_start, count) VALUES ($1, $2, 1) \
     ON CONFLICT (bucket) DO UPDATE SET \
     count = CASE WHEN rate_limit_windows.window_start + $3 <= excluded.window_start \
             THEN 1 ELSE rate_limit_windows.count + 1 END, \
     window_start = CASE WHEN rate_limit_windows.window_start + $3 <= excluded.window_start \
             THEN excluded.window_start ELSE rate_limit_windows.window_start END \
     RETURNING count, window_start";

/// Counts one request against `bucket` under `policy`.
pub async fn hit(db: &DatabaseConnection, bucket: &str, policy: &Policy, now_secs: i64) -> Result<Decision, Error> {
    let window = policy.window_secs.max(1);
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => UPSERT.to_owned(),
        // SQLite numbers its parameters with ?NNN.
        _ => UPSERT.replace('$', "?"),
    };
    let row = db
        .query_one(Statement::from_sql_and_values(backend, sql, [bucket.into(), now_secs.into(), window.into()]))
        .await?
        .ok_or_else(|| Error::internal("rate limit upsert returned no row"))?;
    let count: i64 = row.try_get("", "count")?;
    let window_start: i64 = row.try_get("", "window_start")?;
    let quota = i64::from(policy.quota);
    Ok(Decision {
        policy: policy.clone(),
        allowed: count <= quota,
        remaining: u32::try_from((quota - count).max(0)).unwrap_or(0),
        reset_secs: (window_start + window - now_secs).max(0),
    })
}

/// Counts one request against `bucket` and refuses it, 429 `RATE_LIMITED` with `Retry-After`
/// and `message`, when the policy's quota is spent.
pub async fn enforce(db: &DatabaseConnection, bucket: &str, policy: &Policy, message: &str) -> Result<(), Error> {
    let decision = hit(db, bucket, policy, crate::time::now().timestamp()).await?;
    if decision.allowed {
        return Ok(());
    }
    Err(Error::new(crate::ErrorCode::RateLimited, message)
        .with_retry_after(u64::try_from(decision.reset_secs.max(1)).unwrap_or(1)))
}

/// Deletes buckets whose window started before `before_secs` (long over).
pub async fn sweep(db: &DatabaseConnection, before_secs: i64) -> Result<u64, Error> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DatabaseBackend::Postgres => "DELETE FROM rate_limit_windows WHERE window_start < $1",
        _ => "DELETE FROM rate_limit_windows WHERE window_start < ?1",
    };
    Ok(db.execute(Statement::from_sql_and_values(backend, sql, [before_secs.into()])).await?.rows_affected())
}
