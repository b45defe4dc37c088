//! Who may move a booking's money, and when: the rules the audit found broken.

use super::{NO_LIMITS, booking_of, delivered_job, evaluated_job, photos, upload_photos};
use crate::delivery::deliver;
use crate::helpers::{assert_error, json, spawn_app, spawn_app_with};
use crate::marketplace::{SHOP, scene};
use serde_json::json;

#[tokio::test]
async fn delivered_work_cannot_be_cancelled_to_get_the_escrow_back() {
    let app = spawn_app().await;
    let (s, booking, wo) = evaluated_job(&app, &photos()).await;
    let body = assert_error(
        app.post_as(&s.key, &format!("/v1/bookings/{booking}/cancel"), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_status"], "in_progress", "{body}");
    assert_eq!(body["error"]["details"]["work_order_status"], "qa_passed", "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("delivered"), "{body}");
    let held = json(app.get_as(&s.key, &format!("/v1/bookings/{booking}")).await).await;
    assert_eq!(held["escrow_held"], 250, "the escrow stays held");
    // The principal's ways out are still open: here, acceptance.
    assert_eq!(app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await.status(), 200);
    app.assert_money_invariants(&booking).await;
    app.assert_gateway_agrees(&booking).await;
}

#[tokio::test]
async fn an_open_dispute_blocks_cancellation_and_stays_resolvable() {
    let app = spawn_app().await;
    let (s, booking, wo) = evaluated_job(&app, &photos()).await;
    let dispute = json(
        app.post_as(&s.talent_token, &format!("/v1/work_orders/{wo}/disputes"), &json!({"reason": "Client silent"}))
            .await,
    )
    .await;
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", s.task_id)).await).await;
    assert_eq!(task["status"], "disputed", "an open dispute shows on the task");
    let body = assert_error(
        app.post_as(&s.key, &format!("/v1/bookings/{booking}/cancel"), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert!(body["error"]["message"].as_str().unwrap().contains("dispute"), "{body}");
    let id = dispute["id"].as_str().unwrap();
    let resolved = app.post_as(&s.key, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": "release"})).await;
    assert_eq!(resolved.status(), 200);
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", s.task_id)).await).await;
    assert_eq!(task["status"], "accepted");
    app.assert_money_invariants(&booking).await;
    app.assert_gateway_agrees(&booking).await;
}

#[tokio::test]
async fn a_refund_after_checkin_still_pays_the_show_up_share() {
    let app = spawn_app().await;
    let (s, booking, wo) = evaluated_job(&app, &photos()).await;
    let dispute = json(
        app.post_as(&s.key, &format!("/v1/work_orders/{wo}/disputes"), &json!({"reason": "Wrong products"})).await,
    )
    .await;
    let id = dispute["id"].as_str().unwrap();
    let resolved =
        json(app.post_as(&s.key, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": "refund"})).await).await;
    // PRODUCT_PHOTO_ECOMM pays 25 % for showing up: of $250, $62.50 to the talent.
    assert_eq!(resolved["settlement"]["talent_payout_cents"], 6_250, "{resolved}");
    assert_eq!(resolved["settlement"]["refunded_cents"], 18_750, "{resolved}");
    let b = json(app.get_as(&s.key, &format!("/v1/bookings/{booking}")).await).await;
    assert_eq!(b["status"], "cancelled");
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", s.task_id)).await).await;
    assert_eq!(task["status"], "cancelled");
    app.drain_work().await;
    app.assert_money_invariants(&booking).await;
    app.assert_gateway_agrees(&booking).await;
}

#[tokio::test]
async fn a_late_checkin_does_not_move_a_delivered_task_back() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 250).await;
    let (id, wo) = (booking["id"].as_str().unwrap(), booking["work_order_id"].as_str().unwrap());
    // Delivered before checking in (the talent forgot to check in on arrival).
    let ids = upload_photos(&app, &s, wo, &photos()).await;
    assert_eq!(deliver(&app, &s, wo, "photo", &ids).await.status(), 201);
    assert_eq!(s.checkin(&app, id, SHOP.0, SHOP.1, 5.0).await.status(), 200);
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", s.task_id)).await).await;
    assert_eq!(task["status"], "delivered");
}

#[tokio::test]
async fn acceptance_pays_the_delivery_qa_evaluated_and_an_override_names_it() {
    let app = spawn_app_with(&[NO_LIMITS[0], NO_LIMITS[1], NO_LIMITS[2], ("HD_SANDBOX_LATENCY_MS", "25")]).await;
    let all = photos();
    for round in 0..6 {
        // One photo of three: QA fails, so the principal may override, and the talent may deliver again.
        let (s, wo) = delivered_job(&app, &all[..1]).await;
        let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
        assert_eq!(report["status"], "failed");
        let again = upload_photos(&app, &s, &wo, &all).await;
        let (path, body) = (format!("/v1/work_orders/{wo}/accept"), json!({"override": true}));
        let accept = app.post_as(&s.key, &path, &body);
        let redeliver = deliver(&app, &s, &wo, "photo", &again);
        let (accepted, redelivered) = tokio::join!(accept, redeliver);
        let (accepted_status, redelivered_status) = (accepted.status().as_u16(), redelivered.status().as_u16());
        let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
        if accepted_status == 200 {
            let set = order["delivery_set"].as_i64().unwrap();
            let evaluated = app
                .scalar(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM qa_results WHERE work_order_id = ? AND delivery_set = ?",
                    vec![wo.clone().into(), set.into()],
                )
                .await;
            assert_eq!(evaluated, 1, "round {round}: paid for delivery {set}, which QA never evaluated");
            let audit =
                json(app.get_as(&s.key, &format!("/v1/audit?entity_type=work_order&entity_id={wo}")).await).await;
            let entry =
                audit["data"].as_array().unwrap().iter().find(|e| e["action"] == "work_order.accepted").unwrap();
            assert_eq!(entry["summary"]["delivery_set"], set, "round {round}: {entry}");
            // An override is recorded exactly when the delivery paid for had failed QA (the
            // first one did; the second, when it won the race, passed on its own).
            let failed = app
                .scalar(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM qa_results WHERE work_order_id = ? AND delivery_set = ? \
                     AND status = 'failed'",
                    vec![wo.clone().into(), set.into()],
                )
                .await;
            assert_eq!(entry["summary"]["override"], failed == 1, "round {round}: {entry}");
        } else {
            assert_eq!(accepted_status, 403, "round {round}");
            assert_eq!(redelivered_status, 201, "round {round}");
        }
        app.assert_money_invariants(&booking_of(&app, &s, &wo).await).await;
        app.assert_gateway_agrees(&booking_of(&app, &s, &wo).await).await;
    }
}

#[tokio::test]
async fn a_delivery_after_cancellation_is_refused() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 250).await;
    let (id, wo) = (booking["id"].as_str().unwrap(), booking["work_order_id"].as_str().unwrap().to_owned());
    let ids = upload_photos(&app, &s, &wo, &photos()).await;
    assert_eq!(app.post_as(&s.key, &format!("/v1/bookings/{id}/cancel"), &json!({})).await.status(), 200);
    let refused = assert_error(deliver(&app, &s, &wo, "photo", &ids).await, 403, "POLICY_BLOCKED").await;
    assert_eq!(refused["error"]["details"]["current_status"], "cancelled", "{refused}");
    app.assert_money_invariants(id).await;
    app.assert_gateway_agrees(id).await;
}

#[tokio::test]
async fn a_booking_whose_hold_was_declined_can_be_cancelled_and_its_task_follows() {
    let app = spawn_app().await;
    let s = scene(&app, Some("decline")).await;
    let quote = s.accepted_quote(&app, 250).await;
    let declined =
        assert_error(app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote})).await, 402, "ESCROW_REQUIRED")
            .await;
    let id = declined["error"]["details"]["booking_id"].as_str().unwrap().to_owned();
    let cancelled = app.post_as(&s.key, &format!("/v1/bookings/{id}/cancel"), &json!({})).await;
    assert_eq!(cancelled.status(), 200);
    let cancelled = json(cancelled).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation"]["released"], 0, "nothing was held");
    let task = json(app.get_as(&s.key, &format!("/v1/tasks/{}", s.task_id)).await).await;
    assert_eq!(task["status"], "cancelled");
    app.assert_money_invariants(&id).await;
    app.assert_gateway_agrees(&id).await;
}
