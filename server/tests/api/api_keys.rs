//! `/v1/api_keys`: more keys, listing, revoking.

use crate::helpers::{assert_error, json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn keys_are_created_listed_and_revoked() {
    let app = spawn_app().await;
    let (_, first) = app.signup("Keys").await;
    let response = app.post_as(&first, "/v1/api_keys", &json!({"name": "ci"})).await;
    assert_eq!(response.status(), 201);
    let created = json(response).await;
    let second = created["api_key"].as_str().unwrap().to_owned();
    let second_id = created["id"].as_str().unwrap().to_owned();
    assert!(second.starts_with("hd_test_"));
    assert_eq!(created["name"], "ci");

    let listed = json(app.get_as(&second, "/v1/api_keys").await).await;
    let keys = listed["data"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    assert!(keys.iter().all(|k| k.get("api_key").is_none() && k["prefix"].as_str().unwrap().starts_with("hd_test_")));

    let revoked = json(app.delete_as(&first, &format!("/v1/api_keys/{second_id}")).await).await;
    assert!(revoked["revoked_at"].is_string(), "{revoked}");
    assert_error(app.get_as(&second, "/v1/tasks").await, 401, "AUTH_SCOPE_DENIED").await;
    assert_eq!(app.get_as(&first, "/v1/tasks").await.status(), 200);
}

#[tokio::test]
async fn the_last_active_key_cannot_be_revoked() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Solo").await;
    let id = json(app.get_as(&key, "/v1/api_keys").await).await["data"][0]["id"].as_str().unwrap().to_owned();
    let body = assert_error(app.delete_as(&key, &format!("/v1/api_keys/{id}")).await, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "active");
    assert_eq!(app.get_as(&key, "/v1/tasks").await.status(), 200);
}

#[tokio::test]
async fn another_tenants_key_cannot_be_revoked() {
    let app = spawn_app().await;
    let (_, alice) = app.signup("Alice").await;
    let (_, bob) = app.signup("Bob").await;
    let alice_key = json(app.get_as(&alice, "/v1/api_keys").await).await["data"][0]["id"].as_str().unwrap().to_owned();
    assert_error(app.delete_as(&bob, &format!("/v1/api_keys/{alice_key}")).await, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn two_keys_revoking_each_other_at_once_leave_one_standing() {
    let app = crate::helpers::spawn_app_with(&[("HD_SIGNUPS_PER_HOUR", "1000")]).await;
    for round in 0..12 {
        let (_, a) = app.signup(&format!("Mutual {round}")).await;
        let created = json(app.post_as(&a, "/v1/api_keys", &json!({"name": "b"})).await).await;
        let (b, b_id) = (created["api_key"].as_str().unwrap().to_owned(), created["id"].as_str().unwrap().to_owned());
        let keys = json(app.get_as(&a, "/v1/api_keys").await).await;
        let a_id = keys["data"].as_array().unwrap().iter().find(|k| k["id"] != b_id.as_str()).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let (revoke_b, revoke_a) = (format!("/v1/api_keys/{b_id}"), format!("/v1/api_keys/{a_id}"));
        let (one, two) = tokio::join!(app.delete_as(&a, &revoke_b), app.delete_as(&b, &revoke_a));
        let statuses = [one.status().as_u16(), two.status().as_u16()];
        // Whichever ran first, the account keeps exactly one key.
        let alive = app
            .scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM api_keys WHERE id IN (?, ?) AND revoked_at IS NULL",
                vec![a_id.clone().into(), b_id.clone().into()],
            )
            .await;
        assert_eq!(alive, 1, "round {round}: {statuses:?} left {alive} active keys");
    }
}
