//! Two money operations on one booking sent at the same moment: exactly one of them answers
//! 2xx, and the money moves once. Each race runs in a loop on a fresh job per round, in one
//! server, and (PostgreSQL) across two server processes sharing the database. The sandbox
//! gateway is slowed down so that the window between a check and a write is wide.

use super::{NO_LIMITS, booking_of, dispute_body, evaluated_job, photos, upload_photos};
use crate::helpers::{TestApp, json, spawn_app_with, spawn_process};
use serde_json::{Value, json};

const ROUNDS: usize = 8;
const ENV: [(&str, &str); 4] = [NO_LIMITS[0], NO_LIMITS[1], NO_LIMITS[2], ("HD_SANDBOX_LATENCY_MS", "25")];

/// One request of a race.
struct Op {
    token: String,
    path: String,
    body: Value,
}

impl Op {
    fn new(token: &str, path: String, body: Value) -> Op {
        Op { token: token.to_owned(), path, body }
    }
}

/// Where the two requests of a race go: base URLs (one server, or two processes).
type Targets = [String; 2];

#[derive(Clone, Copy, Debug)]
enum Race {
    CancelAccept,
    CancelResolve,
    AcceptRequestChanges,
    AcceptDispute,
    CancelDeliver,
}

const RACES: [Race; 5] =
    [Race::CancelAccept, Race::CancelResolve, Race::AcceptRequestChanges, Race::AcceptDispute, Race::CancelDeliver];

/// Sets one round up on `app` and returns its two requests and the booking they fight over.
async fn round(app: &TestApp, race: Race, photos: &[Vec<u8>]) -> (Op, Op, String) {
    match race {
        Race::CancelAccept => {
            let (s, booking, wo) = evaluated_job(app, photos).await;
            let cancel = Op::new(&s.key, format!("/v1/bookings/{booking}/cancel"), json!({}));
            let accept = Op::new(&s.key, format!("/v1/work_orders/{wo}/accept"), json!({}));
            (cancel, accept, booking)
        }
        Race::CancelResolve => {
            let (s, booking, wo) = evaluated_job(app, photos).await;
            let opened = app
                .post_as(&s.talent_token, &format!("/v1/work_orders/{wo}/disputes"), &json!({"reason": "Unpaid"}))
                .await;
            assert_eq!(opened.status(), 201);
            let dispute = json(opened).await["id"].as_str().unwrap().to_owned();
            let cancel = Op::new(&s.key, format!("/v1/bookings/{booking}/cancel"), json!({}));
            let resolve = Op::new(&s.key, format!("/v1/disputes/{dispute}/resolve"), json!({"outcome": "release"}));
            (cancel, resolve, booking)
        }
        Race::AcceptRequestChanges => {
            let (s, booking, wo) = evaluated_job(app, photos).await;
            let accept = Op::new(&s.key, format!("/v1/work_orders/{wo}/accept"), json!({}));
            let changes =
                Op::new(&s.key, format!("/v1/work_orders/{wo}/request_changes"), json!({"reason": "Reshoot"}));
            (accept, changes, booking)
        }
        Race::AcceptDispute => {
            let (s, booking, wo) = evaluated_job(app, photos).await;
            let accept = Op::new(&s.key, format!("/v1/work_orders/{wo}/accept"), json!({}));
            let dispute = Op::new(&s.key, format!("/v1/work_orders/{wo}/disputes"), dispute_body());
            (accept, dispute, booking)
        }
        Race::CancelDeliver => {
            let (s, wo) = crate::delivery::photo_job(app).await;
            let ids = upload_photos(app, &s, &wo, photos).await;
            let booking = booking_of(app, &s, &wo).await;
            let cancel = Op::new(&s.key, format!("/v1/bookings/{booking}/cancel"), json!({}));
            let deliver = Op::new(
                &s.talent_token,
                format!("/v1/work_orders/{wo}/deliverables"),
                json!({"deliverables": [{"kind": "photo", "file_ids": ids}]}),
            );
            (cancel, deliver, booking)
        }
    }
}

async fn send(app: &TestApp, base: &str, op: &Op) -> (u16, Value) {
    let response = app
        .client
        .post(format!("{base}{}", op.path))
        .bearer_auth(&op.token)
        .json(&op.body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, json(response).await)
}

/// Runs `race` for `ROUNDS` rounds; returns how many rounds had two winners (must be none).
async fn run(app: &TestApp, targets: &Targets, race: Race) -> usize {
    let photos = photos();
    let mut doubles = 0;
    for n in 0..ROUNDS {
        let (a, b, booking) = round(app, race, &photos).await;
        // Alternate which request leaves first, so each gets to win.
        let (first, second) = if n % 2 == 0 { (&a, &b) } else { (&b, &a) };
        let ((s1, b1), (s2, b2)) = tokio::join!(send(app, &targets[0], first), send(app, &targets[1], second));
        for (status, body) in [(s1, &b1), (s2, &b2)] {
            assert!(
                (200..300).contains(&status) || status == 403,
                "{race:?} round {n}: a racing request answered {status}: {body}"
            );
            if status == 403 {
                assert_eq!(body["error"]["code"], "POLICY_BLOCKED", "{body}");
                let current = body["error"]["details"]["current_status"].as_str().unwrap_or_default();
                assert!(!["changed", "unknown", ""].contains(&current), "{race:?}: a real current_status: {body}");
            }
        }
        let winners = [s1, s2].iter().filter(|s| (200..300).contains(*s)).count();
        if winners != 1 {
            doubles += 1;
            eprintln!("{race:?} round {n}: {s1} {b1}\n    and {s2} {b2}");
        }
        app.drain_work().await;
        app.assert_money_invariants(&booking).await;
        app.assert_gateway_agrees(&booking).await;
    }
    eprintln!("{race:?}: {doubles} of {ROUNDS} rounds with two 2xx answers");
    doubles
}

async fn run_all(app: &TestApp, targets: &Targets) {
    let mut failed = Vec::new();
    for race in RACES {
        let doubles = run(app, targets, race).await;
        if doubles > 0 {
            failed.push(format!("{race:?}: {doubles}/{ROUNDS}"));
        }
    }
    assert!(failed.is_empty(), "rounds in which both racing requests succeeded: {failed:?}");
    app.assert_money_books_agree().await;
}

#[tokio::test]
async fn racing_money_operations_on_one_booking_have_exactly_one_winner() {
    let app = spawn_app_with(&ENV).await;
    let targets = [app.address.clone(), app.address.clone()];
    run_all(&app, &targets).await;
}

#[tokio::test]
async fn racing_money_operations_across_two_server_processes_on_postgresql_have_exactly_one_winner() {
    let app = spawn_app_with(&ENV).await;
    if app.backend != "postgres" {
        // Several processes share one PostgreSQL; the PostgreSQL suite runs this test.
        return;
    }
    let (one, two) = tokio::join!(spawn_process(&app, &ENV), spawn_process(&app, &ENV));
    let targets = [one.address.clone(), two.address.clone()];
    run_all(&app, &targets).await;
}
