//! The middle of the lifecycle: talent, quotes, bookings with escrow, check-in.

mod accept_race;
mod billing;
mod bookings;
mod lifecycle;
mod quotes;
mod talent;

use crate::helpers::{TestApp, json};
use serde_json::{Value, json};

/// The task's place: 12 Hess St N, Hamilton ON.
pub const SHOP: (f64, f64) = (43.2595, -79.8753);

/// A principal with a sandbox talent and a card, ready to book.
pub struct Scene {
    pub key: String,
    pub talent_id: String,
    pub talent_token: String,
    pub task_id: String,
    pub start_at: String,
}

/// A photo task at `SHOP`, starting `days` ahead at 16:00 UTC.
pub fn shop_task(days: i64) -> Value {
    let start = (chrono::Utc::now() + chrono::Duration::days(days)).format("%Y-%m-%dT16:00:00Z").to_string();
    json!({
        "task_type": "PRODUCT_PHOTO_ECOMM",
        "title": "Spring SKU shoot",
        "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON", "lat": SHOP.0, "lng": SHOP.1},
        "schedule": {"start_at": start, "duration_hours": 3},
        "budget": {"currency": "CAD", "max_total": 300},
        "task_spec": {"product_count": 10, "background": "white", "angles": ["front", "back", "detail"]}
    })
}

pub async fn new_talent(app: &TestApp, key: &str, body: Value) -> (String, String) {
    let response = app.post_as(key, "/v1/test_helpers/talent", &body).await;
    assert_eq!(response.status(), 201);
    let created = json(response).await;
    (created["talent"]["id"].as_str().unwrap().to_owned(), created["token"].as_str().unwrap().to_owned())
}

/// Sign-up, one talent nearby, an `ok` card, and an open task.
pub async fn scene(app: &TestApp, card: Option<&str>) -> Scene {
    let (_, key) = app.signup("Scene Agent").await;
    let (talent_id, talent_token) = new_talent(
        app,
        &key,
        json!({"name": "Ana Photo", "home_lat": 43.25, "home_lng": -79.87, "skills": ["photography"]}),
    )
    .await;
    if let Some(card) = card {
        let r = app.post_as(&key, "/v1/test_helpers/billing/attach_card", &json!({"card": card})).await;
        assert_eq!(r.status(), 201);
    }
    let body = shop_task(10);
    let start_at = body["schedule"]["start_at"].as_str().unwrap().to_owned();
    let task = app.create_task(&key, &body).await;
    Scene { key, talent_id, talent_token, task_id: task["id"].as_str().unwrap().to_owned(), start_at }
}

impl Scene {
    pub async fn invite(&self, app: &TestApp) -> Value {
        let r = app
            .post_as(
                &self.key,
                &format!("/v1/tasks/{}/quote_requests", self.task_id),
                &json!({"talent_ids": [self.talent_id]}),
            )
            .await;
        assert_eq!(r.status(), 201);
        json(r).await
    }

    /// The talent quotes `amount` dollars; returns the response.
    pub async fn quote(&self, app: &TestApp, amount: i64) -> reqwest::Response {
        app.post_as(
            &self.talent_token,
            &format!("/v1/talent/{}/quote", self.talent_id),
            &json!({"task_id": self.task_id, "amount": amount, "message": "Happy to shoot this."}),
        )
        .await
    }

    /// Invite, quote and accept; returns the quote id.
    pub async fn accepted_quote(&self, app: &TestApp, amount: i64) -> String {
        self.invite(app).await;
        let quote = json(self.quote(app, amount).await).await;
        let id = quote["id"].as_str().unwrap().to_owned();
        let r = app.post_as(&self.key, &format!("/v1/quotes/{id}/accept"), &json!({})).await;
        assert_eq!(r.status(), 200);
        id
    }

    /// A confirmed booking; returns it.
    pub async fn booking(&self, app: &TestApp, amount: i64) -> Value {
        let quote_id = self.accepted_quote(app, amount).await;
        let r = app.post_as(&self.key, "/v1/bookings", &json!({"quote_id": quote_id})).await;
        assert_eq!(r.status(), 201);
        json(r).await
    }

    pub async fn checkin(
        &self,
        app: &TestApp,
        booking_id: &str,
        lat: f64,
        lng: f64,
        accuracy: f64,
    ) -> reqwest::Response {
        app.post_as(
            &self.talent_token,
            &format!("/v1/bookings/{booking_id}/checkin"),
            &json!({"lat": lat, "lng": lng, "accuracy_m": accuracy, "at": self.start_at}),
        )
        .await
    }
}
