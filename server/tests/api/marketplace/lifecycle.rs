//! The whole sandbox path, from sign-up to check-in, through HTTP alone.

use super::{SHOP, new_talent};
use crate::helpers::{json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn an_agent_drives_the_sandbox_from_signup_to_checkin() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Lifecycle Agent").await;

    // Talent: one near the shop, one far away; a card.
    let (near_id, near_token) =
        new_talent(&app, &key, json!({"name": "Near Nora", "home_lat": 43.25, "home_lng": -79.87})).await;
    let (far_id, _) = new_talent(&app, &key, json!({"name": "Far Fred", "home_lat": 45.42, "home_lng": -75.69})).await;
    let card = json(app.post_as(&key, "/v1/test_helpers/billing/attach_card", &json!({"card": "ok"})).await).await;
    assert_eq!(card["last4"], "4242");
    let status = json(app.get_as(&key, "/v1/billing/status").await).await;
    assert_eq!(status["has_payment_method"], true);

    // A task at the shop, invitations to the best match.
    let body = super::shop_task(7);
    let start_at = body["schedule"]["start_at"].as_str().unwrap().to_owned();
    let task = app.create_task(&key, &body).await;
    let task_id = task["id"].as_str().unwrap();
    let invited = json(app.post_as(&key, &format!("/v1/tasks/{task_id}/quote_requests"), &json!({})).await).await;
    let invited_ids: Vec<&str> =
        invited["invited"].as_array().unwrap().iter().map(|i| i["talent_id"].as_str().unwrap()).collect();
    assert_eq!(invited_ids, vec![near_id.as_str()], "only the talent within reach");
    assert!(!invited_ids.contains(&far_id.as_str()));

    // The invitation email carries a link to the portal, which shows the task.
    assert_eq!(app.drain_mail().await, 1);
    let mails = app.mails();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].subject.contains("Spring SKU shoot"), "{}", mails[0].subject);
    // A sandbox talent's mail goes to the principal who made the profile.
    assert_eq!(mails[0].to, "lifecycle-agent@agents.example.com");
    assert!(mails[0].html.contains("<table id=\"hd-details\""), "{}", mails[0].html);
    assert_eq!(mails[0].detail("Task ID").as_deref(), Some(task_id));
    let link = mails[0].detail("Send your quote").expect("a portal link");
    assert!(link.starts_with(&app.address) && link.contains("/portal/invitations/qrq_"), "{link}");
    let page = reqwest::get(&link).await.unwrap().text().await.unwrap();
    assert!(page.contains("Spring SKU shoot"), "{page}");

    // The talent quotes; the agent sees it and accepts.
    let quote = app
        .post_as(
            &near_token,
            &format!("/v1/talent/{near_id}/quote"),
            &json!({"task_id": task_id, "amount": 280, "message": "I can do it."}),
        )
        .await;
    assert_eq!(quote.status(), 201);
    let quote = json(quote).await;
    assert_eq!(quote["status"], "pending");
    assert_eq!(quote["amount"], 280);
    let task_now = json(app.get_as(&key, &format!("/v1/tasks/{task_id}")).await).await;
    assert_eq!(task_now["status"], "quoted");
    let quotes = json(app.get_as(&key, &format!("/v1/tasks/{task_id}/quotes")).await).await;
    assert_eq!(quotes["data"][0]["talent_name"], "Near Nora");
    let quote_id = quote["id"].as_str().unwrap();
    let accepted = json(app.post_as(&key, &format!("/v1/quotes/{quote_id}/accept"), &json!({})).await).await;
    assert_eq!(accepted["quote"]["status"], "accepted");

    // Booking: escrow held, work order opened; a second call answers the same booking.
    let response = app.post_as(&key, "/v1/bookings", &json!({"quote_id": quote_id})).await;
    assert_eq!(response.status(), 201);
    let booking = json(response).await;
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["escrow_held"], 280);
    assert!(booking["work_order_id"].as_str().unwrap().starts_with("wo_"));
    let again = app.post_as(&key, "/v1/bookings", &json!({"quote_id": quote_id})).await;
    assert_eq!(again.status(), 200);
    assert_eq!(json(again).await["id"], booking["id"]);
    let booking_id = booking["id"].as_str().unwrap();
    app.assert_money_books_agree().await;

    // Check-in at the shop, at the start time.
    let checkin = app
        .post_as(
            &near_token,
            &format!("/v1/bookings/{booking_id}/checkin"),
            &json!({"lat": SHOP.0 + 0.0002, "lng": SHOP.1, "accuracy_m": 12, "at": start_at}),
        )
        .await;
    assert_eq!(checkin.status(), 200);
    let checked = json(checkin).await;
    assert_eq!(checked["status"], "in_progress");
    assert_eq!(checked["checkin"]["verified"], true);
    assert!(checked["checkin"]["distance_m"].as_f64().unwrap() < 30.0);
    let fetched = json(app.get_as(&key, &format!("/v1/bookings/{booking_id}")).await).await;
    assert_eq!(fetched, checked);
    assert_eq!(json(app.get_as(&key, &format!("/v1/tasks/{task_id}")).await).await["status"], "in_progress");

    assert_eq!(
        app.event_types().await,
        vec!["task.created", "quote.requested", "quote.received", "booking.confirmed", "booking.checkin_recorded"]
    );
    app.assert_money_books_agree().await;

    // Mail for the quote and the booking went out too.
    assert_eq!(app.drain_mail().await, 3);
    let subjects: Vec<String> = app.mails().into_iter().map(|m| m.subject).collect();
    assert!(subjects.contains(&"New quote: Near Nora — $280".to_owned()), "{subjects:?}");
    assert!(subjects.contains(&"🔒 Booking confirmed".to_owned()), "{subjects:?}");
}
