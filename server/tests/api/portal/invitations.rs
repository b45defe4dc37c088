//! An invitation in the portal, in plain words, and declining it: from the portal or `/v1`,
//! told to the agent, and never together with a quote (the two race in a loop, in one server
//! and across two server processes on PostgreSQL).

use super::{OWNER, call, invited, refused, sign_in};
use crate::helpers::{TestApp, assert_error, json, spawn_app, spawn_app_with, spawn_process};
use crate::marketplace::{new_talent, shop_task};
use serde_json::{Value, json};

#[tokio::test]
async fn the_invited_talent_sees_the_job_in_plain_words_in_their_time_zone() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;

    let detail =
        json(call(&app, "invitation/detail", &[("invitation_id", &job.invitation_id)], Some(&cookie)).await).await;
    assert_eq!(detail["invitation"]["task_id"], job.task_id.as_str());
    assert_eq!(detail["template_name"], "Product photography");
    assert_eq!(detail["radius_m"], 150);
    assert_eq!(detail["site"]["lat"], crate::marketplace::SHOP.0);
    assert_eq!(detail["asks"], json!(["30 photos (jpeg)"]));
    assert!(!detail["checks"].as_array().unwrap().is_empty(), "QA's checks are listed: {detail}");
    let background = detail["spec"].as_array().unwrap().iter().find(|r| r["label"] == "Background").cloned();
    let background = background.expect("the spec's background");
    assert_eq!(background["value"], "white");
    assert!(background["help"].as_str().unwrap().contains("seamless white"), "{background}");
    assert_eq!(detail["max_quote"], 300);
    // No time zone yet: UTC, said so.
    assert!(detail["invitation"]["start_local"].as_str().unwrap().ends_with("16:00 UTC"), "{detail}");

    let mut form = vec![
        ("name", "Ana Photo"),
        ("skills", "photography"),
        ("home_lat", "43.25"),
        ("home_lng", "-79.87"),
        ("travel_radius_km", "50"),
        ("portfolio_links", ""),
        ("time_zone", "America/Toronto"),
    ];
    form.push(("task_types[]", "PRODUCT_PHOTO_ECOMM"));
    assert_eq!(call(&app, "profile/update", &form, Some(&cookie)).await.status(), 200);
    let detail =
        json(call(&app, "invitation/detail", &[("invitation_id", &job.invitation_id)], Some(&cookie)).await).await;
    let local = detail["invitation"]["start_local"].as_str().unwrap();
    let home = json(call(&app, "home", &[], Some(&cookie)).await).await;
    assert_eq!(home["invitations"][0]["start_local"], local, "the list writes it in the same zone");
    assert!(local.ends_with("11:00 EST") || local.ends_with("12:00 EDT"), "16:00 UTC in Toronto: {local}");

    // Signed out, or as another talent, the full page is not given (the public summary is).
    let none = call(&app, "invitation/detail", &[("invitation_id", &job.invitation_id)], None).await;
    assert_eq!(json(none).await, Value::Null);
}

async fn decline_v1(app: &TestApp, token: &str, job: &super::Invited, reason: &str) -> reqwest::Response {
    app.post_as(
        token,
        &format!("/v1/talent/{}/decline", job.talent_id),
        &json!({"task_id": job.task_id, "reason": reason}),
    )
    .await
}

#[tokio::test]
async fn a_declined_invitation_takes_no_quote_and_the_agent_is_told_why() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;
    let form = |reason| vec![("invitation_id", job.invitation_id.clone()), ("reason", reason)];
    let decline = |reason: &str| {
        let form = form(reason.to_owned());
        let (app, cookie) = (&app, cookie.clone());
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            call(app, "decline", &pairs, Some(&cookie)).await
        }
    };

    let body = refused(decline("  ").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(body["details"]["errors"], json!(["/reason: 1–1000 characters"]));
    let declined = decline("  Away that week ").await;
    assert_eq!(declined.status(), 200);
    let declined = json(declined).await;
    assert_eq!(declined["reason"], "Away that week");
    assert_eq!(declined["invitation_id"], job.invitation_id.as_str());

    // The agent hears of it: the event, with the reason, and an email.
    let events = json(app.get_as(&job.key, "/v1/events?limit=100").await).await;
    let event = events["data"].as_array().unwrap().iter().find(|e| e["type"] == "quote.declined").cloned();
    let event = event.expect("a quote.declined event");
    assert_eq!(event["data"]["reason"], "Away that week");
    assert_eq!(event["data"]["talent_id"], job.talent_id.as_str());
    app.drain_mail().await;
    let mail = app.mails().into_iter().find(|m| m.subject.starts_with("Declined: Ana Photo")).expect("a decline mail");
    assert_eq!(mail.to, OWNER);
    assert_eq!(mail.detail("Reason").as_deref(), Some("Away that week"));

    // No quote after it, from the portal or /v1; no second decline.
    let quote = call(
        &app,
        "quote",
        &[("invitation_id", &job.invitation_id), ("amount", "250"), ("message", "Changed my mind")],
        Some(&cookie),
    )
    .await;
    let body = refused(quote, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["message"], "You declined this invitation");
    let quote = app
        .post_as(
            &job.talent_token,
            &format!("/v1/talent/{}/quote", job.talent_id),
            &json!({"task_id": job.task_id, "amount": 250, "message": "Changed my mind"}),
        )
        .await;
    assert_eq!(assert_error(quote, 403, "POLICY_BLOCKED").await["error"]["details"]["current_status"], "declined");
    let again = decline_v1(&app, &job.talent_token, &job, "Still away").await;
    assert_eq!(
        assert_error(again, 403, "POLICY_BLOCKED").await["error"]["message"],
        "You already declined this invitation"
    );
    let home = json(call(&app, "home", &[], Some(&cookie)).await).await;
    assert_eq!(home["invitations"][0]["decline_reason"], "Away that week");
}

#[tokio::test]
async fn only_the_invited_talent_declines_and_not_after_quoting() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    // Another talent's token, and a principal's key, are refused.
    let (_, other_token) = new_talent(&app, &job.key, json!({"name": "Bo Video"})).await;
    assert_error(decline_v1(&app, &other_token, &job, "Not mine").await, 401, "AUTH_SCOPE_DENIED").await;
    assert_error(decline_v1(&app, &job.key, &job, "Not a talent").await, 401, "AUTH_SCOPE_DENIED").await;
    let unknown = app
        .post_as(
            &job.talent_token,
            &format!("/v1/talent/{}/decline", job.talent_id),
            &json!({"task_id": "tsk_missing", "reason": "?"}),
        )
        .await;
    assert_error(unknown, 404, "NOT_FOUND").await;
    let extra = app
        .post_as(
            &job.talent_token,
            &format!("/v1/talent/{}/decline", job.talent_id),
            &json!({"task_id": job.task_id, "reason": "x", "mood": "grumpy"}),
        )
        .await;
    assert_error(extra, 400, "SCHEMA_VALIDATION_FAILED").await;

    let quote = app
        .post_as(
            &job.talent_token,
            &format!("/v1/talent/{}/quote", job.talent_id),
            &json!({"task_id": job.task_id, "amount": 250, "message": "On it"}),
        )
        .await;
    assert_eq!(quote.status(), 201);
    let late = decline_v1(&app, &job.talent_token, &job, "Too late").await;
    let body = assert_error(late, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "pending");
}

const ROUNDS: usize = 10;
const NO_LIMITS: [(&str, &str); 3] = crate::money::NO_LIMITS;

/// A decline and a quote on one invitation, sent at once, `ROUNDS` times on fresh tasks: each
/// round exactly one of them stands, and the invitation is either declined or quoted.
async fn race(app: &TestApp, targets: [&str; 2]) {
    let job = invited(app).await;
    let mut doubles = Vec::new();
    for n in 0..ROUNDS {
        let task = app.create_task(&job.key, &shop_task(10)).await;
        let task_id = task["id"].as_str().unwrap().to_owned();
        let r = app
            .post_as(&job.key, &format!("/v1/tasks/{task_id}/quote_requests"), &json!({"talent_ids": [job.talent_id]}))
            .await;
        assert_eq!(r.status(), 201);
        let send = |base: &str, what: &str| {
            let url = format!("{base}/v1/talent/{}/{what}", job.talent_id);
            let body = if what == "quote" {
                json!({"task_id": task_id, "amount": 250, "message": "Racing"})
            } else {
                json!({"task_id": task_id, "reason": "Racing"})
            };
            let request = app.client.post(url).bearer_auth(&job.talent_token).json(&body);
            async move {
                let response = request.send().await.unwrap();
                (response.status().as_u16(), json(response).await)
            }
        };
        let (first, second) = if n % 2 == 0 { ("quote", "decline") } else { ("decline", "quote") };
        let ((s1, b1), (s2, b2)) = tokio::join!(send(targets[0], first), send(targets[1], second));
        for (status, body) in [(s1, &b1), (s2, &b2)] {
            assert!((200..300).contains(&status) || status == 403, "round {n}: {status} {body}");
        }
        let quotes = app.scalar("SELECT COUNT(*) FROM quotes WHERE task_id = ?", vec![task_id.clone().into()]).await;
        let declined = app
            .scalar(
                "SELECT COUNT(*) FROM quote_requests WHERE task_id = ? AND declined_at IS NOT NULL",
                vec![task_id.clone().into()],
            )
            .await;
        let winners = [s1, s2].iter().filter(|s| (200..300).contains(*s)).count();
        if winners != 1 || quotes + declined != 1 {
            doubles.push(format!("round {n}: {s1} {b1} / {s2} {b2}; {quotes} quotes, {declined} declined"));
        }
    }
    assert!(doubles.is_empty(), "a decline and a quote both stood: {doubles:#?}");
}

#[tokio::test]
async fn a_decline_and_a_quote_racing_on_one_invitation_have_one_winner() {
    let app = spawn_app_with(&NO_LIMITS).await;
    race(&app, [&app.address, &app.address]).await;
}

#[tokio::test]
async fn a_decline_and_a_quote_racing_across_two_server_processes_on_postgresql_have_one_winner() {
    let app = spawn_app_with(&NO_LIMITS).await;
    if app.backend != "postgres" {
        // Several processes share one PostgreSQL; the PostgreSQL suite runs this test.
        return;
    }
    let (one, two) = tokio::join!(spawn_process(&app, &NO_LIMITS), spawn_process(&app, &NO_LIMITS));
    race(&app, [&one.address, &two.address]).await;
}
