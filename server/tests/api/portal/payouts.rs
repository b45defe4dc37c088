//! The portal's payouts page: each booking's earnings and where they stand, as the money moves.

use crate::helpers::{TestApp, json, spawn_app};
use crate::money::{evaluated_job, photos};
use serde_json::{Value, json};

async fn earnings(app: &TestApp, talent_token: &str) -> Value {
    let response = app
        .client
        .post(app.url("/api/portal/earnings"))
        .header("accept", "application/json")
        .header("content-type", "application/x-www-form-urlencoded")
        .bearer_auth(talent_token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    json(response).await
}

#[tokio::test]
async fn the_talent_sees_each_bookings_earnings_held_then_paid() {
    let app = spawn_app().await;
    let (s, booking, wo) = evaluated_job(&app, &photos()).await;
    let amount = json(app.get_as(&s.key, &format!("/v1/bookings/{booking}")).await).await["amount"].as_i64().unwrap();

    let before = earnings(&app, &s.talent_token).await;
    assert_eq!(before["account"]["sandbox"], true);
    assert!(before["account"]["reference"].as_str().unwrap().starts_with("acct_sandbox_"), "{before}");
    let row = &before["earnings"][0];
    assert_eq!(row["booking_id"], booking.as_str());
    assert_eq!(row["status"], "held");
    assert_eq!(row["amount_cents"], amount * 100);
    assert_eq!(row["earned_cents"], amount * 85, "85 % of the booked amount, in cents");

    assert_eq!(app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await.status(), 200);
    app.drain_work().await;
    let after = earnings(&app, &s.talent_token).await;
    let row = &after["earnings"][0];
    assert_eq!(row["status"], "paid", "{after}");
    assert_eq!(row["earned_cents"], amount * 85);
    assert!(row["transfer_ref"].as_str().is_some_and(|r| !r.is_empty()), "{row}");

    // Another talent sees none of it.
    let (_, other) = crate::marketplace::new_talent(&app, &s.key, json!({"name": "Bo Video"})).await;
    assert_eq!(earnings(&app, &other).await["earnings"], json!([]));
}
