use super::{Job, Next, Queue};
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

fn row(job: &Job, run_at: DateTime<Utc>) -> Result<jobs::ActiveModel, Error> {
    Ok(jobs::ActiveModel {
        id: Set(ids::new_id("job")),
        kind: Set(job.kind().to_owned()),
        payload: Set(serde_json::to_value(job).map_err(Error::internal)?),
        unique_key: Set(job.unique_key()),
        status: Set(JobStatus::Pending),
        attempts: Set(0),
        run_at: Set(run_at),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(crate::time::now()),
        finished_at: Set(None),
        queue: Set(job.queue().as_str().to_owned()),
        tenant: Set(job.tenant().map(str::to_owned)),
    })
}

/// Queues `job` to run at `run_at`, on `conn`: in a transaction, the job exists only if the
/// transaction commits. A job with a unique key that is already queued is made due at
/// `run_at` instead (one under way finishes its run first); one that finished is queued again.
pub async fn enqueue(conn: &impl ConnectionTrait, job: &Job, run_at: DateTime<Utc>) -> Result<(), Error> {
    let Some(key) = job.unique_key() else {
        jobs::Entity::insert(row(job, run_at)?).exec_without_returning(conn).await?;
        return Ok(());
    };
    match jobs::Entity::find().filter(jobs::Column::UniqueKey.eq(&key)).one(conn).await? {
        None => {
            jobs::Entity::insert(row(job, run_at)?).exec_without_returning(conn).await?;
        }
        Some(existing) if existing.status == JobStatus::Pending => {
            jobs::Entity::update_many()
                .col_expr(jobs::Column::RunAt, Expr::value(run_at))
                .filter(jobs::Column::Id.eq(&existing.id))
                .exec(conn)
                .await?;
        }
        Some(existing) => {
            transition::<jobs::Entity>(conn, &existing.id, existing.status, JobAction::Requeue, |u| {
                u.col_expr(jobs::Column::RunAt, Expr::value(run_at))
                    .col_expr(jobs::Column::Attempts, Expr::value(0))
                    .col_expr(jobs::Column::LastError, Expr::value(Option::<String>::None))
                    .col_expr(jobs::Column::FinishedAt, Expr::value(Option::<DateTime<Utc>>::None))
            })
            .await?;
        }
    }
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
        jobs::Entity::insert(row(job, crate::time::now())?)
            .on_conflict(OnConflict::column(jobs::Column::UniqueKey).do_nothing().to_owned())
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// A job this process holds until it records how the run went.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub row: jobs::Model,
}

impl Claimed {
    pub fn tenant(&self) -> Option<&str> {
        self.row.tenant.as_deref()
    }
}

/// Claims the next due job of `queue`, if any, skipping the jobs of the tenants in `busy` (a
/// worker keeps only a few of one tenant in flight, so one tenant's slow receivers cannot hold
/// every slot while another's wait): moves its lease forward and counts the attempt. The
/// update is filtered on what the select saw, so of two processes that picked the same row
/// only one gets it; the other looks again.
pub async fn claim(svc: &Services, queue: Queue, busy: &[String]) -> Result<Option<Claimed>, Error> {
    loop {
        let now = crate::time::now();
        let due = || {
            Expr::col(jobs::Column::Queue)
                .eq(queue.as_str())
                .and(Expr::col(jobs::Column::Status).eq(JobStatus::Pending))
                .and(Expr::col(jobs::Column::RunAt).lte(now))
                .and(Expr::col(jobs::Column::LockedUntil).is_null().or(Expr::col(jobs::Column::LockedUntil).lte(now)))
        };
        let txn = svc.db.begin().await?;
        let mut select = Query::select();
        select
            .column(jobs::Column::Id)
            .from(jobs::Entity)
            .cond_where(due())
            .and_where_option((!busy.is_empty()).then(|| {
                Expr::col(jobs::Column::Tenant)
                    .is_null()
                    .or(Expr::col(jobs::Column::Tenant).is_not_in(busy.iter().cloned()))
            }))
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
        if claimed.rows_affected == 1
            && let Some(row) = jobs::Entity::find_by_id(id).one(&svc.db).await?
        {
            return Ok(Some(Claimed { row }));
        }
    }
}

/// Runs the next due job of `queue`, if any; returns whether there was one, so a worker (or a
/// test) can drain the queue deterministically.
pub async fn run_next(svc: &Services, queue: Queue) -> Result<bool, Error> {
    let Some(claimed) = claim(svc, queue, &[]).await? else { return Ok(false) };
    run(svc, &claimed).await?;
    Ok(true)
}

/// Runs a claimed job and records the outcome. A job that fails is tried again later; the
/// error is kept on its row, not returned, so one bad job does not stop the others.
pub async fn run(svc: &Services, claimed: &Claimed) -> Result<(), Error> {
    let claimed = &claimed.row;
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
    let again = |at: DateTime<Utc>| {
        update()
            .col_expr(jobs::Column::RunAt, Expr::value(at))
            .col_expr(jobs::Column::Attempts, Expr::value(0))
            .col_expr(jobs::Column::LastError, Expr::value(Option::<String>::None))
    };
    match (outcome, every) {
        (Ok(Next::Done), Some(every)) => {
            again(now + every).exec(&svc.db).await?;
        }
        (Ok(Next::At(at)), _) => {
            again(at).exec(&svc.db).await?;
        }
        (Ok(Next::Done), None) => {
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
    Ok(())
}

/// How long a finished job is kept (an operator reads why one failed) before the sweep.
pub const KEEP_FINISHED_DAYS: i64 = 7;

/// Deletes jobs that finished (done or failed) more than `KEEP_FINISHED_DAYS` ago; a pending
/// one, recurring or waiting to be retried, is never touched. A delivery whose job is gone
/// that is redelivered gets a new one.
pub async fn sweep(conn: &impl ConnectionTrait) -> Result<u64, Error> {
    let before = crate::time::now() - Duration::days(KEEP_FINISHED_DAYS);
    Ok(jobs::Entity::delete_many()
        .filter(jobs::Column::Status.is_in([JobStatus::Done, JobStatus::Failed]))
        .filter(jobs::Column::FinishedAt.lte(before))
        .exec(conn)
        .await?
        .rows_affected)
}

/// Runs every due job of `queue`, one after another; returns how many ran.
pub async fn drain(svc: &Services, queue: Queue) -> Result<usize, Error> {
    let mut ran = 0;
    while run_next(svc, queue).await? {
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
            assert_eq!(job.unique_key().as_deref(), Some(job.kind()), "one row per recurring job");
        }
    }
}
