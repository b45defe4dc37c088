//! API keys from the dashboard: created (shown once) and used, listed with their last use,
//! revoked; never the last one, never another account's.

use super::{call, sign_in};
use crate::helpers::{json, spawn_app};
use crate::portal::refused;

#[tokio::test]
async fn an_owner_creates_a_key_that_works_sees_its_use_and_revokes_all_but_the_last() {
    let app = spawn_app().await;
    let (_, first) = app.signup("Keys Owner").await;
    let cookie = sign_in(&app, "Keys Owner").await;

    let created = call(&app, "keys/create", &[("name", "Pricing agent")], Some(&cookie)).await;
    assert_eq!(created.status(), 200);
    let created = json(created).await;
    let key = created["api_key"].as_str().unwrap().to_owned();
    assert_eq!(app.get_as(&key, "/v1/tasks").await.status(), 200, "the new key works on /v1");

    let list = json(call(&app, "keys", &[], Some(&cookie)).await).await;
    let keys = list["data"].as_array().unwrap();
    assert_eq!(keys.len(), 2);
    let new = keys.iter().find(|k| k["id"] == created["id"]).unwrap();
    assert_eq!(new["name"], "Pricing agent");
    assert!(new["last_used_at"].is_string(), "its use is shown: {new}");
    assert!(keys.iter().all(|k| k.get("api_key").is_none()), "never the secret again");

    let first_id = keys.iter().find(|k| k["id"] != created["id"]).unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(call(&app, "keys/revoke", &[("key_id", &first_id)], Some(&cookie)).await.status(), 200);
    assert_eq!(app.get_as(&first, "/v1/tasks").await.status(), 401, "a revoked key stops working");
    let last = refused(
        call(&app, "keys/revoke", &[("key_id", created["id"].as_str().unwrap())], Some(&cookie)).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert!(last["message"].as_str().unwrap().contains("last active API key"), "{last}");

    // Another owner neither sees nor revokes them.
    app.signup("Other Owner").await;
    let other = sign_in(&app, "Other Owner").await;
    let theirs = json(call(&app, "keys", &[], Some(&other)).await).await;
    assert!(theirs["data"].as_array().unwrap().iter().all(|k| k["id"] != created["id"]));
    refused(
        call(&app, "keys/revoke", &[("key_id", created["id"].as_str().unwrap())], Some(&other)).await,
        404,
        "NOT_FOUND",
    )
    .await;
    refused(call(&app, "keys", &[], None).await, 401, "AUTH_SCOPE_DENIED").await;
}
