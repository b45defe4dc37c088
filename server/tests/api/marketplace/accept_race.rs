//! "Only the first caller succeeds": many accepts at once, in one process and across two.

use super::{new_talent, scene};
use crate::helpers::{TestApp, json, spawn_app_with, spawn_process, spawn_replica};
use serde_json::json;

const LIMITS: [(&str, &str); 2] =
    [("HD_RATE_LIMIT_PER_MINUTE", "100000"), ("HD_MONEY_RATE_LIMIT_PER_MINUTE", "100000")];

/// Fires `n` accepts, spread over `apps`; returns (successes, refusals' current_status).
async fn race(apps: &[&TestApp], key: &str, quote_ids: &[String], n: usize) -> (Vec<String>, Vec<String>) {
    let requests = (0..n).map(|i| {
        let app = apps[i % apps.len()];
        let quote = &quote_ids[i % quote_ids.len()];
        app.client.post(app.url(&format!("/v1/quotes/{quote}/accept"))).bearer_auth(key).json(&json!({})).send()
    });
    let mut won = Vec::new();
    let mut refused = Vec::new();
    for response in futures::future::join_all(requests).await {
        let response = response.unwrap();
        let status = response.status().as_u16();
        let body = json(response).await;
        match status {
            200 => won.push(body["quote"]["id"].as_str().unwrap().to_owned()),
            403 => {
                assert_eq!(body["error"]["code"], "POLICY_BLOCKED");
                refused.push(body["error"]["details"]["current_status"].as_str().unwrap().to_owned());
            }
            other => panic!("unexpected {other}: {body}"),
        }
    }
    (won, refused)
}

#[tokio::test]
async fn a_hundred_concurrent_accepts_of_one_quote_have_one_winner() {
    let app = spawn_app_with(&LIMITS).await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let quote = json(s.quote(&app, 250).await).await;
    let (won, refused) = race(&[&app], &s.key, &[quote["id"].as_str().unwrap().to_owned()], 100).await;
    assert_eq!(won.len(), 1, "exactly one winner");
    assert_eq!(refused.len(), 99);
    assert!(refused.iter().all(|s| s == "accepted"), "{refused:?}");
}

#[tokio::test]
async fn two_quotes_of_one_task_raced_from_two_server_processes_have_one_winner() {
    let first = spawn_app_with(&LIMITS).await;
    let second = spawn_replica(&first, &LIMITS).await;
    let s = scene(&first, Some("ok")).await;
    let (other_id, other_token) = new_talent(&first, &s.key, json!({"name": "Rival"})).await;
    first
        .post_as(
            &s.key,
            &format!("/v1/tasks/{}/quote_requests", s.task_id),
            &json!({"talent_ids": [s.talent_id, other_id]}),
        )
        .await;
    let a = json(s.quote(&first, 250).await).await["id"].as_str().unwrap().to_owned();
    let b = json(
        second
            .post_as(
                &other_token,
                &format!("/v1/talent/{other_id}/quote"),
                &json!({"task_id": s.task_id, "amount": 240, "message": "m"}),
            )
            .await,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let (won, refused) = race(&[&first, &second], &s.key, &[a.clone(), b.clone()], 100).await;
    assert_eq!(won.len(), 1, "exactly one winner across both processes");
    assert_eq!(refused.len(), 99);
    let winner = &won[0];
    let list = json(first.get_as(&s.key, &format!("/v1/tasks/{}/quotes", s.task_id)).await).await;
    for q in list["data"].as_array().unwrap() {
        let expected = if q["id"] == winner.as_str() { "accepted" } else { "rejected" };
        assert_eq!(q["status"], expected);
    }
}

#[tokio::test]
async fn two_real_server_processes_on_postgresql_let_one_accept_win() {
    let app = spawn_app_with(&LIMITS).await;
    if app.backend != "postgres" {
        // Several processes share one PostgreSQL; the PostgreSQL suite runs this test.
        return;
    }
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let quote = json(s.quote(&app, 250).await).await["id"].as_str().unwrap().to_owned();
    let (one, two) = tokio::join!(spawn_process(&app, &LIMITS), spawn_process(&app, &LIMITS));
    let requests = (0..100).map(|i| {
        let server = if i % 2 == 0 { &one } else { &two };
        app.client.post(server.url(&format!("/v1/quotes/{quote}/accept"))).bearer_auth(&s.key).json(&json!({})).send()
    });
    let statuses: Vec<u16> =
        futures::future::join_all(requests).await.into_iter().map(|r| r.unwrap().status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == 403).count(), 99);
}
