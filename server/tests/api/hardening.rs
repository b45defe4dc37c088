//! The medium findings of the audit, each as the attack that worked before.

use crate::helpers::{assert_error, json, seed_task, spawn_app, spawn_app_with, spawn_process};
use crate::receivers::Receiver;
use futures::StreamExt;
use sea_orm::ConnectionTrait;
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const ALLOW_PRIVATE: (&str, &str) = ("HD_WEBHOOKS_ALLOW_PRIVATE", "true");

/// A receiver that answers 200 and then sends body bytes until the connection is dropped.
async fn endless_receiver() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 8192];
                let _ = socket.read(&mut request).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ntransfer-encoding: chunked\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = format!("{:x}\r\n{}\r\n", 64 * 1024, "x".repeat(64 * 1024));
                while socket.write_all(chunk.as_bytes()).await.is_ok() {}
            });
        }
    });
    url
}

#[tokio::test]
async fn a_receiver_that_never_stops_answering_costs_only_the_excerpt() {
    let app = spawn_app_with(&[ALLOW_PRIVATE]).await;
    let url = endless_receiver().await;
    let (_, key) = app.signup("Flooded").await;
    let endpoint = json(app.post_as(&key, "/v1/webhooks", &json!({"url": url, "events": ["*"]})).await).await;
    app.create_task(&key, &seed_task(10)).await;
    assert_eq!(app.workers.drain_webhooks().await.unwrap(), 1);
    let id = endpoint["id"].as_str().unwrap();
    let log = json(app.get_as(&key, &format!("/v1/webhooks/{id}/deliveries")).await).await;
    let delivery = &log["data"][0];
    assert_eq!(delivery["status"], "succeeded", "{log}");
    let attempt = &delivery["attempt_log"][0];
    assert_eq!(attempt["status_code"], 200);
    // The answer's start was read and kept; the rest was never read.
    assert_eq!(attempt["response_excerpt"], "x".repeat(512), "{attempt}");
}

/// A TCP listener that counts connections and answers nothing useful.
async fn counting_proxy() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let _ = socket.write_all(b"HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n").await;
        }
    });
    (url, seen)
}

#[tokio::test]
async fn a_proxy_in_the_environment_cannot_take_webhooks_past_the_checked_address() {
    let app = spawn_app().await;
    let receiver = Receiver::start().await;
    let (proxy, proxied) = counting_proxy().await;
    let env = [
        ALLOW_PRIVATE,
        ("HD_WORKERS", "on"),
        ("HTTP_PROXY", proxy.as_str()),
        ("HTTPS_PROXY", proxy.as_str()),
        ("ALL_PROXY", proxy.as_str()),
        ("http_proxy", proxy.as_str()),
    ];
    let server = spawn_process(&app, &env).await;
    let signup = app
        .client
        .post(server.url("/v1/developer/signup"))
        .json(&json!({"name": "Proxied", "email": "proxied@agents.example.com"}))
        .send()
        .await
        .unwrap();
    let key = json(signup).await["api_key"].as_str().unwrap().to_owned();
    let post =
        |path: &str, body: serde_json::Value| app.client.post(server.url(path)).bearer_auth(&key).json(&body).send();
    assert_eq!(
        post("/v1/webhooks", json!({"url": receiver.url, "events": ["task.created"]})).await.unwrap().status(),
        201
    );
    assert_eq!(post("/v1/tasks", seed_task(10)).await.unwrap().status(), 201);
    for _ in 0..200 {
        if !receiver.received().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(receiver.received().len(), 1, "delivered to the receiver's own address");
    assert_eq!(proxied.load(Ordering::SeqCst), 0, "nothing went through the proxy");
}

#[tokio::test]
async fn ipv6_spellings_of_private_addresses_are_refused_as_webhook_urls() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Sneaky").await;
    for url in [
        "http://[::127.0.0.1]/hook",
        "http://[2002:7f00:1::1]/hook",
        "http://[fec0::1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/hook",
    ] {
        let r = app.post_as(&key, "/v1/webhooks", &json!({"url": url, "events": ["*"]})).await;
        let body = assert_error(r, 400, "SCHEMA_VALIDATION_FAILED").await;
        assert!(body.to_string().contains("not a public address"), "{url}: {body}");
    }
}

#[tokio::test]
async fn a_presigned_link_writes_the_file_once_even_when_two_puts_overlap() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Twice").await;
    let (first, second) = (vec![b'a'; 200_000], vec![b'b'; 200_000]);
    let presigned = json(
        app.post_as(
            &key,
            "/v1/files/presign",
            &json!({"filename": "notes.txt", "content_type": "text/plain", "size_bytes": first.len()}),
        )
        .await,
    )
    .await;
    let url = presigned["upload_url"].as_str().unwrap().to_owned();
    // The first PUT sends half its bytes, then waits while the second PUT goes through whole.
    let (go_on, wait) = tokio::sync::oneshot::channel::<()>();
    let (head, tail) = (bytes::Bytes::from(first[..100_000].to_vec()), bytes::Bytes::from(first[100_000..].to_vec()));
    let slow_body =
        futures::stream::once(async move { Ok::<_, std::io::Error>(head) }).chain(futures::stream::once(async move {
            let _ = wait.await;
            Ok(tail)
        }));
    let slow =
        app.client.put(&url).header("content-type", "text/plain").body(reqwest::Body::wrap_stream(slow_body)).send();
    let slow = tokio::spawn(slow);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let fast = app.client.put(&url).header("content-type", "text/plain").body(second.clone()).send().await.unwrap();
    assert_eq!(fast.status(), 200);
    let _ = go_on.send(());
    let late = slow.await.unwrap().unwrap();
    assert_error(late, 403, "POLICY_BLOCKED").await;
    // A PUT after the file is ready is refused too.
    let again = app.client.put(&url).header("content-type", "text/plain").body(first.clone()).send().await.unwrap();
    assert_error(again, 403, "POLICY_BLOCKED").await;

    let file = json(app.get_as(&key, &format!("/v1/files/{}", presigned["file_id"].as_str().unwrap())).await).await;
    let stored = app.client.get(file["download_url"].as_str().unwrap()).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(stored.as_ref(), second.as_slice(), "the file is the PUT that completed, untouched by the late one");
    use sha2::Digest;
    assert_eq!(file["sha256"], hex::encode(sha2::Sha256::digest(&stored)));
}

#[tokio::test]
async fn a_replayed_tus_creation_keeps_its_location() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Replayer").await;
    let create = || {
        app.client
            .post(app.url("/v1/uploads"))
            .bearer_auth(&key)
            .header("tus-resumable", "1.0.0")
            .header("upload-length", "12")
            .header("upload-metadata", "filename bm90ZXMudHh0,filetype dGV4dC9wbGFpbg==")
            .header("idempotency-key", "create-once")
            .send()
    };
    let first = create().await.unwrap();
    assert_eq!(first.status(), 201);
    let location = first.headers()["location"].to_str().unwrap().to_owned();
    let replay = create().await.unwrap();
    assert_eq!(replay.status(), 201);
    assert_eq!(replay.headers()["idempotent-replayed"], "true");
    assert_eq!(replay.headers()["location"], location.as_str(), "the replay points at the same upload");
    assert_eq!(replay.headers()["upload-offset"], "0");
}

#[tokio::test]
async fn behind_a_proxy_the_client_cannot_pick_its_own_address() {
    let app = spawn_app_with(&[("HD_TRUST_FORWARDED_FOR", "1"), ("HD_RATE_LIMIT_PER_MINUTE", "3")]).await;
    let mut statuses = Vec::new();
    for i in 0..4 {
        // The client writes a new address each time; our proxy appends the real one.
        let forwarded = format!("198.51.100.{i}, 203.0.113.7");
        let r = app.client.get(app.url("/v1/templates")).header("x-forwarded-for", forwarded).send().await.unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429], "one client, one budget");
    // Another client behind the same proxy has its own.
    let other = app.client.get(app.url("/v1/templates")).header("x-forwarded-for", "203.0.113.8").send().await;
    assert_eq!(other.unwrap().status(), 200);
}

#[tokio::test]
async fn searching_from_many_points_does_not_tell_two_homes_of_one_area_apart() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Triangulator").await;
    // Two homes about 350 m apart, in the same ~1 km area the profiles show (43.25, -79.87).
    for (name, lat, lng) in [("North", 43.2538, -79.8712), ("South", 43.2512, -79.8738)] {
        crate::marketplace::new_talent(
            &app,
            &key,
            json!({"name": name, "home_lat": lat, "home_lng": lng, "skills": ["photography"]}),
        )
        .await;
    }
    for near in ["43.30,-79.87", "43.25,-79.80", "43.20,-79.95", "43.2525,-79.8725"] {
        let found = json(app.get_as(&key, &format!("/v1/talent/search?near={near}&radius_km=100")).await).await;
        let distances: Vec<f64> =
            found["data"].as_array().unwrap().iter().map(|m| m["distance_km"].as_f64().unwrap()).collect();
        assert_eq!(distances.len(), 2, "{found}");
        assert_eq!(distances[0], distances[1], "from {near}: {distances:?}");
        assert_eq!(distances[0].fract(), 0.0, "whole km: {distances:?}");
    }
}

#[tokio::test]
async fn links_that_are_capabilities_never_reach_the_logs() {
    let app = spawn_app().await;
    let server = spawn_process(&app, &[("RUST_LOG", "info,tower_http=debug")]).await;
    let signup = app
        .client
        .post(server.url("/v1/developer/signup"))
        .json(&json!({"name": "Logged", "email": "logged@agents.example.com"}))
        .send()
        .await
        .unwrap();
    let key = json(signup).await["api_key"].as_str().unwrap().to_owned();
    let setup = app.client.post(server.url("/v1/billing/setup")).bearer_auth(&key).json(&json!({})).send().await;
    let setup = json(setup.unwrap()).await;
    let card_page = setup["url"].as_str().unwrap().to_owned();
    let token = card_page.rsplit('/').next().unwrap().to_owned();
    let page = app.client.get(server.url(&format!("/billing/sandbox/{token}"))).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let invitation = "qrq_0193not0a0real0invitation0id00";
    app.client.get(server.url(&format!("/portal/invitations/{invitation}"))).send().await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let log = server.log();
    assert!(log.contains("/billing/sandbox/…"), "the request is logged: {log}");
    assert!(!log.contains(&token), "the setup token is not: {log}");
    assert!(!log.contains(invitation), "nor the invitation id: {log}");
}

#[tokio::test]
async fn a_talents_message_cannot_forge_rows_in_the_principals_email() {
    let app = spawn_app().await;
    let s = crate::marketplace::scene(&app, None).await;
    s.invite(&app).await;
    let forged = "Happy to shoot this.\r\nAmount: $1 CAD\nQuote ID: quo_forged";
    let quote = app
        .post_as(
            &s.talent_token,
            &format!("/v1/talent/{}/quote", s.talent_id),
            &json!({"task_id": s.task_id, "amount": 250, "message": forged}),
        )
        .await;
    let quote = json(quote).await;
    app.drain_mail().await;
    let mail = app.mails().into_iter().find(|m| m.subject.starts_with("New quote:")).expect("the quote email");
    let rows = |label: &str| mail.text.lines().filter(|l| l.starts_with(&format!("{label}: "))).count();
    assert_eq!((rows("Amount"), rows("Quote ID")), (1, 1), "{}", mail.text);
    assert_eq!(mail.detail("Quote ID").as_deref(), quote["id"].as_str());
    assert_eq!(mail.detail("Amount").as_deref(), Some("$250 CAD"));
    assert_eq!(
        mail.detail("Message").as_deref(),
        Some("Happy to shoot this.\\r\\nAmount: $1 CAD\\nQuote ID: quo_forged")
    );
}

#[tokio::test]
async fn sandbox_profiles_with_someones_address_neither_mail_them_nor_crowd_out_their_sign_in() {
    let app = spawn_app().await;
    let victim = "person@example.org";
    // Several sandbox accounts make profiles with a real person's address first.
    for n in 0..6 {
        let (_, key) = app.signup(&format!("Squatter {n}")).await;
        crate::marketplace::new_talent(&app, &key, json!({"name": "Not them", "email": victim})).await;
    }
    // Then the person joins for real (live profiles are made by onboarding, not by the API).
    let now = chrono::Utc::now();
    let backend = app.db.get_database_backend();
    let sql = if app.backend == "postgres" {
        "INSERT INTO talent (id, name, email, skills, task_types, home_lat, home_lng, travel_radius_km, \
         portfolio_links, mode, created_at) VALUES ($1, 'The person', $2, '[]', '[]', 43.25, -79.87, 25, '[]', 'live', $3)"
    } else {
        "INSERT INTO talent (id, name, email, skills, task_types, home_lat, home_lng, travel_radius_km, \
         portfolio_links, mode, created_at) VALUES (?, 'The person', ?, '[]', '[]', 43.25, -79.87, 25, '[]', 'live', ?)"
    };
    sea_orm::ConnectionTrait::execute(
        &app.db,
        sea_orm::Statement::from_sql_and_values(backend, sql, ["tal_live_person".into(), victim.into(), now.into()]),
    )
    .await
    .unwrap();

    let r = app
        .client
        .post(app.url("/api/portal/sign_in"))
        .header("accept", "application/json")
        .form(&[("email", victim)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    app.drain_mail().await;
    let mails = app.mails();
    let to_person: Vec<_> = mails.iter().filter(|m| m.to == victim).collect();
    assert_eq!(
        to_person.len(),
        1,
        "exactly the person's own sign-in link reaches them: {:?}",
        mails.iter().map(|m| &m.to).collect::<Vec<_>>()
    );
    assert_eq!(to_person[0].detail("Talent ID").as_deref(), Some("tal_live_person"));
    assert!(
        mails.iter().all(|m| m.to == victim || m.to.ends_with("@agents.example.com")),
        "sandbox links go to their principals"
    );
}
