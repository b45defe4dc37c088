//! Rate limits per key, shared by every server process on the database.

use crate::helpers::{TestApp, assert_error, spawn_app_with, spawn_process, spawn_replica};

/// Six requests with one key, alternating between two replicas: their statuses.
async fn alternate(first: &TestApp, second: &TestApp, key: &str) -> Vec<u16> {
    let mut statuses = Vec::new();
    for i in 0..6 {
        let app = if i % 2 == 0 { first } else { second };
        statuses.push(app.get_as(key, "/v1/tasks").await.status().as_u16());
    }
    statuses
}

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
    // Replicas say so: on SQLite the counters are in the process by default.
    let env = [("HD_RATE_LIMIT_PER_MINUTE", "4"), ("HD_RATE_LIMIT_STORE", "database")];
    let first = spawn_app_with(&env).await;
    let second = spawn_replica(&first, &env).await;
    let (_, key) = first.signup("Spread").await;
    assert_eq!(alternate(&first, &second, &key).await, vec![200, 200, 200, 200, 429, 429]);
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

/// Both stores answer the same: `q` requests at once, then 429 with the time to wait; the
/// in-process one writes nothing to the database on the way (before, every request did).
#[tokio::test]
async fn counters_in_the_process_limit_like_the_database_without_writing_to_it() {
    let mut answers = Vec::new();
    for store in ["memory", "database"] {
        let app = spawn_app_with(&[("HD_RATE_LIMIT_PER_MINUTE", "5"), ("HD_RATE_LIMIT_STORE", store)]).await;
        let (_, key) = app.signup("Counted").await;
        let before = app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM rate_limit_windows", vec![]).await;
        let mut seen = Vec::new();
        for _ in 0..6 {
            let r = app.get_as(&key, "/v1/tasks").await;
            let header = r.headers()["ratelimit"].to_str().unwrap().to_owned();
            let remaining = header.split(";r=").nth(1).and_then(|r| r.split(';').next()).unwrap().to_owned();
            seen.push((r.status().as_u16(), remaining));
            if r.status() == 429 {
                let retry: u64 = r.headers()["retry-after"].to_str().unwrap().parse().unwrap();
                assert!((1..=60).contains(&retry), "{store}: retry in {retry} s");
            }
        }
        let after = app.scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM rate_limit_windows", vec![]).await;
        match store {
            "memory" => assert_eq!(after, before, "no counter row written per request"),
            _ => assert_eq!(after, before + 1, "the key's window row"),
        }
        answers.push(seen);
    }
    let expected: Vec<(u16, String)> =
        [(200, "4"), (200, "3"), (200, "2"), (200, "1"), (200, "0"), (429, "0")].map(|(s, r)| (s, r.to_owned())).into();
    assert_eq!(answers[0], expected, "in the process");
    assert_eq!(answers[1], expected, "in the database");
}

/// Replicas that share Redis (`HD_REDIS_URL`) share the counters, whatever their database.
#[tokio::test]
async fn replicas_on_redis_share_the_counters() {
    let url = std::env::var("TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    // A prefix of its own: other tests and earlier runs count in the same Redis.
    let prefix = format!("hd_test_{}", uuid::Uuid::now_v7().simple());
    let env = [("HD_RATE_LIMIT_PER_MINUTE", "4"), ("HD_REDIS_URL", url.as_str()), ("HD_REDIS_PREFIX", prefix.as_str())];
    let first = spawn_app_with(&env).await;
    let second = spawn_replica(&first, &env).await;
    let (_, key) = first.signup("Spread").await;
    assert_eq!(alternate(&first, &second, &key).await, vec![200, 200, 200, 200, 429, 429]);
    let sql = "SELECT CAST(COUNT(*) AS BIGINT) FROM rate_limit_windows WHERE bucket LIKE 'key:%'";
    assert_eq!(first.scalar(sql, vec![]).await, 0, "counted in Redis, not in the database");
}
