//! `Idempotency-Key` on `/v1` POSTs.

use crate::helpers::{assert_error, json, seed_task, spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn the_same_key_and_body_replay_the_first_response() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Retrier").await;
    let post = |body: serde_json::Value, idem: &'static str| {
        app.client.post(app.url("/v1/tasks")).bearer_auth(&key).header("idempotency-key", idem).json(&body).send()
    };
    let body = seed_task(10);
    let first = post(body.clone(), "order-1").await.unwrap();
    assert_eq!(first.status(), 201);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = first.text().await.unwrap();

    // Same body spelled differently: key order does not matter.
    let reordered: serde_json::Value = serde_json::from_str(&serde_json::to_string(&body).unwrap()).unwrap();
    let second = post(reordered, "order-1").await.unwrap();
    assert_eq!(second.status(), 201);
    assert_eq!(second.headers()["idempotent-replayed"], "true");
    assert_eq!(second.text().await.unwrap(), first);
    assert_eq!(json(app.get_as(&key, "/v1/tasks").await).await["data"].as_array().unwrap().len(), 1);

    // Same key, other body.
    let mut other = body.clone();
    other["title"] = json!("Another shoot");
    let body = assert_error(post(other, "order-1").await.unwrap(), 409, "CONFLICT_IDEMPOTENCY").await;
    assert_eq!(body["error"]["details"]["idempotency_key"], "order-1");
}

#[tokio::test]
async fn errors_are_replayed_too_and_keys_are_per_principal() {
    let app = spawn_app().await;
    let (_, alice) = app.signup("Alice").await;
    let (_, bob) = app.signup("Bob").await;
    let mut bad = seed_task(10);
    bad["budget"]["max_total"] = json!(1);
    let send = |key: &str, body: &serde_json::Value| {
        app.client.post(app.url("/v1/tasks")).bearer_auth(key).header("idempotency-key", "k-1").json(body).send()
    };
    let first = assert_error(send(&alice, &bad).await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED").await;
    let again = send(&alice, &bad).await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(json(again).await, first, "the stored body, request id included");

    // Bob's "k-1" is his own.
    assert_eq!(send(&bob, &seed_task(10)).await.unwrap().status(), 201);
}

#[tokio::test]
async fn bad_keys_are_refused() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Alice").await;
    for bad in ["has space", &"k".repeat(256)] {
        let response = app
            .client
            .post(app.url("/v1/tasks"))
            .bearer_auth(&key)
            .header("idempotency-key", bad)
            .json(&seed_task(10))
            .send()
            .await
            .unwrap();
        assert_error(response, 400, "SCHEMA_VALIDATION_FAILED").await;
    }
}

#[tokio::test]
async fn fifty_parallel_posts_with_one_key_create_exactly_one_task() {
    let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "1000")]).await;
    let (_, key) = app.signup("Burst").await;
    let body = seed_task(10);
    let requests = (0..50).map(|_| {
        app.client.post(app.url("/v1/tasks")).bearer_auth(&key).header("idempotency-key", "burst-1").json(&body).send()
    });
    let responses = futures::future::join_all(requests).await;
    let mut created_ids = std::collections::HashSet::new();
    let (mut ok, mut in_flight) = (0, 0);
    for response in responses {
        let response = response.unwrap();
        match response.status().as_u16() {
            201 => {
                ok += 1;
                created_ids.insert(json(response).await["id"].as_str().unwrap().to_owned());
            }
            409 => {
                assert!(response.headers().get("retry-after").is_some());
                let body = assert_error(response, 409, "CONFLICT_IDEMPOTENCY").await;
                assert_eq!(body["error"]["details"]["current_status"], "in_progress");
                in_flight += 1;
            }
            other => panic!("unexpected status {other}"),
        }
    }
    assert_eq!(ok + in_flight, 50);
    assert!(ok >= 1);
    assert_eq!(created_ids.len(), 1, "every 201 carries the same task");
    let listed = json(app.get_as(&key, "/v1/tasks").await).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1, "exactly one task exists");
}
