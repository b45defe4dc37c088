//! A server process killed (SIGKILL) right after the payment gateway moved money and before
//! the ledger recorded it; a new process starts, its reconciler finishes or compensates what
//! was left, and the gateway's books and ours agree, with nothing held, captured or paid twice.
//!
//! The kill comes from a test-only fault point (`HD_FAULT_POINT`), compiled into debug builds
//! only: the process sends itself SIGKILL at that point.

use super::{NO_LIMITS, evaluated_job, photos};
use crate::helpers::{ServerProcess, TestApp, json, spawn_app_with, spawn_process};
use crate::marketplace::scene;
use serde_json::{Value, json};
use std::time::Duration;

/// Sends `path` to a process that is about to die; the connection drops without an answer.
async fn send_to_doomed(app: &TestApp, process: &mut ServerProcess, key: &str, path: &str, body: Value) {
    let sent = app.client.post(process.url(path)).bearer_auth(key).json(&body).send().await;
    assert!(sent.is_err(), "the process answered instead of dying: {:?}", sent.map(|r| r.status()));
    let status = process.wait_exit(Duration::from_secs(20)).await;
    assert_eq!(std::os::unix::process::ExitStatusExt::signal(&status), Some(9), "killed by SIGKILL: {status:?}");
}

/// Starts a process with the reconciler on; waits until no gateway operation is unfinished.
async fn restart_and_reconcile(app: &TestApp) -> ServerProcess {
    let env = [NO_LIMITS[0], NO_LIMITS[1], NO_LIMITS[2], ("HD_WORKERS", "on"), ("HD_RECONCILE_AFTER_SECS", "0")];
    let process = spawn_process(app, &env).await;
    for _ in 0..400 {
        let unfinished = app
            .scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM gateway_operations WHERE status = 'pending'", vec![])
            .await;
        if unfinished == 0 {
            return process;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the reconciler left gateway operations unfinished");
}

async fn escrow(app: &TestApp, booking: &str) -> i64 {
    app.scalar(
        "SELECT CAST(COALESCE(SUM(amount_cents), 0) AS BIGINT) FROM ledger_entries WHERE account = ?",
        vec![format!("escrow:{booking}").into()],
    )
    .await
}

#[tokio::test]
async fn a_crash_after_the_capture_or_the_transfer_is_finished_after_restart() {
    let app = spawn_app_with(&NO_LIMITS).await;
    for point in ["after_gateway:capture", "after_gateway:transfer"] {
        let (s, booking, wo) = evaluated_job(&app, &photos()).await;
        let mut doomed =
            spawn_process(&app, &[NO_LIMITS[0], NO_LIMITS[1], NO_LIMITS[2], ("HD_FAULT_POINT", point)]).await;
        send_to_doomed(&app, &mut doomed, &s.key, &format!("/v1/work_orders/{wo}/accept"), json!({})).await;
        let gateway = app.sandbox_state(&booking).await;
        assert_eq!(gateway.captured, 25_000, "{point}: the gateway captured before the crash");
        if point.ends_with("capture") {
            assert_eq!(escrow(&app, &booking).await, 25_000, "{point}: the ledger had not recorded it");
        } else {
            assert_eq!(gateway.transferred, 21_250, "{point}: the gateway paid the talent before the crash");
        }

        let _restarted = restart_and_reconcile(&app).await;
        let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
        assert_eq!(order["status"], "accepted", "{point}");
        let b = json(app.get_as(&s.key, &format!("/v1/bookings/{booking}")).await).await;
        assert_eq!(b["status"], "completed", "{point}");
        assert_eq!(b["escrow_held"], 0, "{point}");
        let gateway = app.sandbox_state(&booking).await;
        assert_eq!((gateway.captured, gateway.transferred, gateway.transfers), (25_000, 21_250, 1), "{point}");
        app.assert_money_invariants(&booking).await;
        app.assert_gateway_agrees(&booking).await;
        eprintln!("{point}: gateway {gateway:?}; ledger agrees after restart");
    }
    app.assert_money_books_agree().await;
}

#[tokio::test]
async fn a_crash_after_a_release_is_finished_and_a_crash_after_a_hold_is_compensated() {
    let app = spawn_app_with(&NO_LIMITS).await;

    let s = scene(&app, Some("ok")).await;
    let booking = s.booking(&app, 250).await["id"].as_str().unwrap().to_owned();
    let mut doomed =
        spawn_process(&app, &[NO_LIMITS[0], NO_LIMITS[1], NO_LIMITS[2], ("HD_FAULT_POINT", "after_gateway:release")])
            .await;
    send_to_doomed(&app, &mut doomed, &s.key, &format!("/v1/bookings/{booking}/cancel"), json!({})).await;
    assert_eq!(app.sandbox_state(&booking).await.held, 0, "the gateway released before the crash");
    assert_eq!(escrow(&app, &booking).await, 25_000, "the ledger had not recorded it");
    let restarted = restart_and_reconcile(&app).await;
    let b = json(app.get_as(&s.key, &format!("/v1/bookings/{booking}")).await).await;
    assert_eq!((b["status"].as_str(), b["escrow_held"].as_i64()), (Some("cancelled"), Some(0)));
    app.assert_money_invariants(&booking).await;
    app.assert_gateway_agrees(&booking).await;
    drop(restarted);

    // The booking's hold is made, then the process dies before confirming it: the money is held
    // for a booking nobody confirmed, so the reconciler releases it; booking again holds anew.
    let s = scene(&app, Some("ok")).await;
    let quote = s.accepted_quote(&app, 250).await;
    let mut doomed =
        spawn_process(&app, &[NO_LIMITS[0], NO_LIMITS[1], NO_LIMITS[2], ("HD_FAULT_POINT", "after_gateway:hold")])
            .await;
    send_to_doomed(&app, &mut doomed, &s.key, "/v1/bookings", json!({"quote_id": quote})).await;
    let pending = app.rows("SELECT id, status FROM bookings WHERE quote_id = ?", vec![quote.clone().into()]).await;
    let booking: String = pending[0].try_get("", "id").unwrap();
    assert_eq!(app.sandbox_state(&booking).await.held, 25_000, "the gateway held before the crash");
    let _restarted = restart_and_reconcile(&app).await;
    let gateway = app.sandbox_state(&booking).await;
    assert_eq!((gateway.held, gateway.captured), (0, 0), "released, nothing captured: {gateway:?}");
    let b = json(app.get_as(&s.key, &format!("/v1/bookings/{booking}")).await).await;
    assert_eq!(b["status"], "pending_escrow");
    assert_eq!(b["escrow_held"], 0);
    app.assert_gateway_agrees(&booking).await;
    let again = app.post_as(&s.key, "/v1/bookings", &json!({"quote_id": quote})).await;
    assert_eq!(again.status(), 201);
    let gateway = app.sandbox_state(&booking).await;
    assert_eq!((gateway.held, gateway.holds), (25_000, 2), "one new hold: {gateway:?}");
    app.assert_money_invariants(&booking).await;
    app.assert_gateway_agrees(&booking).await;
    app.assert_money_books_agree().await;
}
