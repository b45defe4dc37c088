//! Benchmark: from an event's commit to its first delivery attempt arriving at a receiver on
//! loopback, over 1,000 events (one task each), with the workers running as in production.
//! Prints p50, p99 and max; asserts nothing.
//!
//!     cargo run --profile server-release -p server --example webhook_latency
#![allow(clippy::unwrap_used, clippy::expect_used)]

use axum::{Router, body::Bytes, extract::State, routing::post};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Arrivals = Arc<Mutex<HashMap<String, DateTime<Utc>>>>;

async fn receive(State(arrivals): State<Arrivals>, body: Bytes) -> &'static str {
    let now = Utc::now();
    let event: serde_json::Value = serde_json::from_slice(&body).unwrap();
    arrivals.lock().unwrap().entry(event["id"].as_str().unwrap().to_owned()).or_insert(now);
    "ok"
}

#[tokio::main]
async fn main() {
    const EVENTS: usize = 1000;
    let dir = tempfile::tempdir().unwrap();
    let vars: HashMap<&str, String> = HashMap::from([
        ("LEPTOS_SITE_ADDR", "127.0.0.1:0".to_owned()),
        (
            "DATABASE_URL",
            std::env::var("BENCH_DATABASE_URL").unwrap_or(format!("sqlite://{}/bench.db", dir.path().display())),
        ),
        ("HD_DATA_DIR", dir.path().display().to_string()),
        ("HD_WEBHOOKS_ALLOW_PRIVATE", "true".to_owned()),
        ("HD_RATE_LIMIT_PER_MINUTE", "100000000".to_owned()),
    ]);
    let config = server::config::Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let app = server::startup::Application::build(config).await.unwrap();
    let base = format!("http://{}", app.local_addr().unwrap());
    let db = app.state().services.db.clone();
    tokio::spawn(app.run_until(std::future::pending()));

    let arrivals: Arrivals = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook = format!("http://{}/hook", listener.local_addr().unwrap());
    let receiver = Router::new().route("/hook", post(receive)).with_state(arrivals.clone());
    tokio::spawn(async move { axum::serve(listener, receiver).await });

    let client = reqwest::Client::new();
    let signup: serde_json::Value = client
        .post(format!("{base}/v1/developer/signup"))
        .json(&serde_json::json!({"name": "Bench", "email": "bench@example.com"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let key = signup["api_key"].as_str().unwrap().to_owned();
    client
        .post(format!("{base}/v1/webhooks"))
        .bearer_auth(&key)
        .json(&serde_json::json!({"url": hook, "events": ["*"]}))
        .send()
        .await
        .unwrap();
    let start = (Utc::now() + chrono::Duration::days(10)).format("%Y-%m-%dT16:00:00Z").to_string();
    let task = serde_json::json!({
        "task_type": "PRODUCT_PHOTO_ECOMM", "title": "Latency probe",
        "location": {"mode": "onsite", "address": "12 Hess St N, Hamilton ON"},
        "schedule": {"start_at": start, "duration_hours": 2},
        "budget": {"currency": "CAD", "max_total": 200},
        "task_spec": {"product_count": 1, "background": "white", "angles": ["front"]}
    });
    for _ in 0..EVENTS {
        let r = client.post(format!("{base}/v1/tasks")).bearer_auth(&key).json(&task).send().await.unwrap();
        assert_eq!(r.status(), 201);
    }
    for _ in 0..600 {
        if arrivals.lock().unwrap().len() >= EVENTS {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    use sea_orm::{ConnectionTrait, Statement};
    let rows = db
        .query_all(Statement::from_string(db.get_database_backend(), "SELECT id, created_at FROM events"))
        .await
        .unwrap();
    let arrivals = arrivals.lock().unwrap();
    let mut latencies: Vec<f64> = rows
        .iter()
        .filter_map(|r| {
            let id: String = r.try_get_by_index(0).ok()?;
            let created: DateTime<Utc> = r.try_get_by_index(1).ok()?;
            arrivals.get(&id).map(|at| (*at - created).num_microseconds().unwrap_or(0) as f64 / 1000.0)
        })
        .collect();
    latencies.sort_by(f64::total_cmp);
    let pct = |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
    println!(
        "{} events, {} delivered; event commit → first attempt received: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        rows.len(),
        latencies.len(),
        pct(0.50),
        pct(0.99),
        latencies[latencies.len() - 1]
    );
}
