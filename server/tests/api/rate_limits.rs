//! Rate limits per key, shared by every server process on the database.

use crate::helpers::{assert_error, spawn_app_with, spawn_process, spawn_replica};

#[tokio::test]
async fn every_response_carries_the_policy_and_the_limit_is_enforced() {
    let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "5")]).await;
    let (_, key) = app.signup("Busy").await;
    let mut last_remaining = None;
    let mut limited = None;
    for _ in 0..6 {
        let response = app.get_as(&key, "/v1/tasks").await;
        assert_eq!(response.headers()["ratelimit-policy"], "\"default\";q=5;w=60");
        let current = response.headers()["ratelimit"].to_str().unwrap().to_owned();
        if response.status() == 429 {
            limited = Some(response);
            break;
        }
        last_remaining = Some(current);
    }
    assert!(last_remaining.unwrap().starts_with("\"default\";r=0;t="));
    let response = limited.expect("the sixth request is limited");
    let retry: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry));
    assert_error(response, 429, "RATE_LIMITED").await;

    // Another key has its own budget.
    let (_, other) = app.signup("Calm").await;
    assert_eq!(app.get_as(&other, "/v1/tasks").await.status(), 200);
}

#[tokio::test]
async fn two_server_processes_share_the_counters() {
    let first = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "4")]).await;
    let second = spawn_replica(&first, &[("HD_RATE_LIMIT_PER_MINUTE", "4")]).await;
    let (_, key) = first.signup("Spread").await;
    let mut statuses = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { &first } else { &second };
        statuses.push(app.get_as(&key, "/v1/tasks").await.status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 429, 429]);
}

#[tokio::test]
async fn public_endpoints_are_limited_per_address() {
    let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "3")]).await;
    for _ in 0..3 {
        assert_eq!(app.get("/v1/templates").await.status(), 200);
    }
    assert_error(app.get("/v1/templates").await, 429, "RATE_LIMITED").await;
}

#[tokio::test]
async fn two_real_server_processes_on_postgresql_share_the_counters() {
    let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "4")]).await;
    if app.backend != "postgres" {
        // Several processes share one PostgreSQL; the PostgreSQL suite runs this test.
        return;
    }
    let (_, key) = app.signup("Spread").await;
    let limit = [("HD_RATE_LIMIT_PER_MINUTE", "4")];
    let (one, two) = tokio::join!(spawn_process(&app, &limit), spawn_process(&app, &limit));
    let mut statuses = Vec::new();
    for i in 0..6 {
        let server = if i % 2 == 0 { &one } else { &two };
        statuses
            .push(app.client.get(server.url("/v1/tasks")).bearer_auth(&key).send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, vec![200, 200, 200, 200, 429, 429]);
}

#[tokio::test]
async fn the_eleventh_money_request_in_a_minute_is_refused_under_the_money_policy() {
    let app = crate::helpers::spawn_app().await;
    let (_, key) = app.signup("Spender").await;
    for n in 1..=10 {
        let response = app.post_as(&key, "/v1/billing/setup", &serde_json::json!({})).await;
        assert_eq!(response.status(), 201, "money request {n}");
        let policy = response.headers()["ratelimit-policy"].to_str().unwrap().to_owned();
        assert!(policy.contains("\"money\";q=10;w=60") && policy.contains("\"default\";q=60;w=60"), "{policy}");
    }
    let refused = app.post_as(&key, "/v1/billing/setup", &serde_json::json!({})).await;
    assert!(refused.headers()["ratelimit-policy"].to_str().unwrap().contains("\"money\";q=10;w=60"));
    assert!(refused.headers()["ratelimit"].to_str().unwrap().starts_with("\"money\";r=0;"));
    let body = assert_error(refused, 429, "RATE_LIMITED").await;
    assert_eq!(body["error"]["details"]["policy"], "money");
    // Reads are not money requests, and the general budget is not spent.
    let read = app.get_as(&key, "/v1/billing/status").await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.headers()["ratelimit-policy"], "\"default\";q=60;w=60");
    // Another key has its own money budget.
    let (_, other) = app.signup("Saver").await;
    assert_eq!(app.post_as(&other, "/v1/billing/setup", &serde_json::json!({})).await.status(), 201);
}

#[tokio::test]
async fn server_functions_are_limited_like_v1() {
    let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "3")]).await;
    let call = || {
        app.client
            .post(app.url("/api/portal/invitation"))
            .header("accept", "application/json")
            .form(&[("invitation_id", "qrq_missing")])
            .send()
    };
    for _ in 0..3 {
        let response = call().await.unwrap();
        assert_eq!(response.status(), 404);
        assert_eq!(response.headers()["ratelimit-policy"], "\"default\";q=3;w=60");
    }
    let limited = call().await.unwrap();
    assert_eq!(limited.status(), 429);
    assert_error(limited, 429, "RATE_LIMITED").await;
}
