//! Signed webhooks, delivered at least once to a real HTTP receiver.

use crate::helpers::{TestApp, assert_error, json, seed_task, spawn_app, spawn_app_with, spawn_process, spawn_replica};
use crate::marketplace::scene;
use crate::receivers::Receiver;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::collections::HashSet;

const ALLOW_PRIVATE: (&str, &str) = ("HD_WEBHOOKS_ALLOW_PRIVATE", "true");

async fn register(app: &TestApp, key: &str, url: &str, events: Value) -> Value {
    let r = app.post_as(key, "/v1/webhooks", &json!({"url": url, "events": events})).await;
    let status = r.status();
    let body = json(r).await;
    assert_eq!(status, 201, "{body}");
    body
}

/// Makes every waiting delivery due now, as if its wait had passed.
async fn time_passes(app: &TestApp) {
    let sql = "UPDATE jobs SET run_at = created_at WHERE queue = 'webhooks' AND status = 'pending'";
    sea_orm::ConnectionTrait::execute_unprepared(&app.db, sql).await.unwrap();
}

#[tokio::test]
async fn deliveries_are_signed_for_our_header_and_for_standard_webhooks_verifiers() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (_, key) = app.signup("Hooked").await;
    let endpoint = register(&app, &key, &receiver.url, json!(["task.created"])).await;
    let secret = endpoint["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"));
    let listed = json(app.get_as(&key, "/v1/webhooks").await).await;
    assert!(listed["data"][0].get("secret").is_none(), "the secret is shown once");

    let task = app.create_task(&key, &seed_task(10)).await;
    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 1);
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    let r = &got[0];
    let body: Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(body["type"], "task.created");
    assert_eq!(body["data"]["task"]["id"], task["id"]);
    let id = body["id"].as_str().unwrap();
    assert_eq!(r.headers["x-humandispatch-event-id"], id);
    assert_eq!(r.headers["webhook-id"], id);

    // Our header, checked with our own HMAC code.
    let timestamp = r.headers["x-humandispatch-timestamp"].to_str().unwrap();
    assert!((chrono::Utc::now().timestamp() - timestamp.parse::<i64>().unwrap()).abs() < 60, "fresh timestamp");
    use base64::Engine;
    let key_bytes = base64::engine::general_purpose::STANDARD.decode(secret.trim_start_matches("whsec_")).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key_bytes).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(&r.body);
    let expected = format!("v1={}", hex::encode(mac.finalize().into_bytes()));
    assert_eq!(r.headers["x-humandispatch-signature"], expected.as_str());

    // The Standard Webhooks headers, checked with its verifier.
    let verifier = standardwebhooks::Webhook::new(&secret).unwrap();
    verifier.verify(&r.body, &r.headers).expect("a valid Standard Webhooks signature");
    let mut forged = r.body.to_vec();
    forged[0] = b' ';
    assert!(verifier.verify(&forged, &r.headers).is_err());
}

#[tokio::test]
async fn failures_are_retried_and_the_receiver_sees_each_event_once_after_dedupe() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    receiver.answer(500, vec![]);
    receiver.answer(503, vec![("retry-after", "120".into())]);
    let (_, key) = app.signup("Flaky").await;
    let endpoint = register(&app, &key, &receiver.url, json!(["*"])).await;
    let endpoint_id = endpoint["id"].as_str().unwrap();
    app.create_task(&key, &seed_task(10)).await;

    app.workers.drain_webhooks().await.unwrap();
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    let d = &deliveries["data"][0];
    assert_eq!(d["status"], "pending");
    assert_eq!(d["attempt_log"][0]["status_code"], 500);
    let wait = chrono::DateTime::parse_from_rfc3339(d["next_attempt_at"].as_str().unwrap()).unwrap().timestamp()
        - chrono::Utc::now().timestamp();
    assert!((0..=6).contains(&wait), "the first retry waits 5 s, not {wait}");

    time_passes(&app).await;
    app.workers.drain_webhooks().await.unwrap();
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    let d = &deliveries["data"][0];
    assert_eq!(d["attempt_log"][1]["status_code"], 503);
    let wait = chrono::DateTime::parse_from_rfc3339(d["next_attempt_at"].as_str().unwrap()).unwrap().timestamp()
        - chrono::Utc::now().timestamp();
    assert!((110..=121).contains(&wait), "Retry-After honoured: {wait}");

    time_passes(&app).await;
    app.workers.drain_webhooks().await.unwrap();
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    let d = &deliveries["data"][0];
    assert_eq!(d["status"], "succeeded");
    assert_eq!(d["attempts"], 3);
    assert!(d["attempt_log"][2]["latency_ms"].as_u64().is_some());
    assert_eq!(d["attempt_log"][2]["response_excerpt"], "ok");

    // Three POSTs of one event: the receiver dedupes them by id.
    let got = receiver.received();
    assert_eq!(got.len(), 3);
    let ids: HashSet<String> = got.iter().map(|r| r.headers["webhook-id"].to_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 1);

    // A manual retry sends it again.
    let delivery_id = d["id"].as_str().unwrap();
    let r = app.post_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry"), &json!({})).await;
    assert_eq!(r.status(), 202);
    app.workers.drain_webhooks().await.unwrap();
    assert_eq!(receiver.received().len(), 4);
}

/// A delivery waiting for its next attempt is sent at once when asked, and only then: the
/// retry it was waiting for does not send it a second time.
#[tokio::test]
async fn redelivering_a_waiting_delivery_sends_it_now_and_once() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    receiver.answer(500, vec![]);
    let (_, key) = app.signup("Impatient").await;
    let endpoint = register(&app, &key, &receiver.url, json!(["task.created"])).await;
    let endpoint_id = endpoint["id"].as_str().unwrap();
    app.create_task(&key, &seed_task(10)).await;
    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 1);
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    let d = &deliveries["data"][0];
    assert_eq!(d["status"], "pending", "waiting 5 s for its retry");
    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 0, "not due yet");

    let delivery_id = d["id"].as_str().unwrap();
    let r = app.post_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries/{delivery_id}/retry"), &json!({})).await;
    assert_eq!(r.status(), 202);
    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 1, "sent at once");
    time_passes(&app).await;
    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 0, "the old retry is not sent as well");
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    assert_eq!(deliveries["data"][0]["status"], "succeeded");
    assert_eq!(deliveries["data"][0]["attempts"], 2);
    assert_eq!(receiver.received().len(), 2);
}

#[tokio::test]
async fn a_410_disables_the_endpoint() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    receiver.answer(410, vec![]);
    let (_, key) = app.signup("Gone").await;
    let endpoint = register(&app, &key, &receiver.url, json!(["task.created"])).await;
    app.create_task(&key, &seed_task(10)).await;
    app.create_task(&key, &seed_task(11)).await;
    app.workers.drain_webhooks().await.unwrap();
    assert_eq!(receiver.received().len(), 1, "nothing more after 410");
    let listed = json(app.get_as(&key, "/v1/webhooks").await).await;
    assert_eq!(listed["data"][0]["status"], "disabled");
    let deliveries =
        json(app.get_as(&key, &format!("/v1/webhooks/{}/deliveries", endpoint["id"].as_str().unwrap())).await).await;
    assert!(deliveries["data"].as_array().unwrap().iter().all(|d| d["status"] == "abandoned"));
}

#[tokio::test]
async fn private_addresses_are_refused_unless_the_operator_allows_them() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Sneaky").await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "ftp://example.com/x",
    ] {
        let r = app.post_as(&key, "/v1/webhooks", &json!({"url": url, "events": ["*"]})).await;
        let body = assert_error(r, 400, "SCHEMA_VALIDATION_FAILED").await;
        assert!(crate::helpers::error_list(&body)[0].starts_with("/url"), "{url}: {body}");
    }
    let r = app.post_as(&key, "/v1/webhooks", &json!({"url": "https://example.com/x", "events": ["task.nope"]})).await;
    assert_error(r, 400, "SCHEMA_VALIDATION_FAILED").await;
    // Allowed by the operator, and deleted again.
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let (_, key) = app.signup("Local").await;
    let endpoint = register(&app, &key, "http://127.0.0.1:9/hook", json!(["*"])).await;
    let id = endpoint["id"].as_str().unwrap();
    assert_eq!(app.delete_as(&key, &format!("/v1/webhooks/{id}")).await.status(), 200);
    assert!(json(app.get_as(&key, "/v1/webhooks").await).await["data"].as_array().unwrap().is_empty());
    let (_, other) = app.signup("Other").await;
    assert_error(app.get_as(&other, &format!("/v1/webhooks/{id}/deliveries")).await, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn two_server_processes_never_send_the_same_delivery_twice() {
    let first = spawn_app_with(&[ALLOW_PRIVATE, ("HD_RATE_LIMIT_PER_MINUTE", "100000")]).await;
    if first.backend != "postgres" {
        // On SQLite one process does this work; the PostgreSQL suite runs this test.
        return;
    }
    let second = spawn_replica(&first, &[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (_, key) = first.signup("Busy").await;
    register(&first, &key, &receiver.url, json!(["*"])).await;
    for i in 0..40 {
        first.create_task(&key, &seed_task(10 + i % 20)).await;
    }
    let (a, b) = tokio::join!(first.workers.drain_webhooks(), second.workers.drain_webhooks());
    assert_eq!(a.unwrap() + b.unwrap(), 40);
    let got = receiver.received();
    let ids: HashSet<String> = got.iter().map(|r| r.headers["webhook-id"].to_str().unwrap().to_owned()).collect();
    assert_eq!(got.len(), 40, "each delivery sent once");
    assert_eq!(ids.len(), 40);
}

#[tokio::test]
async fn two_real_server_processes_with_workers_send_each_event_once() {
    let app = spawn_app_with(&[ALLOW_PRIVATE, ("HD_RATE_LIMIT_PER_MINUTE", "100000")]).await;
    if app.backend != "postgres" {
        // On SQLite one process does this work; the PostgreSQL suite runs this test.
        return;
    }
    let receiver = Receiver::start().await;
    let (_, key) = app.signup("Busy").await;
    register(&app, &key, &receiver.url, json!(["*"])).await;
    let env = [ALLOW_PRIVATE, ("HD_WORKERS", "on")];
    let (_one, _two) = tokio::join!(spawn_process(&app, &env), spawn_process(&app, &env));
    for i in 0..30 {
        app.create_task(&key, &seed_task(10 + i % 20)).await;
    }
    for _ in 0..200 {
        if receiver.received().len() >= 30 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    // Give a duplicate, if there were one, the time to arrive.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    let got = receiver.received();
    let ids: HashSet<String> = got.iter().map(|r| r.headers["webhook-id"].to_str().unwrap().to_owned()).collect();
    assert_eq!(ids.len(), 30, "every event delivered");
    assert_eq!(got.len(), 30, "none twice");
}

/// A deploy stops a process while it is sending a webhook: the delivery it holds is finished
/// and recorded before the process exits, not cut off mid-request and left claimed.
#[tokio::test]
async fn sigterm_lets_the_delivery_in_flight_finish_and_be_recorded() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    receiver.take(std::time::Duration::from_millis(1500));
    let (_, key) = app.signup("Deploying").await;
    let endpoint = register(&app, &key, &receiver.url, json!(["task.created"])).await;
    let endpoint_id = endpoint["id"].as_str().unwrap();
    let mut process = spawn_process(&app, &[ALLOW_PRIVATE, ("HD_WORKERS", "on")]).await;
    app.create_task(&key, &seed_task(10)).await;
    for _ in 0..200 {
        if !receiver.received().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(receiver.received().len(), 1, "the process picked the delivery up");

    process.terminate();
    let status = process.wait_exit(std::time::Duration::from_secs(15)).await;
    assert!(status.success(), "a clean exit: {status:?}\n{}", process.log());
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    let d = &deliveries["data"][0];
    assert_eq!(d["status"], "succeeded", "{deliveries}");
    assert_eq!(d["attempts"], 1, "{deliveries}");
    assert_eq!(receiver.received().len(), 1, "sent once");
}

/// One tenant's receivers hang; another tenant's webhook and email still go out at once. Before,
/// the hanging receiver held every delivery slot until its 15-second timeouts, and the mail
/// waited behind the webhooks.
#[tokio::test]
async fn a_tenants_hanging_receiver_delays_neither_another_tenants_webhook_nor_its_email() {
    let app = spawn_app_with(&[ALLOW_PRIVATE, ("HD_WORKERS", "on")]).await;
    let hanging = Receiver::start().await;
    hanging.take(std::time::Duration::from_secs(60));
    let (_, slow_key) = app.signup("Slow tenant").await;
    register(&app, &slow_key, &hanging.url, json!(["*"])).await;
    for i in 0..12 {
        app.create_task(&slow_key, &seed_task(10 + i)).await;
    }
    for _ in 0..200 {
        if hanging.received().len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(hanging.received().len(), 2, "the hanging receiver holds two requests");

    let s = scene(&app, Some("ok")).await;
    let prompt = Receiver::start().await;
    register(&app, &s.key, &prompt.url, json!(["task.created"])).await;
    app.create_task(&s.key, &seed_task(12)).await;
    s.invite(&app).await;
    let invited = |app: &TestApp| app.mails().iter().any(|m| m.subject.starts_with("📸 You're invited to quote"));
    for _ in 0..400 {
        if !prompt.received().is_empty() && invited(&app) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    assert_eq!(prompt.received().len(), 1, "the other tenant's webhook went out");
    assert!(invited(&app), "the other tenant's email went out");
    assert_eq!(hanging.received().len(), 2, "still only two deliveries of the slow tenant in flight");
}

#[tokio::test]
async fn an_account_has_at_most_sixteen_endpoints() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (_, key) = app.signup("Many hooks").await;
    let (_, other) = app.signup("Other").await;
    let mut first = Value::Null;
    for i in 0..16 {
        let endpoint = register(&app, &key, &format!("{}?n={i}", receiver.url), json!(["*"])).await;
        if i == 0 {
            first = endpoint;
        }
    }
    let r = app.post_as(&key, "/v1/webhooks", &json!({"url": receiver.url, "events": ["*"]})).await;
    let body = assert_error(r, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["max_endpoints"], 16, "{body}");
    // The cap is per account, and a deleted endpoint makes room.
    register(&app, &other, &receiver.url, json!(["*"])).await;
    let r = app.delete_as(&key, &format!("/v1/webhooks/{}", first["id"].as_str().unwrap())).await;
    assert!(r.status().is_success());
    register(&app, &key, &receiver.url, json!(["*"])).await;
    assert_eq!(json(app.get_as(&key, "/v1/webhooks").await).await["data"].as_array().unwrap().len(), 16);
}

/// Two registrations at once on an account with room for one: exactly one succeeds.
#[tokio::test]
async fn concurrent_registrations_cannot_pass_the_cap() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    for round in 0..5 {
        let (_, key) = app.signup(&format!("Racing {round}")).await;
        for i in 0..15 {
            register(&app, &key, &format!("{}?n={i}", receiver.url), json!(["*"])).await;
        }
        let body = json!({"url": receiver.url, "events": ["*"]});
        let (a, b) = tokio::join!(app.post_as(&key, "/v1/webhooks", &body), app.post_as(&key, "/v1/webhooks", &body));
        let mut codes = [a.status().as_u16(), b.status().as_u16()];
        codes.sort_unstable();
        assert_eq!(codes, [201, 403], "round {round}");
        assert_eq!(json(app.get_as(&key, "/v1/webhooks").await).await["data"].as_array().unwrap().len(), 16);
    }
}
