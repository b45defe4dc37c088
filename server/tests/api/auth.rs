//! Bearer authentication and tenant isolation.

use crate::helpers::{assert_error, seed_task, spawn_app};

#[tokio::test]
async fn every_private_endpoint_needs_a_valid_key() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Owner").await;
    let cases: Vec<(&str, Option<String>)> = vec![
        ("missing", None),
        ("not bearer", Some(format!("Basic {key}"))),
        ("empty", Some("Bearer ".into())),
        ("wrong prefix", Some("Bearer sk_live_123".into())),
        ("unknown", Some("Bearer hd_test_0000000000000000000000000000000".into())),
        ("live prefix on a sandbox key", Some(format!("Bearer hd_live_{}", &key[8..]))),
    ];
    for path in ["/v1/tasks", "/v1/api_keys", "/v1/audit", "/v1/tasks/task_x"] {
        for (what, header) in &cases {
            let mut request = app.client.get(app.url(path));
            if let Some(h) = header {
                request = request.header("authorization", h);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.headers()["www-authenticate"], "Bearer", "{what} on {path}");
            let body = assert_error(response, 401, "AUTH_SCOPE_DENIED").await;
            assert!(!body["error"]["message"].as_str().unwrap().is_empty(), "{what}");
        }
    }
    // Public endpoints need none.
    assert_eq!(app.get("/v1/templates").await.status(), 200);
}

#[tokio::test]
async fn another_tenants_task_is_indistinguishable_from_a_missing_one() {
    let app = spawn_app().await;
    let (_, alice) = app.signup("Alice").await;
    let (_, bob) = app.signup("Bob").await;
    let task = app.create_task(&alice, &seed_task(10)).await;
    let id = task["id"].as_str().unwrap();

    let theirs = assert_error(app.get_as(&bob, &format!("/v1/tasks/{id}")).await, 404, "NOT_FOUND").await;
    let missing = assert_error(app.get_as(&bob, "/v1/tasks/task_doesnotexist").await, 404, "NOT_FOUND").await;
    assert_eq!(theirs["error"]["message"], missing["error"]["message"]);
    let listed = crate::helpers::json(app.get_as(&bob, "/v1/tasks").await).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 0);
    assert_eq!(app.get_as(&alice, &format!("/v1/tasks/{id}")).await.status(), 200);
}
