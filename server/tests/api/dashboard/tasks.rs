//! A task as its owner steers it from the dashboard: quotes side by side, accept and book
//! through the same services as `/v1`, the timeline, and nothing of anyone else's.

use super::{call, sign_in};
use crate::helpers::{json, spawn_app};
use crate::marketplace::scene;
use crate::portal::refused;
use serde_json::json;

#[tokio::test]
async fn the_owner_accepts_and_books_from_the_task_page_and_sees_what_happened() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let quote = json(s.quote(&app, 250).await).await;
    let quote_id = quote["id"].as_str().unwrap();
    let cookie = sign_in(&app, "Scene Agent").await;

    let page = json(call(&app, "task", &[("task_id", &s.task_id)], Some(&cookie)).await).await;
    assert_eq!(page["task"]["status"], "quoted");
    assert_eq!(page["quotes"][0]["quote"]["id"], quote_id);
    assert_eq!(page["quotes"][0]["quote"]["amount"], 250);
    // Ana lives at (43.25, -79.87), about 1.1 km from the shop.
    let km = page["quotes"][0]["distance_km"].as_f64().unwrap();
    assert!((1.0..1.3).contains(&km), "{km}");
    assert_eq!(page["card_on_file"], true);
    assert_eq!(page["booking"], serde_json::Value::Null);
    // What the page offers follows the rules: a pending quote can be accepted, not yet booked.
    assert_eq!(
        (page["quotes"][0]["can_accept"].clone(), page["quotes"][0]["can_book"].clone()),
        (json!(true), json!(false))
    );

    let accepted = call(&app, "money/quotes/accept", &[("quote_id", quote_id)], Some(&cookie)).await;
    assert_eq!(accepted.status(), 200);
    // Accepted once: the second answer is the API's own refusal.
    let twice = call(&app, "money/quotes/accept", &[("quote_id", quote_id)], Some(&cookie)).await;
    let refusal = refused(twice, 403, "POLICY_BLOCKED").await;
    assert_eq!(refusal["details"]["current_status"], "accepted");

    let page = json(call(&app, "task", &[("task_id", &s.task_id)], Some(&cookie)).await).await;
    assert_eq!(
        (page["quotes"][0]["can_accept"].clone(), page["quotes"][0]["can_book"].clone()),
        (json!(false), json!(true))
    );
    let booked = call(&app, "money/bookings", &[("quote_id", quote_id)], Some(&cookie)).await;
    assert_eq!(booked.status(), 200);
    let booking = json(booked).await;
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["escrow_held"], 250);
    // Booking the same quote again answers the same booking.
    let again = json(call(&app, "money/bookings", &[("quote_id", quote_id)], Some(&cookie)).await).await;
    assert_eq!(again["id"], booking["id"]);

    app.workers.drain_webhooks().await.unwrap();
    let page = json(call(&app, "task", &[("task_id", &s.task_id)], Some(&cookie)).await).await;
    assert_eq!(page["task"]["status"], "booked");
    assert_eq!(page["booking"]["id"], booking["id"]);
    assert_eq!(page["quotes"][0]["can_book"], false, "a confirmed booking holds the quote");
    let timeline: Vec<&str> =
        page["timeline"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(timeline, ["task.created", "quote.requested", "quote.received", "booking.confirmed"]);
    // Beside the events, the audit rows of the same records: who did each thing.
    let audited: Vec<(&str, &str)> = page["audit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["action"].as_str().unwrap(), a["actor_type"].as_str().unwrap()))
        .collect();
    for expected in [("task.created", "api_key"), ("quote.accepted", "principal"), ("booking.confirmed", "principal")] {
        assert!(audited.contains(&expected), "{expected:?} in {audited:?}");
    }
    let ours = [s.task_id.as_str(), quote_id, booking["id"].as_str().unwrap()];
    assert!(
        page["audit"].as_array().unwrap().iter().all(|a| ours.contains(&a["entity_id"].as_str().unwrap())),
        "{}",
        page["audit"]
    );
    // The accept and the booking are the owner's, in the audit log, not a key's.
    let audit = json(app.get_as(&s.key, &format!("/v1/audit?entity_type=quote&entity_id={quote_id}")).await).await;
    let accept = audit["data"].as_array().unwrap().iter().find(|r| r["action"] == "quote.accepted").expect("audited");
    assert_eq!(accept["actor_type"], "principal", "{accept}");
}

#[tokio::test]
async fn an_owner_cannot_see_or_act_on_another_accounts_task() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let quote = json(s.quote(&app, 250).await).await;
    let quote_id = quote["id"].as_str().unwrap();
    app.signup("Other Owner").await;
    let other = sign_in(&app, "Other Owner").await;

    refused(call(&app, "task", &[("task_id", &s.task_id)], Some(&other)).await, 404, "NOT_FOUND").await;
    refused(call(&app, "money/quotes/accept", &[("quote_id", quote_id)], Some(&other)).await, 404, "NOT_FOUND").await;
    let overview = json(call(&app, "overview", &[], Some(&other)).await).await;
    assert_eq!(overview["total"], 0);
    assert_eq!(overview["tasks"], serde_json::json!([]));
    // Signed out, nothing.
    refused(call(&app, "task", &[("task_id", &s.task_id)], None).await, 401, "AUTH_SCOPE_DENIED").await;
}
