//! The job runner: retries with backoff, a job that cannot succeed ends `failed` without
//! holding up the others, recurring jobs stay queued once, and two processes never run the
//! same job twice.

use crate::helpers::{TestApp, spawn_app, spawn_app_with, spawn_replica};
use domain::jobs::{self, Job};
use sea_orm::ConnectionTrait;

async fn job_row(app: &TestApp, id: &str) -> (String, i64, Option<String>, i64) {
    let rows = app
        .rows(
            "SELECT status, CAST(attempts AS BIGINT) AS attempts, last_error, run_at FROM jobs WHERE id = ?",
            vec![id.into()],
        )
        .await;
    let row = &rows[0];
    let run_at: chrono::DateTime<chrono::Utc> = row.try_get("", "run_at").unwrap();
    (
        row.try_get("", "status").unwrap(),
        row.try_get("", "attempts").unwrap(),
        row.try_get("", "last_error").unwrap(),
        (run_at - chrono::Utc::now()).num_seconds(),
    )
}

/// A row no version of the code can read stands for any job that keeps failing.
async fn insert_unreadable_job(app: &TestApp, id: &str) {
    let sql = "INSERT INTO jobs (id, kind, payload, unique_key, status, attempts, run_at, locked_until, last_error, \
               created_at, finished_at) VALUES (?, 'gone', ?, NULL, 'pending', 0, ?, NULL, NULL, ?, NULL)";
    let earlier = chrono::Utc::now() - chrono::Duration::seconds(1);
    let payload = serde_json::json!({"kind": "gone"});
    app.execute(sql, vec![id.into(), payload.into(), earlier.into(), earlier.into()]).await;
}

#[tokio::test]
async fn a_failing_job_is_retried_with_backoff_then_failed_and_holds_up_no_other() {
    let app = spawn_app().await;
    insert_unreadable_job(&app, "job_bad").await;
    jobs::enqueue(&app.db, &Job::SignInLinks { email: "nobody@example.com".into() }, chrono::Utc::now()).await.unwrap();
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 2, "the bad job first, then the good one");
    let done = app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM jobs WHERE status = 'done'", vec![]).await;
    assert_eq!(done, 1, "the good job ran although the bad one failed before it");

    let (status, attempts, error, wait) = job_row(&app, "job_bad").await;
    assert_eq!((status.as_str(), attempts), ("pending", 1));
    assert!(error.unwrap().contains("cannot be read"));
    assert!((8..=10).contains(&wait), "the first retry waits 10 s, not {wait}");
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 0, "not before its time");

    let mut waits = vec![wait];
    for _ in 2..=jobs::MAX_ATTEMPTS {
        app.db.execute_unprepared("UPDATE jobs SET run_at = created_at WHERE id = 'job_bad'").await.unwrap();
        assert_eq!(app.workers.drain_jobs().await.unwrap(), 1);
        waits.push(job_row(&app, "job_bad").await.3);
    }
    let (status, attempts, _, _) = job_row(&app, "job_bad").await;
    assert_eq!((status.as_str(), i32::try_from(attempts).unwrap()), ("failed", jobs::MAX_ATTEMPTS));
    assert!(waits.windows(2).take(7).all(|w| w[1] > w[0]), "the waits grow: {waits:?}");
    app.db.execute_unprepared("UPDATE jobs SET run_at = created_at WHERE id = 'job_bad'").await.unwrap();
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 0, "a failed job is not run again");
}

#[tokio::test]
async fn recurring_jobs_are_queued_once_come_back_after_running_and_are_due_when_a_process_starts() {
    let app = spawn_app().await;
    jobs::schedule_recurring(&app.db).await.unwrap();
    jobs::schedule_recurring(&app.db).await.unwrap();
    let count = app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM jobs", vec![]).await;
    assert_eq!(count, 3, "one row per recurring kind, however many processes start");
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 3);
    let rows = app.rows("SELECT kind, status, run_at FROM jobs ORDER BY kind", vec![]).await;
    for row in &rows {
        let kind: String = row.try_get("", "kind").unwrap();
        let status: String = row.try_get("", "status").unwrap();
        let run_at: chrono::DateTime<chrono::Utc> = row.try_get("", "run_at").unwrap();
        let wait = (run_at - chrono::Utc::now()).num_seconds();
        assert_eq!(status, "pending", "{kind} stays queued");
        let every = if kind == "sweep" { 300 } else { 60 };
        assert!((every - 5..=every).contains(&wait), "{kind} comes back in {every} s, not {wait}");
    }
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 0);
    jobs::schedule_recurring(&app.db).await.unwrap();
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 3, "a starting process runs them at once");
}

#[tokio::test]
async fn two_processes_draining_one_queue_run_each_job_once() {
    let first = spawn_app_with(&[]).await;
    if first.backend != "postgres" {
        // On SQLite one process does this work; the PostgreSQL suite runs this test.
        return;
    }
    let second = spawn_replica(&first, &[]).await;
    for round in 0..3 {
        for i in 0..40 {
            let email = format!("nobody-{round}-{i}@example.com");
            jobs::enqueue(&first.db, &Job::SignInLinks { email }, chrono::Utc::now()).await.unwrap();
        }
        let (a, b) = tokio::join!(first.workers.drain_jobs(), second.workers.drain_jobs());
        assert_eq!(a.unwrap() + b.unwrap(), 40, "round {round}");
    }
    let once =
        first.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM jobs WHERE status = 'done' AND attempts = 1", vec![]).await;
    assert_eq!(once, 120, "every job ran once");
}

/// Finished jobs do not pile up: the sweep deletes those finished more than a week ago, and
/// leaves the recent ones (an operator reads why one failed) and every pending one.
#[tokio::test]
async fn the_sweep_deletes_jobs_finished_a_week_ago_and_nothing_pending() {
    let app = spawn_app().await;
    for email in ["old@example.com", "recent@example.com"] {
        jobs::enqueue(&app.db, &Job::SignInLinks { email: email.into() }, chrono::Utc::now()).await.unwrap();
    }
    let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
    jobs::enqueue(&app.db, &Job::SignInLinks { email: "later@example.com".into() }, tomorrow).await.unwrap();
    insert_unreadable_job(&app, "job_failing").await;
    assert_eq!(app.workers.drain_jobs().await.unwrap(), 3, "all but tomorrow's");
    let old = chrono::Utc::now() - chrono::Duration::days(jobs::KEEP_FINISHED_DAYS + 1);
    let sql = "UPDATE jobs SET finished_at = ? WHERE CAST(payload AS TEXT) LIKE '%old@%'";
    app.execute(sql, vec![old.into()]).await;

    assert_eq!(jobs::sweep(&app.db).await.unwrap(), 1, "only the job finished a week ago");
    let left = app.rows("SELECT id, status FROM jobs ORDER BY id", vec![]).await;
    let left: Vec<(String, String)> =
        left.iter().map(|r| (r.try_get("", "id").unwrap(), r.try_get("", "status").unwrap())).collect();
    assert_eq!(left.len(), 3, "{left:?}");
    assert!(left.iter().any(|(id, status)| id == "job_failing" && status == "pending"), "{left:?}");
    assert_eq!(left.iter().filter(|(_, status)| status == "pending").count(), 2, "tomorrow's stays: {left:?}");
    assert_eq!(left.iter().filter(|(_, status)| status == "done").count(), 1, "the recent one stays: {left:?}");
}
