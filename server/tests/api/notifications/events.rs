//! The outbox: events in commit order for pollers, and nothing for a change that rolled back.

use crate::helpers::{json, seed_task, spawn_app_with};
use crate::receivers::Receiver;
use sea_orm::TransactionTrait;
use serde_json::json;

#[tokio::test]
async fn pollers_read_events_in_order_after_the_last_one_they_saw() {
    let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "1000")]).await;
    let (_, key) = app.signup("Poller").await;
    let mut tasks = Vec::new();
    for i in 0..5 {
        tasks.push(app.create_task(&key, &seed_task(10 + i)).await["id"].as_str().unwrap().to_owned());
    }
    let first = json(app.get_as(&key, "/v1/events?limit=2").await).await;
    assert_eq!(first["has_more"], true);
    let seen: Vec<String> = first["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["data"]["task"]["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, tasks[..2]);
    let last = first["data"][1]["id"].as_str().unwrap();
    let rest = json(app.get_as(&key, &format!("/v1/events?after={last}")).await).await;
    let seen: Vec<String> =
        rest["data"].as_array().unwrap().iter().map(|e| e["data"]["task"]["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen, tasks[2..]);
    assert_eq!(rest["has_more"], false);
    assert_eq!(rest["data"][0]["type"], "task.created");

    // Another principal sees none of them, and cannot use their ids.
    let (_, other) = app.signup("Other").await;
    assert!(json(app.get_as(&other, "/v1/events").await).await["data"].as_array().unwrap().is_empty());
    assert_eq!(app.get_as(&other, &format!("/v1/events?after={last}")).await.status(), 400);
}

#[tokio::test]
async fn a_change_that_rolls_back_emits_nothing() {
    let app = spawn_app_with(&[("HD_WEBHOOKS_ALLOW_PRIVATE", "true")]).await;
    let receiver = Receiver::start().await;
    let (principal, key) = app.signup("Careful").await;
    app.post_as(&key, "/v1/webhooks", &json!({"url": receiver.url, "events": ["*"]})).await;

    // An event written in a transaction that then fails.
    let txn = app.db.begin().await.unwrap();
    domain::events::record(
        &txn,
        &principal,
        domain::events::EventType::TaskCreated,
        "task",
        "task_rolled_back",
        json!({}),
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    // And through the API: an invalid task is refused whole.
    let mut bad = seed_task(10);
    bad["budget"]["max_total"] = json!(1);
    assert_eq!(app.post_as(&key, "/v1/tasks", &bad).await.status(), 400);

    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 0);
    assert!(receiver.received().is_empty());
    assert!(json(app.get_as(&key, "/v1/events").await).await["data"].as_array().unwrap().is_empty());
}
