//! Money moves exactly once: racing money operations on one booking, the rules that decide
//! who may move it, and a crash between the gateway and the ledger.

mod crash;
mod races;
mod rules;

use crate::delivery::{deliver, good_photos, photo_job, upload};
use crate::helpers::{TestApp, json};
use crate::marketplace::Scene;
use serde_json::json;

/// A photo job whose delivery QA has passed: (scene, booking id, work order id).
pub async fn evaluated_job(app: &TestApp, photos: &[Vec<u8>]) -> (Scene, String, String) {
    let (s, wo) = delivered_job(app, photos).await;
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(report["status"], "passed", "{report}");
    let booking = booking_of(app, &s, &wo).await;
    (s, booking, wo)
}

/// A photo job with one delivery registered and not yet evaluated.
pub async fn delivered_job(app: &TestApp, photos: &[Vec<u8>]) -> (Scene, String) {
    let (s, wo) = photo_job(app).await;
    let ids = upload_photos(app, &s, &wo, photos).await;
    assert_eq!(deliver(app, &s, &wo, "photo", &ids).await.status(), 201);
    (s, wo)
}

pub async fn upload_photos(app: &TestApp, s: &Scene, wo: &str, photos: &[Vec<u8>]) -> Vec<String> {
    let mut ids = Vec::new();
    for (i, bytes) in photos.iter().enumerate() {
        ids.push(upload(app, &s.talent_token, wo, &format!("p{i}.jpg"), "image/jpeg", bytes.clone()).await);
    }
    ids
}

pub async fn booking_of(app: &TestApp, s: &Scene, wo: &str) -> String {
    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    order["booking_id"].as_str().unwrap().to_owned()
}

/// The photos every job here delivers: made once, reused (each job is its own delivery).
pub fn photos() -> Vec<Vec<u8>> {
    good_photos()
}

/// Rate limits out of the way: these tests fire many money requests on one key.
pub const NO_LIMITS: [(&str, &str); 3] = [
    ("HD_RATE_LIMIT_PER_MINUTE", "1000000"),
    ("HD_MONEY_RATE_LIMIT_PER_MINUTE", "1000000"),
    ("HD_SIGNUPS_PER_HOUR", "1000000"),
];

/// The body of a dispute the principal opens.
pub fn dispute_body() -> serde_json::Value {
    json!({"reason": "Not what we asked for"})
}
