use crate::helpers::spawn_app;
use migrations::{Migrator, MigratorTrait};

/// Every migration can be undone and redone on both databases, so a bad deploy can roll back.
#[tokio::test]
async fn migrations_run_down_and_up_again() {
    let app = spawn_app().await;
    let applied = Migrator::get_applied_migrations(&app.db).await.unwrap().len();
    assert_eq!(applied, Migrator::migrations().len());
    Migrator::down(&app.db, None).await.unwrap();
    assert!(Migrator::get_applied_migrations(&app.db).await.unwrap().is_empty());
    Migrator::up(&app.db, None).await.unwrap();
    assert_eq!(Migrator::get_applied_migrations(&app.db).await.unwrap().len(), applied);
    assert_eq!(app.get("/healthz").await.status(), 200);
}

/// The upgrade that made webhook deliveries, emails and QA runs jobs queues what was waiting
/// when it ran: nothing the workers of the version before would have sent is lost.
#[tokio::test]
async fn the_upgrade_to_job_queues_keeps_what_was_waiting() {
    let app = crate::helpers::spawn_app_with(&[("HD_WEBHOOKS_ALLOW_PRIVATE", "true")]).await;
    let receiver = crate::receivers::Receiver::start().await;
    let (s, wo) = crate::money::delivered_job(&app, &crate::delivery::good_photos()).await;
    let r = app.post_as(&s.key, "/v1/webhooks", &serde_json::json!({"url": receiver.url, "events": ["*"]})).await;
    assert_eq!(r.status(), 201);
    app.create_task(&s.key, &crate::helpers::seed_task(10)).await;
    // Reading the stream places the events, which queues their deliveries and emails.
    assert_eq!(app.get_as(&s.key, "/v1/events").await.status(), 200);
    let count = |sql: &'static str| app.scalar(sql, vec![]);
    let deliveries = count("SELECT CAST(COUNT(*) AS BIGINT) FROM webhook_deliveries WHERE status = 'pending'").await;
    let emails = count("SELECT CAST(COUNT(*) AS BIGINT) FROM email_outbox WHERE status = 'pending'").await;
    assert!(deliveries > 0 && emails > 0, "{deliveries} deliveries, {emails} emails");

    // Back to the version before: its workers read the delivery log, the outbox and the
    // work orders themselves, and the jobs of these kinds do not exist.
    let all = Migrator::migrations();
    let queues = all.iter().position(|m| m.name() == "m20261202_000011_job_queues").unwrap();
    Migrator::down(&app.db, Some(u32::try_from(all.len() - queues).unwrap())).await.unwrap();
    assert_eq!(Migrator::get_applied_migrations(&app.db).await.unwrap().len(), queues);
    let jobs = "SELECT CAST(COUNT(*) AS BIGINT) FROM jobs WHERE kind IN ('deliver_webhook', 'send_email', 'evaluate_delivery')";
    assert_eq!(count(jobs).await, 0);
    Migrator::up(&app.db, None).await.unwrap();

    assert_eq!(app.workers.drain_webhooks().await.unwrap(), usize::try_from(deliveries).unwrap());
    assert_eq!(receiver.received().len(), usize::try_from(deliveries).unwrap());
    assert_eq!(app.workers.drain_mail().await.unwrap(), usize::try_from(emails).unwrap());
    assert_eq!(count("SELECT CAST(COUNT(*) AS BIGINT) FROM email_outbox WHERE status = 'pending'").await, 0);
    assert!(app.workers.run_one_qa().await.unwrap(), "the delivery waiting for QA is evaluated");
    let order = crate::helpers::json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    assert_eq!(order["status"], "qa_passed");
}
