//! Sign-up: `POST /v1/developer/signup`.

use crate::helpers::{assert_error, error_list, json, spawn_app, spawn_app_with};
use serde_json::json;

#[tokio::test]
async fn signup_creates_a_sandbox_principal_with_a_key_shown_once() {
    let app = spawn_app().await;
    let response = app.post_json("/v1/developer/signup", &json!({"name": "Acme Agents", "email": "ops@acme.io"})).await;
    assert_eq!(response.status(), 201);
    let body = json(response).await;
    assert_eq!(body["mode"], "sandbox");
    assert!(body["principal_id"].as_str().unwrap().starts_with("prn_"));
    let key = body["api_key"].as_str().unwrap();
    assert!(key.starts_with("hd_test_") && key.len() == 40, "{key}");

    // The key works, and is never shown again.
    let listed = json(app.get_as(key, "/v1/api_keys").await).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert!(!listed.to_string().contains(&key[8..]), "{listed}");
}

#[tokio::test]
async fn signup_lists_every_problem() {
    let app = spawn_app().await;
    let body = assert_error(
        app.post_json("/v1/developer/signup", &json!({"name": " ", "email": "nope"})).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    let errors = error_list(&body);
    assert!(errors.iter().any(|e| e.starts_with("/name")), "{errors:?}");
    assert!(errors.iter().any(|e| e.starts_with("/email")), "{errors:?}");

    let body = assert_error(
        app.post_json("/v1/developer/signup", &json!({"name": "A", "email": "a@b.co", "plan": "gold"})).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(error_list(&body)[0].contains("plan"), "{body}");
}

#[tokio::test]
async fn live_mode_needs_a_payment_gateway() {
    let app = spawn_app().await;
    let body = assert_error(
        app.post_json("/v1/developer/signup", &json!({"name": "A", "email": "a@b.co", "mode": "live"})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["available_modes"], json!(["sandbox"]));
}

#[tokio::test]
async fn signups_are_limited_per_client_address() {
    let app = spawn_app_with(&[("HD_SIGNUPS_PER_HOUR", "2")]).await;
    for i in 0..2 {
        let r = app.post_json("/v1/developer/signup", &json!({"name": format!("A{i}"), "email": "a@b.co"})).await;
        assert_eq!(r.status(), 201);
    }
    let response = app.post_json("/v1/developer/signup", &json!({"name": "A3", "email": "a@b.co"})).await;
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    assert_error(response, 429, "RATE_LIMITED").await;
}

#[tokio::test]
async fn the_signup_page_is_served_and_its_server_function_answers_with_real_statuses() {
    let app = spawn_app().await;
    let html = app.get("/developer/signup").await.text().await.unwrap();
    assert!(html.contains("Create your developer account"), "{html}");

    let post = |email: &'static str| {
        app.client
            .post(app.url("/api/developer/signup"))
            .header("accept", "application/json")
            .form(&[("name", "Page"), ("email", email)])
            .send()
    };
    let created = post("page@example.com").await.unwrap();
    assert_eq!(created.status(), 200);
    assert!(json(created).await["api_key"].as_str().unwrap().starts_with("hd_test_"));
    let refused = post("nope").await.unwrap();
    assert_eq!(refused.status(), 400, "a validation error is a 400, not a 500");
    let body = json(refused).await;
    assert_eq!(body["code"], "SCHEMA_VALIDATION_FAILED");
}
