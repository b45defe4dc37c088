//! Invitations and quotes: who may quote, on what, for how much.

use super::{new_talent, scene};
use crate::helpers::{assert_error, json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn only_invited_talent_quote_and_only_once() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    // Not invited yet.
    let body = assert_error(s.quote(&app, 250).await, 401, "AUTH_SCOPE_DENIED").await;
    assert!(body["error"]["message"].as_str().unwrap().contains("not invited"));

    let first = s.invite(&app).await;
    assert_eq!(first["invited"].as_array().unwrap().len(), 1);
    // Nobody is invited twice.
    let second = s.invite(&app).await;
    assert!(second["invited"].as_array().unwrap().is_empty());
    assert_eq!(second["skipped"][0]["reason"], "already_invited");

    assert_eq!(s.quote(&app, 250).await.status(), 201);
    let body = assert_error(s.quote(&app, 240).await, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "pending");
}

#[tokio::test]
async fn quotes_above_the_budget_need_a_template_that_takes_counter_offers() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let body = assert_error(s.quote(&app, 301).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(crate::helpers::error_list(&body)[0].contains("no counter-offers"), "{body}");
    for bad in [json!(0), json!(-5), json!(12.5), json!("250")] {
        let r = app
            .post_as(
                &s.talent_token,
                &format!("/v1/talent/{}/quote", s.talent_id),
                &json!({"task_id": s.task_id, "amount": bad, "message": "x"}),
            )
            .await;
        assert_error(r, 400, "SCHEMA_VALIDATION_FAILED").await;
    }

    // EVENT_PHOTO_COVERAGE takes counter-offers up to 150 % of the budget.
    let start = (chrono::Utc::now() + chrono::Duration::days(4)).to_rfc3339();
    let event = app
        .create_task(
            &s.key,
            &json!({
                "task_type": "EVENT_PHOTO_COVERAGE", "title": "Launch party",
                "location": {"mode": "onsite", "address": "1 James St S, Hamilton ON"},
                "schedule": {"start_at": start, "duration_hours": 3},
                "budget": {"currency": "CAD", "max_total": 400},
                "task_spec": {"event_name": "Launch", "edited_selects": 40}
            }),
        )
        .await;
    let event_id = event["id"].as_str().unwrap();
    app.post_as(&s.key, &format!("/v1/tasks/{event_id}/quote_requests"), &json!({"talent_ids": [s.talent_id]})).await;
    let quote = |amount: i64| {
        let path = format!("/v1/talent/{}/quote", s.talent_id);
        let body = json!({"task_id": event_id, "amount": amount, "message": "Counter"});
        let (app, token) = (&app, &s.talent_token);
        async move { app.post_as(token, &path, &body).await }
    };
    assert_error(quote(601).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(quote(600).await.status(), 201);
}

#[tokio::test]
async fn tokens_act_only_as_their_owner() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let (other_id, other_token) = new_talent(&app, &s.key, json!({"name": "Other"})).await;

    // A talent token for another talent's id.
    let r = app
        .post_as(
            &other_token,
            &format!("/v1/talent/{}/quote", s.talent_id),
            &json!({"task_id": s.task_id, "amount": 200, "message": "x"}),
        )
        .await;
    assert_error(r, 401, "AUTH_SCOPE_DENIED").await;
    // An API key on a talent endpoint, a talent token on principal endpoints.
    let r = app
        .post_as(
            &s.key,
            &format!("/v1/talent/{other_id}/quote"),
            &json!({"task_id": s.task_id, "amount": 200, "message": "x"}),
        )
        .await;
    assert_error(r, 401, "AUTH_SCOPE_DENIED").await;
    for path in ["/v1/tasks", "/v1/billing/status", "/v1/talent/search"] {
        assert_error(app.get_as(&s.talent_token, path).await, 401, "AUTH_SCOPE_DENIED").await;
    }
    assert_error(
        app.post_as(&s.talent_token, "/v1/bookings", &json!({"quote_id": "quo_x"})).await,
        401,
        "AUTH_SCOPE_DENIED",
    )
    .await;

    // Another principal sees none of it.
    let (_, stranger) = app.signup("Stranger").await;
    assert_error(app.get_as(&stranger, &format!("/v1/tasks/{}/quotes", s.task_id)).await, 404, "NOT_FOUND").await;
    let r = app.post_as(&stranger, &format!("/v1/tasks/{}/quote_requests", s.task_id), &json!({})).await;
    assert_error(r, 404, "NOT_FOUND").await;
    let r = app
        .post_as(&stranger, &format!("/v1/tasks/{}/quote_requests", s.task_id), &json!({"talent_ids": ["tal_x"]}))
        .await;
    assert_error(r, 404, "NOT_FOUND").await;
}

#[tokio::test]
async fn accepting_rejects_the_rest_and_expired_quotes_cannot_be_accepted() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let (second_id, second_token) = new_talent(&app, &s.key, json!({"name": "Second"})).await;
    let (third_id, third_token) = new_talent(&app, &s.key, json!({"name": "Third"})).await;
    app.post_as(
        &s.key,
        &format!("/v1/tasks/{}/quote_requests", s.task_id),
        &json!({"talent_ids": [s.talent_id, second_id, third_id]}),
    )
    .await;
    let q = |token: &str, id: &str, amount: i64| {
        let path = format!("/v1/talent/{id}/quote");
        let body = json!({"task_id": s.task_id, "amount": amount, "message": "m"});
        let (app, token) = (&app, token.to_owned());
        async move { app.post_as(&token, &path, &body).await }
    };
    let first = json(q(&s.talent_token, &s.talent_id, 250).await).await;
    let second = json(q(&second_token, &second_id, 260).await).await;
    let third = json(q(&third_token, &third_id, 270).await).await;

    // The third quote's time runs out (as if 72 hours passed).
    let third_id_q = third["id"].as_str().unwrap();
    sea_orm::ConnectionTrait::execute(
        &app.db,
        sea_orm::Statement::from_sql_and_values(
            sea_orm::ConnectionTrait::get_database_backend(&app.db),
            if app.backend == "postgres" {
                "UPDATE quotes SET expires_at = $1 WHERE id = $2"
            } else {
                "UPDATE quotes SET expires_at = ? WHERE id = ?"
            },
            [(chrono::Utc::now() - chrono::Duration::minutes(1)).into(), third_id_q.into()],
        ),
    )
    .await
    .unwrap();
    let body = assert_error(
        app.post_as(&s.key, &format!("/v1/quotes/{third_id_q}/accept"), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_status"], "expired");

    let accepted =
        json(app.post_as(&s.key, &format!("/v1/quotes/{}/accept", first["id"].as_str().unwrap()), &json!({})).await)
            .await;
    assert_eq!(accepted["rejected_quote_ids"], json!([second["id"]]));
    let list = json(app.get_as(&s.key, &format!("/v1/tasks/{}/quotes", s.task_id)).await).await;
    let statuses: Vec<&str> = list["data"].as_array().unwrap().iter().map(|q| q["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, vec!["accepted", "rejected", "expired"]);

    let body = assert_error(
        app.post_as(&s.key, &format!("/v1/quotes/{}/accept", second["id"].as_str().unwrap()), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_status"], "rejected");
    // Booking a quote that is not accepted is refused.
    let body = assert_error(
        app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": second["id"]})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_status"], "rejected");
    // A quote on a task that took one is refused too.
    let (late_id, late_token) = new_talent(&app, &s.key, json!({"name": "Late"})).await;
    let r = app
        .post_as(&s.key, &format!("/v1/tasks/{}/quote_requests", s.task_id), &json!({"talent_ids": [late_id]}))
        .await;
    assert_error(r, 403, "POLICY_BLOCKED").await;
    let _ = late_token;
}
