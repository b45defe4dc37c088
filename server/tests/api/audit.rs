//! `/v1/audit`: every mutation leaves a row, scoped to its principal.

use crate::helpers::{assert_error, json, seed_task, spawn_app};

#[tokio::test]
async fn mutations_are_audited_with_actor_and_request_id() {
    let app = spawn_app().await;
    let (principal, key) = app.signup("Audited").await;
    let response = app
        .client
        .post(app.url("/v1/tasks"))
        .bearer_auth(&key)
        .header("x-request-id", "agent-req-77")
        .json(&seed_task(10))
        .send()
        .await
        .unwrap();
    let task = json(response).await;
    let task_id = task["id"].as_str().unwrap();

    let log = json(app.get_as(&key, &format!("/v1/audit?entity_type=task&entity_id={task_id}")).await).await;
    let entries = log["data"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    let entry = &entries[0];
    assert_eq!(entry["action"], "task.created");
    assert_eq!(entry["actor_type"], "api_key");
    assert!(entry["actor_id"].as_str().unwrap().starts_with("key_"));
    assert_eq!(entry["request_id"], "agent-req-77");
    assert_eq!(entry["summary"]["budget"]["max_total"], 300);

    // Sign-up and its key are in the log too, newest first.
    let all = json(app.get_as(&key, "/v1/audit").await).await;
    let actions: Vec<&str> = all["data"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, vec!["task.created", "api_key.created", "principal.created"]);
    assert_eq!(all["data"][2]["entity_id"], principal.as_str());

    let page = json(app.get_as(&key, "/v1/audit?limit=2").await).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 2);
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest = json(app.get_as(&key, &format!("/v1/audit?limit=2&cursor={cursor}")).await).await;
    assert_eq!(rest["data"][0]["action"], "principal.created");
}

#[tokio::test]
async fn the_audit_log_is_per_principal() {
    let app = spawn_app().await;
    let (_, alice) = app.signup("Alice").await;
    let (_, bob) = app.signup("Bob").await;
    app.create_task(&alice, &seed_task(10)).await;
    let bobs = json(app.get_as(&bob, "/v1/audit?entity_type=task").await).await;
    assert!(bobs["data"].as_array().unwrap().is_empty());
    assert_error(app.get_as(&bob, "/v1/audit?limit=500").await, 400, "SCHEMA_VALIDATION_FAILED").await;
}

/// A change that emits an event writes its audit row with it: the row names the event, so the
/// log and the stream of one change can be put side by side (a task's timeline).
#[tokio::test]
async fn an_audited_change_names_the_event_it_emitted() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Timeline").await;
    let task = app.create_task(&key, &seed_task(10)).await;
    let task_id = task["id"].as_str().unwrap();
    let log = json(app.get_as(&key, &format!("/v1/audit?entity_type=task&entity_id={task_id}")).await).await;
    let event_id = log["data"][0]["summary"]["event_id"].as_str().expect("the event's id in the audit row").to_owned();
    let events = json(app.get_as(&key, "/v1/events").await).await;
    let event = events["data"].as_array().unwrap().iter().find(|e| e["id"] == event_id.as_str()).expect("that event");
    assert_eq!(event["type"], "task.created");
    assert_eq!(event["data"]["task"]["id"], task_id);
}
