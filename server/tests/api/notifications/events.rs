//! The outbox: events in commit order for pollers, and nothing for a change that rolled back.

use crate::helpers::{json, seed_task, spawn_app_with};
use crate::money::{NO_LIMITS, dispute_body, evaluated_job, photos};
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
    let event = domain::events::DisputeOpened {
        dispute_id: "dsp_rolled_back".into(),
        work_order_id: "wo_rolled_back".into(),
        opened_by: domain::events::Party::Principal,
        reason: "never happened".into(),
    };
    domain::events::emit(&txn, &principal, domain::events::DomainEvent::DisputeOpened(event)).await.unwrap();
    txn.rollback().await.unwrap();
    // And through the API: an invalid task is refused whole.
    let mut bad = seed_task(10);
    bad["budget"]["max_total"] = json!(1);
    assert_eq!(app.post_as(&key, "/v1/tasks", &bad).await.status(), 400);

    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 0);
    assert!(receiver.received().is_empty());
    assert!(json(app.get_as(&key, "/v1/events").await).await["data"].as_array().unwrap().is_empty());
}

/// Every event a job's lifecycle emits has the payload `/openapi.json` documents for its type
/// under `webhooks`: a receiver generated from the document can read them.
#[tokio::test]
async fn every_event_matches_the_payload_the_document_gives_its_type() {
    let app = spawn_app_with(&NO_LIMITS).await;
    let document = json(app.get("/openapi.json").await).await;
    let all = photos();
    let (accepted, _, wo) = evaluated_job(&app, &all).await;
    let r = app.post_as(&accepted.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let (disputed, _, wo) = evaluated_job(&app, &all).await;
    let r = app.post_as(&disputed.key, &format!("/v1/work_orders/{wo}/disputes"), &dispute_body()).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    let (changed, _, wo) = evaluated_job(&app, &all).await;
    let body = json!({"reason": "Reshoot\r\nAmount: $1", "checks": ["min_resolution"]});
    let r = app.post_as(&changed.key, &format!("/v1/work_orders/{wo}/request_changes"), &body).await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());

    let mut seen = std::collections::BTreeSet::new();
    for key in [&accepted.key, &disputed.key, &changed.key] {
        let events = json(app.get_as(key, "/v1/events?limit=100").await).await;
        for event in events["data"].as_array().unwrap() {
            let kind = event["type"].as_str().unwrap();
            let pointer = format!("#/webhooks/{kind}/post/requestBody/content/application~1json/schema");
            let mut schema = document.clone();
            schema["$ref"] = json!(pointer);
            let validator = jsonschema::draft202012::options()
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{kind}: the document has no usable schema: {e}"));
            let errors: Vec<String> =
                validator.iter_errors(event).map(|e| format!("{}: {e}", e.instance_path())).collect();
            assert!(errors.is_empty(), "{kind} does not match its documented payload: {errors:?}\n{event}");
            seen.insert(kind.to_owned());
        }
    }
    let expected = [
        "booking.checkin_recorded",
        "booking.confirmed",
        "deliverable.registered",
        "dispute.opened",
        "payout.initiated",
        "qa.completed",
        "quote.received",
        "quote.requested",
        "task.created",
        "work_order.accepted",
        "work_order.changes_requested",
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), expected);
}
