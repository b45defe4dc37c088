//! The end of the lifecycle: files, deliverables, QA, changes, acceptance with payout, disputes.

mod accept;
mod disputes;
mod files;
mod media;
mod qa;
mod tus;

use crate::fixtures;
use crate::helpers::{TestApp, json};
use crate::marketplace::{SHOP, Scene, scene};
use serde_json::{Value, json};

/// A confirmed, checked-in booking of a 3-photo product shoot; returns the scene and the
/// work order id.
pub async fn photo_job(app: &TestApp) -> (Scene, String) {
    photo_job_with(app, json!([{"kind": "photo", "count": 3, "format": "jpeg"}])).await
}

pub async fn photo_job_with(app: &TestApp, deliverables: Value) -> (Scene, String) {
    let s = scene(app, Some("ok")).await;
    // The scene's task asks for the template's default; this one asks for `deliverables`.
    let mut body = crate::marketplace::shop_task(10);
    body["deliverables"] = deliverables;
    body["task_spec"] = json!({"product_count": 1, "background": "white", "angles": ["front"]});
    let task = app.create_task(&s.key, &body).await;
    let s = Scene {
        task_id: task["id"].as_str().unwrap().to_owned(),
        start_at: body["schedule"]["start_at"].as_str().unwrap().to_owned(),
        ..s
    };
    let booking = s.booking(app, 250).await;
    let booking_id = booking["id"].as_str().unwrap();
    assert_eq!(s.checkin(app, booking_id, SHOP.0, SHOP.1, 5.0).await.status(), 200);
    (s, booking["work_order_id"].as_str().unwrap().to_owned())
}

/// Presign and PUT one file; returns its id.
pub async fn upload(
    app: &TestApp,
    token: &str,
    work_order_id: &str,
    name: &str,
    content_type: &str,
    bytes: Vec<u8>,
) -> String {
    let presigned = app
        .post_as(
            token,
            "/v1/files/presign",
            &json!({"filename": name, "content_type": content_type, "size_bytes": bytes.len(), "work_order_id": work_order_id}),
        )
        .await;
    assert_eq!(presigned.status(), 201);
    let presigned = json(presigned).await;
    let put = app
        .client
        .put(presigned["upload_url"].as_str().unwrap())
        .header("content-type", content_type)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = put.status();
    let body = json(put).await;
    assert_eq!(status, 200, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// Registers photos as the talent; returns the response.
pub async fn deliver(
    app: &TestApp,
    s: &Scene,
    work_order_id: &str,
    kind: &str,
    file_ids: &[String],
) -> reqwest::Response {
    app.post_as(
        &s.talent_token,
        &format!("/v1/work_orders/{work_order_id}/deliverables"),
        &json!({"deliverables": [{"kind": kind, "file_ids": file_ids}]}),
    )
    .await
}

/// Three good product photos (2000 px, white background, distinct).
pub fn good_photos() -> Vec<Vec<u8>> {
    (1..=3).map(|seed| fixtures::jpeg(&fixtures::product_on_white(2000, 1600, seed))).collect()
}
