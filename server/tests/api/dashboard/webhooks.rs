//! The dashboard's webhooks: add an endpoint, see each attempt as the receiver answered it, send
//! a delivery again, rotate the secret (the old one stops verifying), and none of it for
//! another account's owner.

use super::{call, sign_in};
use crate::helpers::{json, spawn_app_with};
use crate::marketplace::shop_task;
use crate::portal::refused;
use crate::receivers::Receiver;
use serde_json::Value;

const ALLOW_PRIVATE: (&str, &str) = ("HD_WEBHOOKS_ALLOW_PRIVATE", "true");

#[tokio::test]
async fn the_owner_adds_an_endpoint_sees_each_attempt_sends_one_again_and_rotates_the_secret() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (_, key) = app.signup("Hook Owner").await;
    let cookie = sign_in(&app, "Hook Owner").await;

    let none = refused(
        call(&app, "webhooks/create", &[("url", &receiver.url)], Some(&cookie)).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(none["details"]["errors"][0].as_str().unwrap().starts_with("/events"), "{none}");
    let created =
        call(&app, "webhooks/create", &[("url", &receiver.url), ("events[]", "task.created")], Some(&cookie)).await;
    assert_eq!(created.status(), 200);
    let endpoint = json(created).await;
    let (endpoint_id, first_secret) =
        (endpoint["id"].as_str().unwrap().to_owned(), endpoint["secret"].as_str().unwrap().to_owned());
    assert!(first_secret.starts_with("whsec_"));

    // The receiver fails the first delivery; the page shows its answer.
    receiver.answer(500, vec![]);
    app.create_task(&key, &shop_task(10)).await;
    app.workers.drain_webhooks().await.unwrap();
    let page = json(call(&app, "webhooks", &[], Some(&cookie)).await).await;
    let panel = &page["endpoints"][0];
    assert_eq!(panel["endpoint"]["id"], endpoint_id.as_str());
    assert!(panel["endpoint"].get("secret").is_none(), "the secret is shown once, not on the page");
    let delivery = &panel["deliveries"][0];
    let delivery_id = delivery["id"].as_str().unwrap().to_owned();
    assert_eq!((delivery["status"].as_str(), delivery["attempts"].as_u64()), (Some("pending"), Some(1)));
    let attempt = &delivery["attempt_log"][0];
    assert_eq!(attempt["status_code"], 500);
    assert_eq!(attempt["response_excerpt"], "ok");
    assert!(attempt["latency_ms"].is_u64());

    // Sent again from the page: now, once, and it succeeds.
    let again = call(
        &app,
        "webhooks/redeliver",
        &[("endpoint_id", &endpoint_id), ("delivery_id", &delivery_id)],
        Some(&cookie),
    )
    .await;
    assert_eq!(again.status(), 200);
    app.workers.drain_webhooks().await.unwrap();
    assert_eq!(receiver.received().len(), 2);
    let page = json(call(&app, "webhooks", &[], Some(&cookie)).await).await;
    let delivery = &page["endpoints"][0]["deliveries"][0];
    assert_eq!((delivery["status"].as_str(), delivery["attempts"].as_u64()), (Some("succeeded"), Some(2)));
    assert_eq!(delivery["attempt_log"][1]["status_code"], 200);

    // A new secret: what is sent next verifies with it and no longer with the old one.
    let rotated =
        json(call(&app, "webhooks/rotate_secret", &[("endpoint_id", &endpoint_id)], Some(&cookie)).await).await;
    let second_secret = rotated["secret"].as_str().unwrap().to_owned();
    assert!(second_secret.starts_with("whsec_") && second_secret != first_secret);
    app.create_task(&key, &shop_task(11)).await;
    app.workers.drain_webhooks().await.unwrap();
    let last = receiver.received().pop().unwrap();
    assert!(standardwebhooks::Webhook::new(&second_secret).unwrap().verify(&last.body, &last.headers).is_ok());
    assert!(standardwebhooks::Webhook::new(&first_secret).unwrap().verify(&last.body, &last.headers).is_err());
    let audit = json(app.get_as(&key, &format!("/v1/audit?entity_id={endpoint_id}")).await).await;
    let actions: Vec<(&str, &str)> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["action"].as_str().unwrap(), r["actor_type"].as_str().unwrap()))
        .collect();
    assert!(
        actions.contains(&("webhook.secret_rotated", "principal"))
            && actions.contains(&("webhook.created", "principal")),
        "{actions:?}"
    );

    // Removed: the page lists nothing.
    assert_eq!(call(&app, "webhooks/delete", &[("endpoint_id", &endpoint_id)], Some(&cookie)).await.status(), 200);
    let page = json(call(&app, "webhooks", &[], Some(&cookie)).await).await;
    assert_eq!(page["endpoints"], Value::Array(vec![]));
}

#[tokio::test]
async fn another_owner_can_neither_see_nor_touch_an_accounts_endpoints() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let receiver = Receiver::start().await;
    let (_, key) = app.signup("Hook Owner").await;
    let endpoint =
        json(app.post_as(&key, "/v1/webhooks", &serde_json::json!({"url": receiver.url, "events": ["*"]})).await).await;
    let endpoint_id = endpoint["id"].as_str().unwrap();
    app.create_task(&key, &shop_task(10)).await;
    app.workers.drain_webhooks().await.unwrap();
    let deliveries = json(app.get_as(&key, &format!("/v1/webhooks/{endpoint_id}/deliveries")).await).await;
    let delivery_id = deliveries["data"][0]["id"].as_str().unwrap();

    app.signup("Other Owner").await;
    let other = sign_in(&app, "Other Owner").await;
    let page = json(call(&app, "webhooks", &[], Some(&other)).await).await;
    assert_eq!(page["endpoints"], Value::Array(vec![]));
    for (function, form) in [
        ("webhooks/redeliver", vec![("endpoint_id", endpoint_id), ("delivery_id", delivery_id)]),
        ("webhooks/rotate_secret", vec![("endpoint_id", endpoint_id)]),
        ("webhooks/delete", vec![("endpoint_id", endpoint_id)]),
    ] {
        refused(call(&app, function, &form, Some(&other)).await, 404, "NOT_FOUND").await;
    }
    // Still the account's, with its first secret.
    let listed = json(app.get_as(&key, "/v1/webhooks").await).await;
    assert_eq!(listed["data"][0]["id"], endpoint_id);
    let rotated =
        json(app.post_as(&key, &format!("/v1/webhooks/{endpoint_id}/rotate_secret"), &serde_json::json!({})).await)
            .await;
    assert_ne!(rotated["secret"], endpoint["secret"]);
    // Signed out: nothing.
    refused(call(&app, "webhooks", &[], None).await, 401, "AUTH_SCOPE_DENIED").await;
}
