//! The talent portal: sign-in by one-time email link, the session it opens (on the portal's
//! server functions and on `/v1`), and quoting from the portal.

use crate::helpers::{TestApp, assert_error, json, spawn_app};
use crate::marketplace::{new_talent, shop_task};
use reqwest::Response;
use serde_json::{Value, json};

/// Calls one of the portal's server functions, with the session cookie when there is one.
async fn call(app: &TestApp, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Response {
    let mut request =
        app.client.post(app.url(&format!("/api/portal/{endpoint}"))).header("accept", "application/json").form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// The `hd_session=…` pair a response set.
fn session_cookie(response: &Response) -> String {
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
fn sign_in_links(app: &TestApp, to: &str) -> Vec<String> {
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

fn token_of(link: &str) -> &str {
    link.split("token=").nth(1).unwrap()
}

/// Where the mail of the sandbox talent `ana@example.com` goes: the principal who made her.
const OWNER: &str = "portal-agent@agents.example.com";

/// A principal with an open task and one talent (`ana@example.com`) invited to quote on it.
struct Invited {
    talent_id: String,
    task_id: String,
    invitation_id: String,
}

async fn invited(app: &TestApp) -> Invited {
    let (_, key) = app.signup("Portal Agent").await;
    let (talent_id, _) = new_talent(
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
    Invited { talent_id, task_id, invitation_id }
}

async fn sign_in(app: &TestApp) -> String {
    assert_eq!(call(app, "sign_in", &[("email", "ana@example.com")], None).await.status(), 200);
    app.drain_mail().await;
    let link = sign_in_links(app, OWNER).pop().expect("a sign-in mail");
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
