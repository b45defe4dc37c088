//! The dashboard's money page: a month of the ledger that sums to the cent, the chart drawn on
//! the server, the spend cap set from a form, and nothing of another account's money.

use super::{call, sign_in};
use crate::helpers::{json, spawn_app};
use crate::money::{evaluated_job, photos};
use crate::portal::refused;
use serde_json::{Value, json};

fn this_month() -> String {
    chrono::Utc::now().format("%Y-%m").to_string()
}

#[tokio::test]
async fn a_paid_job_shows_as_its_hold_and_its_settlement_summing_to_the_cent() {
    let app = spawn_app().await;
    let (s, booking, wo) = evaluated_job(&app, &photos()).await;
    assert_eq!(app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await.status(), 200);
    app.drain_work().await;
    let cookie = sign_in(&app, "Scene Agent").await;

    let view = json(call(&app, "money", &[("month", &this_month())], Some(&cookie)).await).await;
    let page = &view["page"];
    assert_eq!(page["billing"]["has_payment_method"], true);
    let movements: Vec<&Value> =
        page["movements"].as_array().unwrap().iter().filter(|m| m["booking_id"] == booking.as_str()).collect();
    let kinds: Vec<&str> = movements.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert_eq!(&kinds[..2], ["escrow_hold", "settlement"], "{kinds:?}");
    // $250 held; accepted: all of it released, 85 % to the talent and 15 % in fees.
    assert_eq!(movements[0]["held_cents"], 25_000);
    assert_eq!(movements[1]["released_cents"], 25_000);
    assert_eq!(movements[1]["to_talent_cents"], 21_250);
    assert_eq!(movements[1]["fees_cents"], 3_750);
    assert_eq!(movements[1]["refunded_cents"], 0);
    assert!(movements.iter().all(|m| m["task_title"].is_string()), "{movements:?}");

    let totals = &page["totals"][0];
    assert_eq!(totals["currency"], "CAD");
    assert_eq!(totals["held_cents"], 25_000);
    assert_eq!(totals["released_cents"], 25_000);
    assert_eq!(
        totals["to_talent_cents"].as_i64().unwrap() + totals["fees_cents"].as_i64().unwrap(),
        totals["released_cents"].as_i64().unwrap()
    );
    // The ledger's own sums for the account agree with the page's.
    let held = app
        .scalar(
            "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE account LIKE 'escrow:%' AND amount_cents > 0 AND booking_id = ?",
            vec![booking.clone().into()],
        )
        .await;
    assert_eq!(totals["held_cents"], held);
    assert_eq!(page["spend"][0]["net_cents"], 25_000);

    // The chart is an SVG drawn on the server, in the page's data.
    let (currency, svg) = (&view["charts"][0][0], view["charts"][0][1].as_str().unwrap());
    assert_eq!(currency, "CAD");
    assert!(svg.starts_with("<svg") && svg.contains("Net charged, CAD"), "{}", &svg[..200.min(svg.len())]);

    // Last month had none of it; a month that is no month is named as the field.
    let (start, _) = domain::billing::month_of(chrono::Utc::now());
    let last = (start - chrono::Duration::days(1)).format("%Y-%m").to_string();
    let before = json(call(&app, "money", &[("month", &last)], Some(&cookie)).await).await;
    assert_eq!(before["page"]["movements"], json!([]));
    assert_eq!(before["page"]["next_month"], this_month().as_str());
    let bad =
        refused(call(&app, "money", &[("month", "2026-13")], Some(&cookie)).await, 400, "SCHEMA_VALIDATION_FAILED");
    assert!(bad.await["details"]["errors"][0].as_str().unwrap().starts_with("/month:"));

    // Another owner's page has none of this account's money; signed out, no page.
    app.signup("Other Money").await;
    let other = sign_in(&app, "Other Money").await;
    let theirs = json(call(&app, "money", &[], Some(&other)).await).await;
    assert_eq!(theirs["page"]["movements"], json!([]));
    assert_eq!(theirs["charts"], json!([]));
    refused(call(&app, "money", &[], None).await, 401, "AUTH_SCOPE_DENIED").await;
}

#[tokio::test]
async fn a_booking_cancelled_before_check_in_is_refunded_in_full() {
    let app = spawn_app().await;
    let s = crate::marketplace::scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 120).await;
    let id = booking["id"].as_str().unwrap();
    let cancelled =
        app.post_as(&s.key, &format!("/v1/bookings/{id}/cancel"), &json!({"reason": "Plans changed"})).await;
    assert_eq!(cancelled.status(), 200);
    app.drain_work().await;
    let cookie = sign_in(&app, "Scene Agent").await;
    let page = json(call(&app, "money", &[], Some(&cookie)).await).await["page"].clone();
    let totals = &page["totals"][0];
    assert_eq!((totals["held_cents"].clone(), totals["refunded_cents"].clone()), (json!(12_000), json!(12_000)));
    assert_eq!((totals["to_talent_cents"].clone(), totals["fees_cents"].clone()), (json!(0), json!(0)));
    assert_eq!(page["spend"].as_array().unwrap().iter().map(|d| d["net_cents"].as_i64().unwrap()).sum::<i64>(), 0);
}

#[tokio::test]
async fn the_spend_cap_is_set_and_removed_from_the_form_with_the_apis_problems() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Cap Owner").await;
    let cookie = sign_in(&app, "Cap Owner").await;
    let set = |cap: &'static str, currency: &'static str| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            call(app, "money/billing/spend_cap", &[("monthly_cap", cap), ("currency", currency)], Some(&cookie)).await
        }
    };
    let bad = refused(set("lots", "USD").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(bad["details"]["errors"][0].as_str().unwrap().starts_with("/monthly_cap: \"lots\""), "{bad}");
    let bad = refused(set("500", "").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(bad["details"]["errors"][0].as_str().unwrap().starts_with("/currency: required with a cap"), "{bad}");

    let cap = json(set("500", "CAD").await).await;
    assert_eq!((cap["monthly_cap"].clone(), cap["currency"].clone()), (json!(500), json!("CAD")));
    let via_api = json(app.get_as(&key, "/v1/billing/spend_cap").await).await;
    assert_eq!(via_api["monthly_cap"], 500);
    let removed = json(set("", "CAD").await).await;
    assert_eq!(removed["monthly_cap"], Value::Null);
    assert_eq!(json(app.get_as(&key, "/v1/billing/spend_cap").await).await["monthly_cap"], Value::Null);
}
