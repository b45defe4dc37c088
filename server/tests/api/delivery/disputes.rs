//! Disputes: opened by either side, resolved by the principal, settled through the ledger.

use super::{deliver, good_photos, photo_job, upload};
use crate::helpers::{TestApp, assert_error, json, spawn_app};
use crate::marketplace::Scene;
use serde_json::json;

async fn delivered(app: &TestApp) -> (Scene, String) {
    let (s, wo) = photo_job(app).await;
    let mut ids = Vec::new();
    for (i, bytes) in good_photos().into_iter().enumerate() {
        ids.push(upload(app, &s.talent_token, &wo, &format!("p{i}.jpg"), "image/jpeg", bytes).await);
    }
    deliver(app, &s, &wo, "photo", &ids).await;
    (s, wo)
}

#[tokio::test]
async fn a_split_pays_the_talent_their_share_less_the_fee_and_refunds_the_rest() {
    let app = spawn_app().await;
    let (s, wo) = delivered(&app).await;
    let opened = app
        .post_as(
            &s.talent_token,
            &format!("/v1/work_orders/{wo}/disputes"),
            &json!({"reason": "Client unreachable on site", "evidence": {"notes": "called twice"}}),
        )
        .await;
    assert_eq!(opened.status(), 201);
    let dispute = json(opened).await;
    assert_eq!(dispute["opened_by"], "talent");
    assert_eq!(dispute["status"], "open");
    assert_eq!(json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await["status"], "disputed");
    assert!(app.event_types().await.contains(&"dispute.opened".to_owned()));
    let id = dispute["id"].as_str().unwrap();

    // Another principal cannot resolve it; a split needs a share.
    let (_, stranger) = app.signup("Stranger").await;
    assert_error(
        app.post_as(&stranger, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": "refund"})).await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_error(
        app.post_as(&s.key, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": "split"})).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.post_as(
            &s.key,
            &format!("/v1/disputes/{id}/resolve"),
            &json!({"outcome": "split", "talent_share_pct": 100}),
        )
        .await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert_error(
        app.post_as(
            &s.key,
            &format!("/v1/disputes/{id}/resolve"),
            &json!({"outcome": "refund", "talent_share_pct": 10}),
        )
        .await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;

    let resolved = app
        .post_as(&s.key, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": "split", "talent_share_pct": 60}))
        .await;
    assert_eq!(resolved.status(), 200);
    let resolved = json(resolved).await;
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["outcome"], "split");
    let settlement = &resolved["settlement"];
    assert_eq!(settlement["captured_cents"], 15_000);
    assert_eq!(settlement["platform_fee_cents"], 2_250);
    assert_eq!(settlement["talent_payout_cents"], 12_750);
    assert_eq!(settlement["refunded_cents"], 10_000);
    app.assert_money_books_agree().await;
    let again = assert_error(
        app.post_as(&s.key, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": "refund"})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(again["error"]["details"]["current_status"], "resolved");
}

#[tokio::test]
async fn a_refund_returns_all_but_the_show_up_share_and_a_release_pays_in_full() {
    let app = spawn_app().await;
    // The talent checked in (`photo_job`): a refund still pays PRODUCT_PHOTO_ECOMM's 25 %.
    for (outcome, talent_cents, refund_cents, booking_status) in
        [("refund", 6_250, 18_750, "cancelled"), ("release", 21_250, 0, "completed")]
    {
        let (s, wo) = delivered(&app).await;
        let dispute = json(
            app.post_as(&s.key, &format!("/v1/work_orders/{wo}/disputes"), &json!({"reason": "Not what we asked for"}))
                .await,
        )
        .await;
        assert_eq!(dispute["opened_by"], "principal");
        let id = dispute["id"].as_str().unwrap();
        let resolved =
            json(app.post_as(&s.key, &format!("/v1/disputes/{id}/resolve"), &json!({"outcome": outcome})).await).await;
        assert_eq!(resolved["settlement"]["talent_payout_cents"], talent_cents, "{outcome}");
        assert_eq!(resolved["settlement"]["refunded_cents"], refund_cents, "{outcome}");
        let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
        let booking =
            json(app.get_as(&s.key, &format!("/v1/bookings/{}", order["booking_id"].as_str().unwrap())).await).await;
        assert_eq!(booking["status"], booking_status, "{outcome}");
        app.assert_money_books_agree().await;
        // A settled work order cannot be disputed again.
        let r = app.post_as(&s.key, &format!("/v1/work_orders/{wo}/disputes"), &json!({"reason": "again"})).await;
        assert_error(r, 403, "POLICY_BLOCKED").await;
    }
}
