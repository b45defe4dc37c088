//! Bookings: escrow, check-in rules, cancellation, and the ledger after each path.

use super::{SHOP, scene};
use crate::helpers::{assert_error, json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn cancelling_before_checkin_releases_everything() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 300).await;
    let id = booking["id"].as_str().unwrap();
    let r = app.post_as(&s.key, &format!("/v1/bookings/{id}/cancel"), &json!({"reason": "plans changed"})).await;
    assert_eq!(r.status(), 200);
    let cancelled = json(r).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["escrow_held"], 0);
    assert_eq!(cancelled["cancellation"]["released"], 300);
    assert_eq!(cancelled["cancellation"]["show_up_fee"], 0);
    app.assert_money_books_agree().await;
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", s.task_id)).await).await;
    assert_eq!(task["status"], "cancelled");

    // A cancelled booking stays cancelled.
    let again = app.post_as(&s.key, &format!("/v1/bookings/{id}/cancel"), &json!({})).await;
    let body = assert_error(again, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "cancelled");
}

#[tokio::test]
async fn cancelling_after_checkin_pays_the_templates_show_up_share() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 299).await;
    let id = booking["id"].as_str().unwrap();
    assert_eq!(s.checkin(&app, id, SHOP.0, SHOP.1, 8.0).await.status(), 200);
    // The cancel body is optional.
    let response =
        app.client.post(app.url(&format!("/v1/bookings/{id}/cancel"))).bearer_auth(&s.key).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let cancelled = json(response).await;
    // PRODUCT_PHOTO_ECOMM: 25 % for showing up, rounded down to the cent.
    let template = json(app.get("/v1/templates/PRODUCT_PHOTO_ECOMM").await).await;
    assert_eq!(template["rules"]["show_up_share_pct"], 25);
    assert_eq!(cancelled["cancellation"]["show_up_fee_cents"], 29_900 * 25 / 100);
    assert_eq!(cancelled["cancellation"]["released_cents"], 29_900 - 29_900 * 25 / 100);
    app.assert_money_books_agree().await;
    // The show-up fee is paid out at once: owed, then in transit to the talent's account.
    let balance = |account: String| {
        let app = &app;
        async move {
            app.scalar(
                "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE account = ?",
                vec![account.into()],
            )
            .await
        }
    };
    assert_eq!(balance(format!("talent:{}:payable", s.talent_id)).await, 0);
    assert_eq!(balance("gateway:payouts_in_transit".into()).await, 7_475);
    assert!(app.event_types().await.contains(&"payout.initiated".to_owned()));
    app.assert_money_invariants(id).await;
    app.assert_gateway_agrees(id).await;
}

#[tokio::test]
async fn no_card_is_402_and_a_declined_card_can_be_replaced() {
    let app = spawn_app().await;
    let s = scene(&app, None).await;
    let quote_id = s.accepted_quote(&app, 250).await;
    let body =
        assert_error(app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote_id})).await, 402, "ESCROW_REQUIRED")
            .await;
    assert!(body["error"]["message"].as_str().unwrap().contains("/v1/billing/setup"));

    app.post_as(&s.key, "/v1/test_helpers/billing/attach_card", &json!({"card": "decline"})).await;
    let body =
        assert_error(app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote_id})).await, 402, "ESCROW_REQUIRED")
            .await;
    assert_eq!(body["error"]["details"]["decline_code"], "card_declined");
    let booking_id = body["error"]["details"]["booking_id"].as_str().unwrap().to_owned();
    let pending = json(app.get_as(&s.key, &format!("/v1/bookings/{booking_id}")).await).await;
    assert_eq!(pending["status"], "pending_escrow");
    assert!(pending["last_payment_error"].as_str().unwrap().starts_with("card_declined"));
    assert_eq!(pending["escrow_held"], 0);

    app.post_as(&s.key, "/v1/test_helpers/billing/attach_card", &json!({"card": "ok"})).await;
    let retried = app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote_id})).await;
    assert_eq!(retried.status(), 201);
    let booking = json(retried).await;
    assert_eq!(booking["id"], booking_id.as_str(), "the same booking, now confirmed");
    assert_eq!(booking["status"], "confirmed");
    app.assert_money_books_agree().await;
}

#[tokio::test]
async fn the_spend_cap_blocks_and_records_an_event() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let cap = app
        .client
        .put(app.url("/v1/billing/spend_cap"))
        .bearer_auth(&s.key)
        .json(&json!({"monthly_cap": 200, "currency": "CAD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(cap.status(), 200);
    let quote_id = s.accepted_quote(&app, 250).await;
    let body =
        assert_error(app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote_id})).await, 403, "POLICY_BLOCKED")
            .await;
    assert_eq!(body["error"]["details"]["current_status"], "spend_cap_exceeded");
    assert_eq!(body["error"]["details"]["monthly_cap"], 200);
    assert!(app.event_types().await.contains(&"task.policy_blocked".to_owned()));

    // Raised, the same quote books.
    app.client
        .put(app.url("/v1/billing/spend_cap"))
        .bearer_auth(&s.key)
        .json(&json!({"monthly_cap": 1000, "currency": "CAD"}))
        .send()
        .await
        .unwrap();
    assert_eq!(app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote_id})).await.status(), 201);
    let cap = json(app.get_as(&s.key, "/v1/billing/spend_cap").await).await;
    assert_eq!(cap["month_to_date"], 250);
    assert_eq!(cap["remaining"], 750);
}

#[tokio::test]
async fn checkins_outside_the_radius_are_unverified_or_refused() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 300).await;
    let id = booking["id"].as_str().unwrap();
    // About 1.1 km north: recorded, unverified, with the distance.
    let response = s.checkin(&app, id, SHOP.0 + 0.01, SHOP.1, 10.0).await;
    assert_eq!(response.status(), 200);
    let checked = json(response).await;
    assert_eq!(checked["checkin"]["verified"], false);
    assert!(checked["checkin"]["distance_m"].as_f64().unwrap() > 1000.0);
    assert!(checked["checkin"]["note"].as_str().unwrap().contains("outside"));

    // Twice is not allowed.
    let body = assert_error(s.checkin(&app, id, SHOP.0, SHOP.1, 10.0).await, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "in_progress");
}

#[tokio::test]
async fn proof_of_place_templates_refuse_far_checkins_and_windows_are_enforced() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let start = (chrono::Utc::now() + chrono::Duration::days(5)).format("%Y-%m-%dT15:00:00Z").to_string();
    let audit = app
        .create_task(
            &s.key,
            &json!({
                "task_type": "RETAIL_AUDIT_PHOTO_CHECK",
                "title": "Endcap audit",
                "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON", "lat": SHOP.0, "lng": SHOP.1},
                "schedule": {"start_at": start, "duration_hours": 1},
                "budget": {"currency": "CAD", "max_total": 80},
                "task_spec": {"store_name": "Corner shop", "checklist": [{"item": "Endcap"}]}
            }),
        )
        .await;
    let task_id = audit["id"].as_str().unwrap();
    app.post_as(&s.key, &format!("/v1/tasks/{task_id}/quote_requests"), &json!({"talent_ids": [s.talent_id]})).await;
    let quote = json(
        app.post_as(
            &s.talent_token,
            &format!("/v1/talent/{}/quote", s.talent_id),
            &json!({"task_id": task_id, "amount": 80, "message": "ok"}),
        )
        .await,
    )
    .await;
    let quote_id = quote["id"].as_str().unwrap();
    app.post_as(&s.key, &format!("/v1/quotes/{quote_id}/accept"), &json!({})).await;
    let booking = json(app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote_id})).await).await;
    let id = booking["id"].as_str().unwrap();
    let checkin = |lat: f64, at: &str| {
        let path = format!("/v1/bookings/{id}/checkin");
        let body = json!({"lat": lat, "lng": SHOP.1, "accuracy_m": 5, "at": at});
        let (app, token) = (&app, &s.talent_token);
        async move { app.post_as(token, &path, &body).await }
    };

    let far = assert_error(checkin(SHOP.0 + 0.01, &start).await, 403, "POLICY_BLOCKED").await;
    assert_eq!(far["error"]["details"]["radius_m"], 100);
    assert!(far["error"]["details"]["distance_m"].as_f64().unwrap() > 1000.0);
    let early = (chrono::DateTime::parse_from_rfc3339(&start).unwrap() - chrono::Duration::hours(5)).to_rfc3339();
    let body = assert_error(checkin(SHOP.0, &early).await, 403, "POLICY_BLOCKED").await;
    assert!(body["error"]["details"]["window_start"].is_string());
    let ok = checkin(SHOP.0, &start).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(json(ok).await["checkin"]["verified"], true);

    let bad = app
        .post_as(
            &s.talent_token,
            &format!("/v1/bookings/{id}/checkin"),
            &json!({"lat": 100, "lng": 0, "accuracy_m": -1}),
        )
        .await;
    assert_error(bad, 400, "SCHEMA_VALIDATION_FAILED").await;
}
