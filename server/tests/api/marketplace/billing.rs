//! Billing: the setup link and its sandbox page, status, the spend cap.

use crate::helpers::{assert_error, json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_setup_link_leads_to_a_sandbox_page_that_attaches_a_card() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Payer").await;
    let status = json(app.get_as(&key, "/v1/billing/status").await).await;
    assert_eq!(status["has_payment_method"], false);
    assert_eq!(status["gateway"], "sandbox");

    let r = app.post_as(&key, "/v1/billing/setup", &json!({})).await;
    assert_eq!(r.status(), 201);
    let setup = json(r).await;
    let url = setup["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("{}/billing/sandbox/hd_setup_", app.address)), "{url}");
    let page = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(page.contains("card-ok"), "{page}");

    // The page's button posts to its server function.
    let token = url.rsplit('/').next().unwrap();
    let done = app
        .client
        .post(app.url("/api/billing/sandbox/complete"))
        .header("accept", "application/json")
        .form(&[("token", token), ("card", "ok")])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), 200);
    let status = json(app.get_as(&key, "/v1/billing/status").await).await;
    assert_eq!(status["has_payment_method"], true);
    assert_eq!(status["payment_method"]["last4"], "4242");

    // A link works once.
    let again = app
        .client
        .post(app.url("/api/billing/sandbox/complete"))
        .form(&[("token", token), ("card", "ok")])
        .send()
        .await
        .unwrap();
    assert!(again.status().is_client_error() || again.status().is_server_error());
    let page = reqwest::get(url).await.unwrap().text().await.unwrap();
    assert!(page.contains("already used"), "{page}");
}

#[tokio::test]
async fn the_browser_form_is_a_redirect_to_the_paste_your_key_page() {
    let app = spawn_app().await;
    let r = app.get("/v1/billing/setup").await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], "/billing/setup");
    let page = app.get("/billing/setup").await.text().await.unwrap();
    assert!(page.contains("api_key"));
}

#[tokio::test]
async fn spend_caps_are_validated() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Capper").await;
    let put =
        |body: serde_json::Value| app.client.put(app.url("/v1/billing/spend_cap")).bearer_auth(&key).json(&body).send();
    assert_error(put(json!({"monthly_cap": -1, "currency": "CAD"})).await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED")
        .await;
    assert_error(put(json!({"monthly_cap": 100})).await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(put(json!({"monthly_cap": 100.5, "currency": "CAD"})).await.unwrap(), 400, "SCHEMA_VALIDATION_FAILED")
        .await;
    let set = json(put(json!({"monthly_cap": 500, "currency": "USD"})).await.unwrap()).await;
    assert_eq!(set["monthly_cap"], 500);
    assert_eq!(set["remaining"], 500);
    let removed = json(put(json!({"monthly_cap": null})).await.unwrap()).await;
    assert!(removed["monthly_cap"].is_null());
}
