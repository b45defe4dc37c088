use super::Job;
use crate::entities::jobs;
use crate::status::{JobAction, JobStatus};
use crate::transition::transition;
use crate::{Error, Services, ids};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType, OnConflict, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};

/// A claimed job is reserved this long for its runner; past it (the process died) another
/// process may take it.
const LEASE_SECS: i64 = 300;
/// Attempts before a one-off job is given up as `failed` (a recurring one keeps coming back).
pub const MAX_ATTEMPTS: i32 = 10;

/// The wait after the `attempts`-th failed attempt: 10 s, doubling, at most an hour.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    Duration::seconds((10_i64 << exponent).min(3600))
}

fn row(job: &Job, run_at: DateTime<Utc>, unique_key: Option<String>) -> Result<jobs::ActiveModel, Error> {
    Ok(jobs::ActiveModel {
        id: Set(ids::new_id("job")),
        kind: Set(job.kind().to_owned()),
        payload: Set(serde_json::to_value(job).map_err(Error::internal)?),
        unique_key: Set(unique_key),
        status: Set(JobStatus::Pending),
        attempts: Set(0),
        run_at: Set(run_at),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(crate::time::now()),
        finished_at: Set(None),
    })
}

/// Queues `job` to run at `run_at`, on `conn`: in a transaction, the job exists only if the
/// transaction commits.
pub async fn enqueue(conn: &impl ConnectionTrait, job: &Job, run_at: DateTime<Utc>) -> Result<(), Error> {
    jobs::Entity::insert(row(job, run_at, None)?).exec_without_returning(conn).await?;
    Ok(())
}

/// Makes sure every recurring job is queued once (several processes may start at once: the
/// unique key keeps one row per kind) and due now: a process that starts runs them at once,
/// which is when a dead process' interrupted gateway calls want reconciling. A job another
/// process holds keeps its lease.
pub async fn schedule_recurring(conn: &impl ConnectionTrait) -> Result<(), Error> {
    let now = crate::time::now();
    for job in &Job::RECURRING {
        jobs::Entity::update_many()
            .col_expr(jobs::Column::RunAt, Expr::value(now))
            .filter(jobs::Column::UniqueKey.eq(job.kind()))
            .filter(jobs::Column::Status.eq(JobStatus::Pending))
            .filter(jobs::Column::RunAt.gt(now))
            .exec(conn)
            .await?;
        jobs::Entity::insert(row(job, crate::time::now(), Some(job.kind().to_owned()))?)
            .on_conflict(OnConflict::column(jobs::Column::UniqueKey).do_nothing().to_owned())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Claims the next due job, if any: moves its lease forward and counts the attempt. The update
/// is filtered on what the select saw, so of two processes that picked the same row only one
/// gets it; the other looks again.
async fn claim(svc: &Services) -> Result<Option<jobs::Model>, Error> {
    loop {
        let now = crate::time::now();
        let due = || {
            Expr::col(jobs::Column::Status)
                .eq(JobStatus::Pending)
                .and(Expr::col(jobs::Column::RunAt).lte(now))
                .and(Expr::col(jobs::Column::LockedUntil).is_null().or(Expr::col(jobs::Column::LockedUntil).lte(now)))
        };
        let txn = svc.db.begin().await?;
        let mut select = Query::select();
        select
            .column(jobs::Column::Id)
            .from(jobs::Entity)
            .cond_where(due())
            .order_by(jobs::Column::RunAt, sea_orm::sea_query::Order::Asc)
            .limit(1)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        let backend = txn.get_database_backend();
        let Some(found) = txn.query_one(backend.build(&select)).await? else {
            txn.commit().await?;
            return Ok(None);
        };
        let id: String = found.try_get_by_index(0)?;
        let claimed = jobs::Entity::update_many()
            .col_expr(jobs::Column::LockedUntil, Expr::value(Some(now + Duration::seconds(LEASE_SECS))))
            .col_expr(jobs::Column::Attempts, Expr::col(jobs::Column::Attempts).add(1))
            .filter(jobs::Column::Id.eq(&id))
            .filter(due())
            .exec(&txn)
            .await?;
        txn.commit().await?;
        if claimed.rows_affected == 1 {
            return Ok(jobs::Entity::find_by_id(id).one(&svc.db).await?);
        }
    }
}

/// Runs the next due job, if any; returns whether there was one, so a worker (or a test) can
/// drain the queue deterministically. A job that fails is tried again later; the error is kept
/// on its row, not returned, so one bad job does not stop the others.
pub async fn run_next(svc: &Services) -> Result<bool, Error> {
    let Some(claimed) = claim(svc).await? else { return Ok(false) };
    let job = serde_json::from_value::<Job>(claimed.payload.clone())
        .map_err(|e| Error::internal(format!("job {} ({}) cannot be read: {e}", claimed.id, claimed.kind)));
    // The row keeps the cause too: an operator reads it, no caller does.
    let describe = |e: Error| match &e.cause {
        Some(cause) => format!("{e} ({cause})"),
        None => e.to_string(),
    };
    let outcome = match job.clone() {
        Ok(job) => job.run(svc).await.map_err(describe),
        Err(e) => Err(describe(e)),
    };
    let now = crate::time::now();
    let every = job.as_ref().ok().and_then(Job::every);
    // Recorded only while the claim is still ours: a run that outlived its lease was claimed
    // again (which counted another attempt), and that run records its own outcome.
    let ours = jobs::Column::Attempts.eq(claimed.attempts);
    let update = || {
        jobs::Entity::update_many()
            .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(jobs::Column::Id.eq(&claimed.id))
            .filter(jobs::Column::Status.eq(JobStatus::Pending))
            .filter(ours.clone())
    };
    let reclaimed = |moved: Result<JobStatus, Error>| match moved {
        Err(e) if e.code == crate::ErrorCode::PolicyBlocked => Ok(()),
        other => other.map(drop),
    };
    match (outcome, every) {
        (Ok(()), Some(every)) => {
            update()
                .col_expr(jobs::Column::RunAt, Expr::value(now + every))
                .col_expr(jobs::Column::Attempts, Expr::value(0))
                .col_expr(jobs::Column::LastError, Expr::value(Option::<String>::None))
                .exec(&svc.db)
                .await?;
        }
        (Ok(()), None) => {
            let moved = transition::<jobs::Entity>(&svc.db, &claimed.id, JobStatus::Pending, JobAction::Finish, |u| {
                u.col_expr(jobs::Column::FinishedAt, Expr::value(Some(now)))
                    .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                    .filter(ours.clone())
            })
            .await;
            reclaimed(moved)?;
        }
        (Err(error), every) => {
            tracing::warn!(job = %claimed.id, kind = %claimed.kind, attempt = claimed.attempts, "job failed: {error}");
            if every.is_none() && claimed.attempts >= MAX_ATTEMPTS {
                let moved =
                    transition::<jobs::Entity>(&svc.db, &claimed.id, JobStatus::Pending, JobAction::Fail, |u| {
                        u.col_expr(jobs::Column::FinishedAt, Expr::value(Some(now)))
                            .col_expr(jobs::Column::LastError, Expr::value(Some(error)))
                            .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
                            .filter(ours.clone())
                    })
                    .await;
                reclaimed(moved)?;
            } else {
                update()
                    .col_expr(jobs::Column::RunAt, Expr::value(now + backoff(claimed.attempts)))
                    .col_expr(jobs::Column::LastError, Expr::value(Some(error)))
                    .exec(&svc.db)
                    .await?;
            }
        }
    }
    Ok(true)
}

/// Runs every due job, one after another; returns how many ran.
pub async fn drain(svc: &Services) -> Result<usize, Error> {
    let mut ran = 0;
    while run_next(svc).await? {
        ran += 1;
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_from_ten_seconds_up_to_an_hour() {
        let waits: Vec<i64> = (1..=11).map(|n| backoff(n).num_seconds()).collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600]);
    }

    #[test]
    fn a_job_is_stored_by_kind_and_read_back() {
        let job = Job::SignInLinks { email: "a@example.com".into() };
        let value = serde_json::to_value(&job).unwrap();
        assert_eq!(value, serde_json::json!({"kind": "sign_in_links", "email": "a@example.com"}));
        assert_eq!(serde_json::from_value::<Job>(value).unwrap(), job);
        for job in &Job::RECURRING {
            assert_eq!(serde_json::to_value(job).unwrap()["kind"], job.kind());
            assert!(job.every().is_some());
        }
    }
}
