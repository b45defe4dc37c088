//! The work on a booking as its owner reviews it from the task page: the delivery with its
//! thumbnails, QA's report, and the decisions (accept with an override, request changes, open
//! and resolve a dispute, cancel), each through the same service as `/v1` and refused with the
//! API's own message when the state does not allow it.

use super::{call, sign_in};
use crate::delivery::{deliver, photo_job, upload};
use crate::fixtures;
use crate::helpers::{TestApp, json, spawn_app};
use crate::marketplace::{Scene, scene};
use crate::portal::refused;
use serde_json::{Value, json};

/// Delivers three photos, the last one blurred (QA fails it), and lets the worker run QA.
async fn blurred_delivery(app: &TestApp, s: &Scene, wo: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for seed in 1..=3 {
        let photo = fixtures::product_on_white(2000, 1600, seed);
        let photo = if seed == 3 { fixtures::blurred(&photo) } else { photo };
        ids.push(upload(app, &s.talent_token, wo, &format!("p{seed}.jpg"), "image/jpeg", fixtures::jpeg(&photo)).await);
    }
    assert_eq!(deliver(app, s, wo, "photo", &ids).await.status(), 201);
    app.drain_work().await;
    ids
}

async fn page(app: &TestApp, s: &Scene, cookie: &str) -> Value {
    let response = call(app, "task", &[("task_id", &s.task_id)], Some(cookie)).await;
    assert_eq!(response.status(), 200);
    json(response).await
}

/// What the page offers: accept, override needed, request changes, open dispute, resolve, cancel.
fn offers(page: &Value) -> [bool; 6] {
    let w = &page["work"];
    [
        w["can_accept"].as_bool().unwrap(),
        w["needs_override"].as_bool().unwrap(),
        w["can_request_changes"].as_bool().unwrap(),
        w["can_open_dispute"].as_bool().unwrap(),
        w["can_resolve_dispute"].as_bool().unwrap(),
        page["can_cancel"].as_bool().unwrap(),
    ]
}

#[tokio::test]
async fn the_owner_sees_the_gallery_and_qa_and_accepts_failed_work_only_with_the_override() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let cookie = sign_in(&app, "Scene Agent").await;
    let before = page(&app, &s, &cookie).await;
    assert_eq!(before["work"]["work_order"]["status"], "awaiting_delivery");
    assert_eq!(before["work"]["qa"], Value::Null);
    // Before delivery: nothing to accept, the booking can still be cancelled.
    assert_eq!(offers(&before), [false, false, false, true, false, true]);

    let ids = blurred_delivery(&app, &s, &wo).await;
    let p = page(&app, &s, &cookie).await;
    let shown: Vec<&str> = p["work"]["work_order"]["deliverables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(shown, ids);
    assert_eq!(p["work"]["qa"]["status"], "failed");
    let failed: Vec<&Value> =
        p["work"]["qa"]["checks"].as_array().unwrap().iter().filter(|c| c["passed"] == false).collect();
    assert!(failed.iter().any(|c| c["name"] == "blur"), "{failed:?}");
    assert!(
        p["work"]["checks"].as_array().unwrap().iter().any(|t| t["name"] == "blur" && t["description"].is_string())
    );
    // Delivered work cannot be cancelled; failed work is accepted only with the override.
    assert_eq!(offers(&p), [true, true, true, true, false, false]);

    // The gallery's thumbnails, for this owner's session: small JPEGs, not the photo.
    let thumbnail = app
        .client
        .get(app.url(&format!("/v1/files/{}/thumbnail", ids[0])))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), 200);
    assert_eq!(thumbnail.headers()["content-type"], "image/jpeg");
    let small = image::load_from_memory(&thumbnail.bytes().await.unwrap()).unwrap();
    assert_eq!((small.width(), small.height()), (320, 256));
    // The full size opens through the signed link, without the session.
    let link = p["work"]["work_order"]["deliverables"][0]["file"]["download_url"].as_str().unwrap();
    let full = app.client.get(link).send().await.unwrap();
    assert_eq!(full.status(), 200);
    assert_eq!(image::load_from_memory(&full.bytes().await.unwrap()).unwrap().width(), 2000);

    let accept = |r#override: Option<&'static str>| {
        let mut form = vec![("work_order_id", wo.clone())];
        if let Some(o) = r#override {
            form.push(("override", o.to_owned()));
        }
        form
    };
    let form = accept(None);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let without =
        refused(call(&app, "money/work_orders/accept", &form, Some(&cookie)).await, 403, "POLICY_BLOCKED").await;
    assert!(without["message"].as_str().unwrap().starts_with("QA failed"), "{without}");
    assert_eq!(page(&app, &s, &cookie).await["work"]["work_order"]["status"], "qa_failed", "nothing was paid");

    let form = accept(Some("true"));
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let accepted = call(&app, "money/work_orders/accept", &form, Some(&cookie)).await;
    assert_eq!(accepted.status(), 200);
    assert_eq!(json(accepted).await["settlement"]["talent_payout_cents"], 21_250);
    let p = page(&app, &s, &cookie).await;
    assert_eq!(p["task"]["status"], "accepted");
    assert_eq!(p["work"]["work_order"]["status"], "accepted");
    assert_eq!(offers(&p), [false, true, false, false, false, false]);
    // Once: the stale page's form gets the API's refusal.
    refused(call(&app, "money/work_orders/accept", &form, Some(&cookie)).await, 403, "POLICY_BLOCKED").await;
    let audit = json(app.get_as(&s.key, &format!("/v1/audit?entity_type=work_order&entity_id={wo}")).await).await;
    let row = audit["data"].as_array().unwrap().iter().find(|r| r["action"] == "work_order.accepted").expect("audited");
    assert_eq!(row["actor_type"], "principal", "the owner, not a key: {row}");
    app.assert_money_books_agree().await;
}

#[tokio::test]
async fn changes_name_the_checks_chosen_and_a_dispute_is_opened_and_resolved_from_the_page() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let cookie = sign_in(&app, "Scene Agent").await;
    blurred_delivery(&app, &s, &wo).await;

    // A blank reason is the API's validation error, about the field.
    let blank = refused(
        call(&app, "work_orders/request_changes", &[("work_order_id", &wo), ("reason", "  ")], Some(&cookie)).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(blank["details"]["errors"][0].as_str().unwrap().starts_with("/reason:"), "{blank}");
    let form = [
        ("work_order_id", wo.as_str()),
        ("reason", "The third photo is soft; reshoot it."),
        ("checks[]", "blur"),
        ("checks[]", "min_resolution"),
    ];
    let changed = call(&app, "work_orders/request_changes", &form, Some(&cookie)).await;
    assert_eq!(changed.status(), 200);
    assert_eq!(json(changed).await["status"], "changes_requested");
    let p = page(&app, &s, &cookie).await;
    assert_eq!(p["work"]["work_order"]["changes_reason"], "The third photo is soft; reshoot it.");
    let events = json(app.get_as(&s.key, "/v1/events?limit=100").await).await;
    let requested = events["data"].as_array().unwrap().iter().find(|e| e["type"] == "work_order.changes_requested");
    assert_eq!(requested.expect("an event")["data"]["checks"], json!(["blur", "min_resolution"]));
    // Sent back: no accepting until the talent delivers again; a dispute is still possible.
    assert_eq!(offers(&p), [false, true, false, true, false, false]);

    let opened = call(
        &app,
        "work_orders/dispute",
        &[("work_order_id", &wo), ("reason", "The talent stopped answering")],
        Some(&cookie),
    )
    .await;
    assert_eq!(opened.status(), 200);
    let dispute_id = json(opened).await["id"].as_str().unwrap().to_owned();
    let p = page(&app, &s, &cookie).await;
    assert_eq!(p["work"]["dispute"]["id"], dispute_id.as_str());
    assert_eq!(p["work"]["dispute"]["status"], "open");
    assert_eq!(offers(&p), [false, true, false, false, true, false]);
    // While it is open the booking cannot be cancelled, even by a stale page.
    let booking_id = p["booking"]["id"].as_str().unwrap();
    let blocked = refused(
        call(&app, "money/bookings/cancel", &[("booking_id", booking_id)], Some(&cookie)).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert!(blocked["message"].as_str().unwrap().contains("dispute is open"), "{blocked}");

    // The share comes from a number field: words in it are the API's validation error.
    let words = refused(
        call(
            &app,
            "money/disputes/resolve",
            &[("dispute_id", &dispute_id), ("outcome", "split"), ("talent_share_pct", "half")],
            Some(&cookie),
        )
        .await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(words["details"]["errors"][0].as_str().unwrap().starts_with("/talent_share_pct:"), "{words}");
    let resolved = call(
        &app,
        "money/disputes/resolve",
        &[("dispute_id", &dispute_id), ("outcome", "split"), ("talent_share_pct", "40")],
        Some(&cookie),
    )
    .await;
    assert_eq!(resolved.status(), 200);
    let p = page(&app, &s, &cookie).await;
    let dispute = &p["work"]["dispute"];
    assert_eq!((dispute["status"].as_str(), dispute["outcome"].as_str()), (Some("resolved"), Some("split")));
    // 40 % of $250 to the talent, the rest back.
    assert_eq!(dispute["settlement"]["captured_cents"], 10_000);
    assert_eq!(dispute["settlement"]["refunded_cents"], 15_000);
    assert_eq!(offers(&p), [false, true, false, false, false, false]);
    app.assert_money_books_agree().await;
}

#[tokio::test]
async fn the_owner_cancels_a_booking_before_check_in_once() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 250).await;
    let booking_id = booking["id"].as_str().unwrap();
    let cookie = sign_in(&app, "Scene Agent").await;
    assert!(offers(&page(&app, &s, &cookie).await)[5], "a confirmed booking can be cancelled");

    // A blank reason is no reason.
    let cancelled =
        call(&app, "money/bookings/cancel", &[("booking_id", booking_id), ("reason", " ")], Some(&cookie)).await;
    assert_eq!(cancelled.status(), 200);
    let cancelled = json(cancelled).await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancellation"]["released"], 250);
    let p = page(&app, &s, &cookie).await;
    assert_eq!(p["booking"]["status"], "cancelled");
    assert_eq!(p["can_cancel"], false);
    assert_eq!(p["work"]["work_order"]["status"], "cancelled");
    let twice = refused(
        call(&app, "money/bookings/cancel", &[("booking_id", booking_id)], Some(&cookie)).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(twice["details"]["current_status"], "cancelled");
}

#[tokio::test]
async fn another_owner_gets_nothing_of_the_work_its_files_or_its_decisions() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let ids = blurred_delivery(&app, &s, &wo).await;
    app.signup("Other Owner").await;
    let other = sign_in(&app, "Other Owner").await;

    let thumbnail = app
        .client
        .get(app.url(&format!("/v1/files/{}/thumbnail", ids[0])))
        .header("cookie", &other)
        .send()
        .await
        .unwrap();
    assert_eq!(thumbnail.status(), 404);
    for (endpoint, form) in [
        ("money/work_orders/accept", vec![("work_order_id", wo.as_str()), ("override", "true")]),
        ("work_orders/request_changes", vec![("work_order_id", wo.as_str()), ("reason", "mine now")]),
        ("work_orders/dispute", vec![("work_order_id", wo.as_str()), ("reason", "mine now")]),
    ] {
        refused(call(&app, endpoint, &form, Some(&other)).await, 404, "NOT_FOUND").await;
    }
    let owner = sign_in(&app, "Scene Agent").await;
    assert_eq!(page(&app, &s, &owner).await["work"]["work_order"]["status"], "qa_failed", "untouched");
}
