//! Every error, even one raised before a handler runs, answers with the seed's envelope.

use crate::helpers::{assert_error, spawn_app};

#[tokio::test]
async fn unknown_v1_routes_are_404_in_the_envelope() {
    let app = spawn_app().await;
    for path in ["/v1", "/v1/", "/v1/nope", "/v1/tasks/x/y/z/w"] {
        let body = assert_error(app.get(path).await, 404, "NOT_FOUND").await;
        assert!(body["error"]["message"].as_str().unwrap().contains("No such endpoint"), "{body}");
    }
}

#[tokio::test]
async fn wrong_methods_are_405_in_the_envelope() {
    let app = spawn_app().await;
    let response = app.client.delete(app.url("/healthz")).send().await.unwrap();
    let allow = response.headers().get("allow").map(|v| v.to_str().unwrap().to_owned());
    assert_error(response, 405, "METHOD_NOT_ALLOWED").await;
    assert!(allow.is_some_and(|a| a.contains("GET")), "Allow header kept");
}

#[tokio::test]
async fn bad_bodies_are_4xx_in_the_envelope() {
    let app = crate::helpers::spawn_app_with(&[("HD_MAX_BODY_BYTES", "2048")]).await;
    let (_, key) = app.signup("Sloppy").await;
    let send = |content_type: &'static str, body: Vec<u8>| {
        app.client.post(app.url("/v1/tasks")).bearer_auth(&key).header("content-type", content_type).body(body).send()
    };
    let body = assert_error(
        send("application/json", b"{\"title\": ".to_vec()).await.unwrap(),
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(!crate::helpers::error_list(&body).is_empty());
    assert_error(send("application/json", b"".to_vec()).await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(send("text/plain", b"{}".to_vec()).await.unwrap(), 415, "UNSUPPORTED_MEDIA_TYPE").await;
    let big = format!("{{\"title\": \"{}\"}}", "x".repeat(4096)).into_bytes();
    assert_error(send("application/json", big).await.unwrap(), 413, "PAYLOAD_TOO_LARGE").await;
    // Wrong JSON types where the shape is fixed.
    let response = app.post_json("/v1/developer/signup", &serde_json::json!({"name": 5, "email": []})).await;
    assert_error(response, 400, "SCHEMA_VALIDATION_FAILED").await;
    let response = app.post_json("/v1/developer/signup", &serde_json::json!([1, 2, 3])).await;
    assert_error(response, 400, "SCHEMA_VALIDATION_FAILED").await;
}

#[tokio::test]
async fn oversized_bodies_are_refused_even_with_an_idempotency_key() {
    let app = crate::helpers::spawn_app_with(&[("HD_MAX_BODY_BYTES", "1024")]).await;
    let (_, key) = app.signup("Big").await;
    let big = format!("{{\"title\": \"{}\"}}", "x".repeat(4096));
    let response = app
        .client
        .post(app.url("/v1/tasks"))
        .bearer_auth(&key)
        .header("idempotency-key", "big-1")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_error(response, 413, "PAYLOAD_TOO_LARGE").await;
}

/// serde reads a JSON array as a struct's fields in order: `["Name", "a@b.co"]` would sign up.
/// The document describes objects only, so an array is refused; an optional body may be `null`.
#[tokio::test]
async fn a_body_is_an_object_and_an_optional_one_may_be_null() {
    let app = spawn_app().await;
    let response =
        app.post_json("/v1/developer/signup", &serde_json::json!(["Array Agent", "array@example.com"])).await;
    let body = assert_error(response, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(crate::helpers::error_list(&body), ["/: expected a JSON object"]);
    let (_, key) = app.signup("Careful").await;
    let cap = app.client.put(app.url("/v1/billing/spend_cap")).bearer_auth(&key).json(&serde_json::json!([null, null]));
    assert_error(cap.send().await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED").await;
    // `null` is the optional body left out: the request reaches the booking (which is not there).
    let cancel = app.post_as(&key, "/v1/bookings/bkg_missing/cancel", &serde_json::Value::Null).await;
    assert_error(cancel, 404, "NOT_FOUND").await;
}
