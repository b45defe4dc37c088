//! The talent portal: sign-in by one-time email link, the session it opens (on the portal's
//! server functions and on `/v1`), and quoting from the portal.

mod account;
mod invitations;
mod passkeys;
mod payouts;

use crate::delivery::{good_photos, upload};
use crate::helpers::{TestApp, assert_error, json, spawn_app};
use crate::marketplace::{SHOP, new_talent, shop_task};
use reqwest::Response;
use serde_json::{Value, json};

/// Calls one of the portal's server functions, with the session cookie when there is one.
pub(crate) async fn call(app: &TestApp, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Response {
    let mut request =
        app.client.post(app.url(&format!("/api/portal/{endpoint}"))).header("accept", "application/json").form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// The `hd_session=…` pair a response set.
pub(crate) fn session_cookie(response: &Response) -> String {
    let set = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("hd_session="))
        .expect("a session cookie");
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    set.split(';').next().unwrap().to_owned()
}

/// The sign-in links mailed so far, newest last.
pub(crate) fn sign_in_links(app: &TestApp, to: &str) -> Vec<String> {
    app.mails()
        .into_iter()
        .filter(|m| m.to == to && m.subject == "🔑 Your HumanDispatch sign-in link")
        .map(|m| {
            let start = m.text.find("/portal/sign_in/complete?token=").expect("a link in the text part");
            let begin = m.text[..start].rfind("http").unwrap();
            m.text[begin..].split_whitespace().next().unwrap().to_owned()
        })
        .collect()
}

pub(crate) fn token_of(link: &str) -> &str {
    link.split("token=").nth(1).unwrap()
}

/// Where the mail of the sandbox talent `ana@example.com` goes: the principal who made her.
pub(crate) const OWNER: &str = "portal-agent@agents.example.com";

/// A principal with an open task and one talent (`ana@example.com`) invited to quote on it.
pub(crate) struct Invited {
    pub key: String,
    pub talent_id: String,
    pub talent_token: String,
    pub task_id: String,
    pub invitation_id: String,
}

pub(crate) async fn invited(app: &TestApp) -> Invited {
    let (_, key) = app.signup("Portal Agent").await;
    let (talent_id, talent_token) = new_talent(
        app,
        &key,
        json!({"name": "Ana Photo", "email": "ana@example.com", "home_lat": 43.25, "home_lng": -79.87}),
    )
    .await;
    let task = app.create_task(&key, &shop_task(10)).await;
    let task_id = task["id"].as_str().unwrap().to_owned();
    let r =
        app.post_as(&key, &format!("/v1/tasks/{task_id}/quote_requests"), &json!({"talent_ids": [talent_id]})).await;
    assert_eq!(r.status(), 201);
    let invitation_id = json(r).await["invited"][0]["id"].as_str().unwrap().to_owned();
    Invited { key, talent_id, talent_token, task_id, invitation_id }
}

pub(crate) async fn sign_in(app: &TestApp) -> String {
    let before = sign_in_links(app, OWNER);
    assert_eq!(call(app, "sign_in", &[("email", "ana@example.com")], None).await.status(), 200);
    app.drain_mail().await;
    let link = sign_in_links(app, OWNER).into_iter().find(|l| !before.contains(l)).expect("a new sign-in mail");
    let response = call(app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(response.status(), 200);
    session_cookie(&response)
}

#[tokio::test]
async fn a_mailed_link_signs_the_talent_in_once_and_the_session_acts_as_them() {
    let app = spawn_app().await;
    let job = invited(&app).await;

    // The address is matched without case; the mail names the profile and carries the link.
    assert_eq!(call(&app, "sign_in", &[("email", " ANA@Example.com ")], None).await.status(), 200);
    app.drain_mail().await;
    let mail = app.mails().into_iter().find(|m| m.subject.contains("sign-in link")).expect("a sign-in mail");
    // Ana is a sandbox profile: her mail goes to the principal who made her.
    assert_eq!(mail.to, OWNER);
    assert_eq!(mail.detail("Talent ID").as_deref(), Some(job.talent_id.as_str()));
    assert!(mail.html.contains("id=\"hd-details\""));
    let link = sign_in_links(&app, OWNER).pop().unwrap();
    assert!(link.starts_with(&app.address), "{link}");

    // Opening the page (as a mail scanner would) does not spend the link.
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Sign in to the talent portal"));

    let response = call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    assert_eq!(json(response).await["talent_id"], job.talent_id.as_str());
    // Once only.
    let again = call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(again.status(), 401);
    assert_eq!(json(again).await["code"], "AUTH_SCOPE_DENIED");

    // The portal's start page lists the invitation, not yet quoted.
    let home = json(call(&app, "home", &[], Some(&cookie)).await).await;
    assert_eq!(home["talent"]["name"], "Ana Photo");
    assert_eq!(home["invitations"][0]["invitation_id"], job.invitation_id.as_str());
    assert_eq!(home["invitations"][0]["budget"], 300);
    assert_eq!(home["invitations"][0]["quote"], Value::Null);

    // On /v1 the session acts as the talent, and as nobody else.
    let quote = app
        .client
        .post(app.url(&format!("/v1/talent/{}/quote", job.talent_id)))
        .header("cookie", &cookie)
        .json(&json!({"task_id": job.task_id, "amount": 250, "message": "From the portal session"}))
        .send()
        .await
        .unwrap();
    assert_eq!(quote.status(), 201);
    let tasks = app.client.get(app.url("/v1/tasks")).header("cookie", &cookie).send().await.unwrap();
    assert_error(tasks, 401, "AUTH_SCOPE_DENIED").await;
    let home = json(call(&app, "home", &[], Some(&cookie)).await).await;
    assert_eq!(home["invitations"][0]["quote"]["amount"], 250);
    assert_eq!(home["invitations"][0]["quote"]["status"], "pending");

    // Signing out ends the session everywhere.
    assert_eq!(call(&app, "sign_out", &[], Some(&cookie)).await.status(), 200);
    assert_eq!(json(call(&app, "home", &[], Some(&cookie)).await).await, Value::Null);
    let after = app
        .client
        .post(app.url(&format!("/v1/talent/{}/quote", job.talent_id)))
        .header("cookie", &cookie)
        .json(&json!({"task_id": job.task_id, "amount": 240, "message": "again"}))
        .send()
        .await
        .unwrap();
    assert_error(after, 401, "AUTH_SCOPE_DENIED").await;
}

#[tokio::test]
async fn unknown_addresses_get_the_same_answer_and_no_mail() {
    let app = spawn_app().await;
    invited(&app).await;
    app.drain_mail().await;
    let before = app.mails().len();
    let response = call(&app, "sign_in", &[("email", "nobody@example.com")], None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(json(response).await, Value::Null);
    assert_eq!(app.drain_mail().await, 0);
    assert_eq!(app.mails().len(), before);

    let bad = call(&app, "sign_in", &[("email", "not an address")], None).await;
    assert_eq!(bad.status(), 400);
    assert_eq!(json(bad).await["code"], "SCHEMA_VALIDATION_FAILED");
}

/// A known and an unknown address cost the request the same work, so its timing tells nothing:
/// the limits and one queued job; the lookup, the link and the mail happen later, in the job.
/// Before, a known address had its link and mail written inside the request.
#[tokio::test]
async fn a_sign_in_request_does_the_same_work_for_known_and_unknown_addresses() {
    let app = spawn_app().await;
    invited(&app).await;
    app.drain_mail().await;
    let count = |table: &'static str| {
        let app = &app;
        async move { app.scalar(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}"), vec![]).await }
    };
    for email in ["ana@example.com", "nobody@example.com"] {
        let (links, mails, jobs) = (count("sign_in_links").await, count("email_outbox").await, count("jobs").await);
        assert_eq!(call(&app, "sign_in", &[("email", email)], None).await.status(), 200);
        assert_eq!(count("sign_in_links").await, links, "{email}: no link written in the request");
        assert_eq!(count("email_outbox").await, mails, "{email}: no mail queued in the request");
        assert_eq!(count("jobs").await, jobs + 1, "{email}: one job queued");
    }
    assert_eq!(app.drain_mail().await, 1, "the jobs mailed the one address somebody uses");
    assert_eq!(sign_in_links(&app, OWNER).len(), 1);
}

#[tokio::test]
async fn expired_forged_and_repeated_requests_are_refused() {
    let app = spawn_app().await;
    invited(&app).await;
    assert_eq!(call(&app, "sign_in", &[("email", "ana@example.com")], None).await.status(), 200);
    app.drain_mail().await;
    let link = sign_in_links(&app, OWNER).pop().unwrap();
    {
        use domain::entities::sign_in_links;
        use sea_orm::{EntityTrait, sea_query::Expr};
        sign_in_links::Entity::update_many()
            .col_expr(sign_in_links::Column::ExpiresAt, Expr::value(chrono::Utc::now() - chrono::Duration::minutes(1)))
            .exec(&app.db)
            .await
            .unwrap();
    }
    let expired = call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(expired.status(), 401);
    for forged in ["hd_signin_0000000000000000000000000000000", "hd_talent_abc", ""] {
        let r = call(&app, "sign_in/complete", &[("token", forged)], None).await;
        assert_eq!(r.status(), 401, "{forged}");
    }
    // Not signed in: the portal's quote form is refused, and /v1 wants a token.
    let r = call(&app, "quote", &[("invitation_id", "qrq_x"), ("amount", "10"), ("message", "hi")], None).await;
    assert_eq!(r.status(), 401);

    // Five requests per address per hour (one was made above).
    for _ in 0..4 {
        assert_eq!(call(&app, "sign_in", &[("email", "ana@example.com")], None).await.status(), 200);
    }
    let limited = call(&app, "sign_in", &[("email", "Ana@example.com")], None).await;
    assert_eq!(limited.status(), 429);
    assert_eq!(json(limited).await["code"], "RATE_LIMITED");
}

#[tokio::test]
async fn the_portal_quote_form_quotes_for_the_signed_in_talent_only() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;

    let quote = |amount: &'static str, invitation: &str| {
        let form = [
            ("invitation_id", invitation.to_owned()),
            ("amount", amount.to_owned()),
            ("message", "I can do it".into()),
        ];
        let request = app
            .client
            .post(app.url("/api/portal/quote"))
            .header("accept", "application/json")
            .header("cookie", &cookie)
            .form(&form);
        async move { request.send().await.unwrap() }
    };
    let bad = quote("12.5", &job.invitation_id).await;
    assert_eq!(bad.status(), 400);
    assert!(json(bad).await["details"]["errors"][0].as_str().unwrap().starts_with("/amount"));
    let over = quote("301", &job.invitation_id).await;
    assert_eq!(over.status(), 400, "above the budget of a template without counter-offers");

    // Another talent's invitation is not found.
    let other = invited(&app).await;
    let r = quote("200", &other.invitation_id).await;
    assert_eq!(r.status(), 404);

    let sent = quote("280", &job.invitation_id).await;
    assert_eq!(sent.status(), 200);
    let sent = json(sent).await;
    assert_eq!(sent["amount"], 280);
    assert_eq!(sent["task_id"], job.task_id.as_str());
    assert_eq!(app.event_types().await.iter().filter(|t| *t == "quote.received").count(), 1);
}

#[tokio::test]
async fn another_site_cannot_use_the_talents_session_nor_sign_them_in() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;
    let form = [("invitation_id", job.invitation_id.as_str()), ("amount", "250"), ("message", "Sent by another site")];
    let from = |headers: &[(&'static str, &str)]| {
        let mut request = app.client.post(app.url("/api/portal/quote")).header("cookie", &cookie).form(&form);
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        request.send()
    };
    for headers in [&[("origin", "https://evil.example")][..], &[("sec-fetch-site", "cross-site")][..]] {
        let refused = from(headers).await.unwrap();
        assert_error(refused, 403, "POLICY_BLOCKED").await;
    }
    // The same goes for /v1 writes that only the cookie authenticates.
    let v1 = app
        .client
        .post(app.url(&format!("/v1/talent/{}/quote", job.talent_id)))
        .header("cookie", &cookie)
        .header("origin", "https://evil.example")
        .json(&json!({"task_id": job.task_id, "amount": 250, "message": "x"}))
        .send()
        .await
        .unwrap();
    assert_error(v1, 403, "POLICY_BLOCKED").await;
    let quotes = app
        .scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM quotes WHERE task_id = ?", vec![job.task_id.clone().into()])
        .await;
    assert_eq!(quotes, 0, "nothing was quoted");
    // The portal's own pages post from its own origin.
    let own = from(&[("origin", app.address.as_str()), ("sec-fetch-site", "same-origin")]).await.unwrap();
    assert_eq!(own.status(), 200);

    // Login CSRF: another site cannot spend a sign-in link to sign this browser in.
    let earlier = sign_in_links(&app, OWNER);
    assert_eq!(call(&app, "sign_in", &[("email", "ana@example.com")], None).await.status(), 200);
    app.drain_mail().await;
    let link = sign_in_links(&app, OWNER).into_iter().find(|l| !earlier.contains(l)).expect("a new link");
    let forced = app
        .client
        .post(app.url("/api/portal/sign_in/complete"))
        .header("origin", "https://evil.example")
        .form(&[("token", token_of(&link))])
        .send()
        .await
        .unwrap();
    assert_eq!(forced.status(), 403);
    assert!(forced.headers().get("set-cookie").is_none(), "no session was opened");
    let mine = call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(mine.status(), 200, "the link is still unspent");
}

/// A server function's refusal: its status, and the error (server functions answer the error
/// itself, not the `/v1` envelope).
pub(crate) async fn refused(response: Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let body = json(response).await;
    assert_eq!(body["code"], code, "{body}");
    body
}

/// Ana quoted `amount` on the invited task, the principal accepted and booked it (with a card
/// on file), and the task starts in half an hour: check-ins are open. Returns the booking id.
pub(crate) async fn booked(app: &TestApp, job: &Invited, amount: i64) -> String {
    let r = app.post_as(&job.key, "/v1/test_helpers/billing/attach_card", &json!({"card": "ok"})).await;
    assert_eq!(r.status(), 201);
    let quote = app
        .post_as(
            &job.talent_token,
            &format!("/v1/talent/{}/quote", job.talent_id),
            &json!({"task_id": job.task_id, "amount": amount, "message": "On it"}),
        )
        .await;
    let quote_id = json(quote).await["id"].as_str().unwrap().to_owned();
    assert_eq!(app.post_as(&job.key, &format!("/v1/quotes/{quote_id}/accept"), &json!({})).await.status(), 200);
    let booking = app.post_as(&job.key, "/v1/bookings", &json!({"quote_id": quote_id})).await;
    assert_eq!(booking.status(), 201);
    let soon = chrono::Utc::now() + chrono::Duration::minutes(30);
    app.execute("UPDATE tasks SET start_at = ? WHERE id = ?", vec![soon.into(), job.task_id.clone().into()]).await;
    json(booking).await["id"].as_str().unwrap().to_owned()
}

/// The booked talent sees the job, the money held for them and their 85 %, previews where a
/// check-in from here would land, and checks in from the page posted without the wasm.
#[tokio::test]
async fn the_booked_talent_checks_in_from_the_portal_and_sees_their_pay() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let booking_id = booked(&app, &job, 250).await;
    let cookie = sign_in(&app).await;

    let home = json(call(&app, "home", &[], Some(&cookie)).await).await;
    let shown = &home["bookings"][0];
    assert_eq!(shown["booking_id"], booking_id.as_str());
    assert_eq!(shown["status"], "confirmed");
    assert_eq!(shown["amount_cents"], 25_000);
    assert_eq!(shown["escrow_held_cents"], 25_000, "the whole amount is held");
    assert_eq!(shown["payout_cents"], 21_250, "85 % of $250");

    // 5 km north: the preview says why it would not be verified, and records nothing.
    let far = [("booking_id", booking_id.as_str()), ("lat", "43.3045"), ("lng", "-79.8753"), ("accuracy_m", "12")];
    let placed = json(call(&app, "locate", &far, Some(&cookie)).await).await;
    assert_eq!(placed["verified"], false);
    assert!((4900.0..5100.0).contains(&placed["distance_m"].as_f64().unwrap()), "{placed}");
    assert!(placed["note"].as_str().unwrap().contains("outside its"), "{placed}");
    let status = json(app.get_as(&job.key, &format!("/v1/bookings/{booking_id}")).await).await;
    assert_eq!(status["status"], "confirmed", "a preview checks nobody in");

    // Without a session there is nothing to see or do; a field that is not a number is named.
    let r = call(&app, "booking", &[("booking_id", booking_id.as_str())], None).await;
    refused(r, 401, "AUTH_SCOPE_DENIED").await;
    let typo = [("booking_id", booking_id.as_str()), ("lat", "43.2595"), ("lng", "west"), ("accuracy_m", "12")];
    let body = refused(call(&app, "check_in", &typo, Some(&cookie)).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(body["details"]["errors"][0], "/lng: \"west\" is not a number");

    // The page, as the server sends it: the map of the geofence, the pay, the check-in form.
    let page = app.url(&format!("/portal/bookings/{booking_id}"));
    let html = app.client.get(&page).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    for part in [r#"id="geofence-map""#, r#"id="checkin-form""#, "$212.50 CAD", "$250.00 CAD", "Latitude"] {
        assert!(html.contains(part), "{part} missing from the page");
    }

    // On site, posted as a form without the wasm: back to the page, which shows it verified.
    let (lat, lng) = (SHOP.0.to_string(), SHOP.1.to_string());
    let here = [("booking_id", booking_id.as_str()), ("lat", &lat), ("lng", &lng), ("accuracy_m", "8")];
    let posted = app
        .client
        .post(app.url("/api/portal/check_in"))
        .header("accept", "text/html")
        .header("referer", &page)
        .header("origin", &app.address)
        .header("cookie", &cookie)
        .form(&here)
        .send()
        .await
        .unwrap();
    assert!(posted.status().is_redirection(), "{}", posted.status());
    let html = app.client.get(&page).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"id="checkin-map""#) && html.contains(": verified."), "{html}");
    assert!(!html.contains(r#"id="checkin-form""#), "checked in once");
    let checked = json(app.get_as(&job.key, &format!("/v1/bookings/{booking_id}")).await).await;
    assert_eq!(checked["status"], "in_progress");
    assert_eq!(checked["checkin"]["verified"], true);
    assert_eq!(checked["checkin"]["accuracy_m"], 8.0);
}

/// A talent sees only their own bookings.
#[tokio::test]
async fn another_talents_booking_is_not_found_in_the_portal() {
    let app = spawn_app().await;
    // Ana, signed in, was invited to a job of her own.
    invited(&app).await;
    let cookie = sign_in(&app).await;
    let (_, key) = app.signup("Other Agent").await;
    let (other_id, other_token) =
        new_talent(&app, &key, json!({"name": "Bo", "home_lat": 43.25, "home_lng": -79.87})).await;
    let task = app.create_task(&key, &shop_task(5)).await;
    let task_id = task["id"].as_str().unwrap().to_owned();
    let r = app.post_as(&key, &format!("/v1/tasks/{task_id}/quote_requests"), &json!({"talent_ids": [other_id]})).await;
    assert_eq!(r.status(), 201);
    let other = Invited { key, talent_id: other_id, talent_token: other_token, task_id, invitation_id: String::new() };
    let booking_id = booked(&app, &other, 200).await;

    let r = call(&app, "booking", &[("booking_id", booking_id.as_str())], Some(&cookie)).await;
    refused(r, 404, "NOT_FOUND").await;
    let here = [("booking_id", booking_id.as_str()), ("lat", "43.2595"), ("lng", "-79.8753"), ("accuracy_m", "8")];
    refused(call(&app, "check_in", &here, Some(&cookie)).await, 404, "NOT_FOUND").await;
    assert_eq!(json(call(&app, "home", &[], Some(&cookie)).await).await["bookings"], json!([]));
}

/// The work on a booking in the portal: what to deliver and what QA checks, the uploaded files,
/// the checked ones delivered (as a form sends them), QA's result and the agent's change request.
#[tokio::test]
async fn the_talent_delivers_checked_uploads_and_sees_qa_and_the_change_request() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let booking_id = booked(&app, &job, 250).await;
    let cookie = sign_in(&app).await;
    let work = |cookie: String| {
        let app = &app;
        let booking_id = booking_id.clone();
        async move { json(call(app, "work", &[("booking_id", booking_id.as_str())], Some(&cookie)).await).await }
    };
    let before = work(cookie.clone()).await;
    assert_eq!(before["status"], "awaiting_delivery");
    assert_eq!(before["asks"], json!(["30 photos (jpeg)"]), "10 products, 3 angles each");
    assert!(before["checks"].as_array().is_some_and(|c| !c.is_empty()));
    assert_eq!(before["accept"], json!(["image/jpeg", "image/png", "image/heic", "image/webp"]));
    let work_order_id = before["work_order_id"].as_str().unwrap().to_owned();

    let mut ids = Vec::new();
    for (i, bytes) in good_photos().into_iter().enumerate() {
        ids.push(upload(&app, &job.talent_token, &work_order_id, &format!("p{i}.jpg"), "image/jpeg", bytes).await);
    }
    let listed = work(cookie.clone()).await;
    assert_eq!(listed["files"].as_array().unwrap().len(), 3);
    assert!(listed["files"].as_array().unwrap().iter().all(|f| f["sha256"].as_str().is_some_and(|h| h.len() == 64)));

    let deliver = |file_ids: Vec<&str>| {
        let mut form = vec![("work_order_id", work_order_id.as_str())];
        form.extend(file_ids.into_iter().map(|id| ("file_ids[]", id)));
        let request = app
            .client
            .post(app.url("/api/portal/deliver"))
            .header("accept", "application/json")
            .header("cookie", &cookie)
            .form(&form);
        async move { request.send().await.unwrap() }
    };
    // Nothing checked, or a file that is not hers: named, nothing delivered.
    let none = refused(deliver(vec![]).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(none["details"]["errors"][0], "/file_ids: choose at least one file");
    let body = refused(deliver(vec![&ids[0], "file_nope"]).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(body["details"]["errors"][0], "/file_ids/1: no file file_nope of yours");

    let delivered = deliver(vec![&ids[0], &ids[2]]).await;
    assert_eq!(delivered.status(), 200);
    assert_eq!(json(delivered).await["delivery_set"], 1);
    app.drain_work().await;
    let after = work(cookie.clone()).await;
    let in_delivery: Vec<&str> = after["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["deliverable_id"].is_null())
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(in_delivery.len(), 2);
    assert!(in_delivery.contains(&ids[0].as_str()) && in_delivery.contains(&ids[2].as_str()));
    assert_eq!(after["qa"]["delivery_set"], 1);
    assert_eq!(after["qa"]["status"], "failed", "2 of the 30 photos asked for: {}", after["qa"]);

    let r = app
        .post_as(
            &job.key,
            &format!("/v1/work_orders/{work_order_id}/request_changes"),
            &json!({"reason": "Ten, please."}),
        )
        .await;
    assert_eq!(r.status(), 200);
    let changed = work(cookie.clone()).await;
    assert_eq!(changed["status"], "changes_requested");
    assert_eq!(changed["changes_reason"], "Ten, please.");
    // The page says it in words, with the QA check that failed.
    let page = app.url(&format!("/portal/bookings/{booking_id}"));
    let html = app.client.get(&page).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    for part in [r#"id="changes-requested""#, "Ten, please.", r#"id="qa-result""#, "Failed: ", r#"id="deliver-form""#] {
        assert!(html.contains(part), "{part} missing from the page");
    }
}
