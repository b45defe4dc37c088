//! `GET /dashboard/stream`: the account's events, live, as server-sent events, and only its own.

use super::sign_in;
use crate::helpers::{TestApp, assert_error, spawn_app};
use crate::marketplace::shop_task;
use futures::StreamExt;
use serde_json::Value;
use std::time::Duration;

/// An open stream, read message by message.
struct Stream {
    body: std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
    buffer: String,
}

impl Stream {
    async fn open(app: &TestApp, cookie: &str, last_event_id: Option<&str>) -> Stream {
        let mut request = app.client.get(app.url("/dashboard/stream")).header("cookie", cookie);
        if let Some(id) = last_event_id {
            request = request.header("last-event-id", id);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "text/event-stream");
        Stream { body: Box::pin(response.bytes_stream()), buffer: String::new() }
    }

    /// The next message's id and event (keep-alive comments skipped). A test that waits for
    /// longer than this has failed: the message is not coming.
    async fn next(&mut self) -> (String, Value) {
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                if let Some(end) = self.buffer.find("\n\n") {
                    let block: String = self.buffer.drain(..end + 2).collect();
                    let field = |name: &str| {
                        block.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim_start().to_owned())
                    };
                    if let (Some(id), Some(data)) = (field("id:"), field("data:")) {
                        return (id, serde_json::from_str(&data).unwrap());
                    }
                    continue;
                }
                let chunk = self.body.next().await.expect("the stream stays open").unwrap();
                self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
            }
        })
        .await
        .expect("a message within the wait")
    }
}

#[tokio::test]
async fn the_stream_carries_the_accounts_own_events_as_they_happen_and_resumes_after_the_last_id() {
    let app = spawn_app().await;
    let (_, mine) = app.signup("Dash Owner").await;
    let (_, theirs) = app.signup("Other Owner").await;
    let cookie = sign_in(&app, "Dash Owner").await;
    let before = app.create_task(&mine, &shop_task(10)).await;
    app.workers.drain_webhooks().await.unwrap();

    // Opened without an id, the stream starts after the newest event: the first task's event
    // is not sent again.
    let mut stream = Stream::open(&app, &cookie, None).await;
    // The other account's event is sequenced first: had it leaked, it would come first.
    app.create_task(&theirs, &shop_task(10)).await;
    let second = app.create_task(&mine, &shop_task(11)).await;
    app.workers.drain_webhooks().await.unwrap();
    let (id, event) = stream.next().await;
    assert_eq!(event["type"], "task.created");
    assert_eq!(event["data"]["task"]["id"], second["id"], "{event}");
    assert_eq!(event["id"], id.as_str());
    let third = app.create_task(&mine, &shop_task(12)).await;
    app.workers.drain_webhooks().await.unwrap();
    let (third_id, event) = stream.next().await;
    assert_eq!(event["data"]["task"]["id"], third["id"], "{event}");
    drop(stream);

    // A browser that reconnects sends the last id it got, and gets what came after, in order.
    let events = crate::helpers::json(app.get_as(&mine, "/v1/events").await).await;
    let first_id = events["data"].as_array().unwrap().iter().find(|e| e["data"]["task"]["id"] == before["id"]).unwrap()
        ["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut resumed = Stream::open(&app, &cookie, Some(&first_id)).await;
    assert_eq!(resumed.next().await.1["data"]["task"]["id"], second["id"]);
    assert_eq!(resumed.next().await.0, third_id);

    // Another account's event id is nobody's here; without a session there is no stream.
    let their_id = crate::helpers::json(app.get_as(&theirs, "/v1/events").await).await["data"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app
        .client
        .get(app.url("/dashboard/stream"))
        .header("cookie", &cookie)
        .header("last-event-id", &their_id)
        .send()
        .await
        .unwrap();
    assert_error(refused, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(app.get("/dashboard/stream").await, 401, "AUTH_SCOPE_DENIED").await;
}

/// Behind a load balancer, the stream a browser holds on one server process carries the events
/// another process sequenced (the process that placed them wakes only its own streams).
#[tokio::test]
async fn a_stream_on_one_replica_carries_events_another_replica_sequenced() {
    let app = spawn_app().await;
    let replica = crate::helpers::spawn_replica(&app, &[]).await;
    let (_, key) = app.signup("Dash Owner").await;
    let cookie = sign_in(&app, "Dash Owner").await;
    let mut stream = Stream::open(&replica, &cookie, None).await;
    let task = app.create_task(&key, &shop_task(10)).await;
    app.workers.drain_webhooks().await.unwrap();
    let (_, event) = stream.next().await;
    assert_eq!(event["data"]["task"]["id"], task["id"], "{event}");
}
