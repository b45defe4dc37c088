//! Accepting work: escrow captured, 85 % to the talent and 15 % fee, to the cent.

use super::{deliver, good_photos, photo_job, upload};
use crate::helpers::{assert_error, json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn the_whole_lifecycle_ends_in_a_payout_that_adds_up() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let mut ids = Vec::new();
    for (i, bytes) in good_photos().into_iter().enumerate() {
        ids.push(upload(&app, &s.talent_token, &wo, &format!("p{i}.jpg"), "image/jpeg", bytes).await);
    }
    deliver(&app, &s, &wo, "photo", &ids).await;
    // Accepting runs QA when it has not run yet.
    let accepted = app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await;
    assert_eq!(accepted.status(), 200);
    let accepted = json(accepted).await;
    let settlement = &accepted["settlement"];
    assert_eq!(settlement["captured_cents"], 25_000);
    assert_eq!(settlement["talent_payout_cents"], 21_250);
    assert_eq!(settlement["platform_fee_cents"], 3_750);
    assert_eq!(settlement["refunded_cents"], 0);
    assert_eq!(settlement["talent_payout"], 212);
    assert_eq!(accepted["work_order"]["status"], "accepted");
    assert!(settlement["payout_id"].as_str().unwrap().starts_with("po_"));

    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    let booking =
        json(app.get_as(&s.key, &format!("/v1/bookings/{}", order["booking_id"].as_str().unwrap())).await).await;
    assert_eq!(booking["status"], "completed");
    assert_eq!(booking["escrow_held"], 0);
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", order["task_id"].as_str().unwrap())).await).await;
    assert_eq!(task["status"], "accepted");
    app.assert_money_books_agree().await;
    let fees = app
        .scalar("SELECT CAST(SUM(amount_cents) AS BIGINT) FROM ledger_entries WHERE account = 'platform:fees'", vec![])
        .await;
    assert_eq!(fees, 3_750);

    let events = app.event_types().await;
    for e in ["deliverable.registered", "qa.completed", "work_order.accepted", "payout.initiated"] {
        assert!(events.contains(&e.to_owned()), "{e} in {events:?}");
    }
    let audit = json(app.get_as(&s.key, &format!("/v1/audit?entity_type=work_order&entity_id={wo}")).await).await;
    assert!(audit["data"].as_array().unwrap().iter().any(|e| e["action"] == "work_order.accepted"));

    // Once.
    let again = assert_error(
        app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(again["error"]["details"]["current_status"], "accepted");
}

#[tokio::test]
async fn failed_qa_can_be_overridden_and_the_override_is_audited() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let one = upload(&app, &s.talent_token, &wo, "only.jpg", "image/jpeg", good_photos().remove(0)).await;
    deliver(&app, &s, &wo, "photo", &[one]).await;
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(report["status"], "failed", "one photo of three");
    let r = app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({"override": true})).await;
    assert_eq!(r.status(), 200);
    let audit = json(app.get_as(&s.key, &format!("/v1/audit?entity_type=work_order&entity_id={wo}")).await).await;
    let entry = audit["data"].as_array().unwrap().iter().find(|e| e["action"] == "work_order.accepted").unwrap();
    assert!(entry["summary"]["qa"].as_str().unwrap().contains("override"), "{entry}");
    app.assert_money_books_agree().await;
}

#[tokio::test]
async fn work_cannot_be_accepted_before_it_is_delivered() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let body = assert_error(
        app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_status"], "awaiting_delivery");
    let fees = json(app.get("/v1/stripe/fees").await).await;
    assert_eq!(fees["platform_fee_pct"], 15);
    assert_eq!(fees["talent_share_pct"], 85);
}
