//! The principal's dashboard: sign-in by one-time email link, the session it opens (on the
//! dashboard's server functions and on `/v1`), what an owner sees and does, and the live stream.

mod audit;
mod keys;
mod money;
mod new_task;
mod stream;
mod tasks;
mod webhooks;
mod work;

use crate::helpers::{TestApp, assert_error, json, spawn_app};
use crate::portal::{refused, session_cookie, token_of};
use reqwest::Response;
use serde_json::{Value, json};

/// Calls one of the dashboard's server functions (`money/…` for the ones behind the money
/// limit), with the session cookie when there is one.
pub(crate) async fn call(app: &TestApp, endpoint: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Response {
    let path = match endpoint.strip_prefix("money/") {
        Some(rest) => format!("/api/money/dashboard/{rest}"),
        None => format!("/api/dashboard/{endpoint}"),
    };
    let mut request = app.client.post(app.url(&path)).header("accept", "application/json").form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

/// The dashboard sign-in links mailed to `to` so far, oldest first.
pub(crate) fn sign_in_links(app: &TestApp, to: &str) -> Vec<String> {
    app.mails()
        .into_iter()
        .filter(|m| m.to == to && m.subject == "🔑 Your HumanDispatch dashboard sign-in link")
        .map(|m| {
            let start = m.text.find("/dashboard/sign_in/complete?token=").expect("a link in the text part");
            let begin = m.text[..start].rfind("http").unwrap();
            m.text[begin..].split_whitespace().next().unwrap().to_owned()
        })
        .collect()
}

/// The address `TestApp::signup(name)` gives the account.
pub(crate) fn email_of(name: &str) -> String {
    format!("{}@agents.example.com", name.to_lowercase().replace(' ', "-"))
}

/// Signs the owner of the account called `name` in by email link; returns the session cookie.
pub(crate) async fn sign_in(app: &TestApp, name: &str) -> String {
    let email = email_of(name);
    let before = sign_in_links(app, &email);
    assert_eq!(call(app, "sign_in", &[("email", &email)], None).await.status(), 200);
    app.drain_mail().await;
    let link = sign_in_links(app, &email).into_iter().find(|l| !before.contains(l)).expect("a new sign-in mail");
    let response = call(app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(response.status(), 200);
    session_cookie(&response)
}

#[tokio::test]
async fn a_mailed_link_signs_the_owner_in_once_and_the_session_acts_as_the_account() {
    let app = spawn_app().await;
    let (principal_id, key) = app.signup("Dash Owner").await;
    app.create_task(&key, &crate::marketplace::shop_task(10)).await;

    // The address is matched without case; the mail names the account and carries the link.
    assert_eq!(call(&app, "sign_in", &[("email", " DASH-owner@Agents.example.com ")], None).await.status(), 200);
    app.drain_mail().await;
    let email = email_of("Dash Owner");
    let mail = app.mails().into_iter().find(|m| m.subject.contains("dashboard sign-in link")).expect("a mail");
    assert_eq!(mail.to, email);
    assert_eq!(mail.detail("Principal ID").as_deref(), Some(principal_id.as_str()));
    let link = sign_in_links(&app, &email).pop().unwrap();
    assert!(link.starts_with(&app.address), "{link}");

    // Opening the page (as a mail scanner would) does not spend the link.
    let page = app.client.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Sign in to the dashboard"));
    // A portal link's token is not a dashboard one, nor the reverse.
    let portal = crate::portal::call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(portal.status(), 401);

    let response = call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    assert_eq!(response.status(), 200);
    let cookie = session_cookie(&response);
    assert_eq!(json(response).await["principal_id"], principal_id.as_str());
    let again = call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await;
    refused(again, 401, "AUTH_SCOPE_DENIED").await;

    // The start page: the account, its tasks counted by status, the list.
    let overview = json(call(&app, "overview", &[], Some(&cookie)).await).await;
    assert_eq!(overview["principal"]["principal_id"], principal_id.as_str());
    assert_eq!(overview["total"], 1);
    let open = overview["counts"].as_array().unwrap().iter().find(|c| c["status"] == "open_for_quotes").unwrap();
    assert_eq!(open["count"], 1);
    assert_eq!(overview["tasks"][0]["title"], "Spring SKU shoot");
    assert_eq!(overview["has_passkey"], false);
    // Filtered by another status, the list is empty but the counts are the account's.
    let booked = json(call(&app, "overview", &[("status", "booked")], Some(&cookie)).await).await;
    assert_eq!(booked["tasks"], json!([]));
    assert_eq!(booked["total"], 1);
    let bad = call(&app, "overview", &[("status", "sleeping")], Some(&cookie)).await;
    refused(bad, 400, "SCHEMA_VALIDATION_FAILED").await;

    // On /v1 the session acts as the account, and the audit log names its owner, not a key.
    let tasks = json(app.client.get(app.url("/v1/tasks")).header("cookie", &cookie).send().await.unwrap()).await;
    assert_eq!(tasks["data"].as_array().unwrap().len(), 1);
    // It is no talent: the portal does not take it.
    assert_eq!(json(crate::portal::call(&app, "home", &[], Some(&cookie)).await).await, Value::Null);

    // Signing out ends the session.
    assert_eq!(call(&app, "sign_out", &[], Some(&cookie)).await.status(), 200);
    assert_eq!(json(call(&app, "overview", &[], Some(&cookie)).await).await, Value::Null);
    let after = app.client.get(app.url("/v1/tasks")).header("cookie", &cookie).send().await.unwrap();
    assert_error(after, 401, "AUTH_SCOPE_DENIED").await;
}

#[tokio::test]
async fn unknown_addresses_get_the_same_answer_and_no_mail() {
    let app = spawn_app().await;
    app.signup("Dash Owner").await;
    app.drain_mail().await;
    let before = app.mails().len();
    let response = call(&app, "sign_in", &[("email", "nobody@example.com")], None).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.drain_mail().await, 0);
    assert_eq!(app.mails().len(), before);
    let bad = call(&app, "sign_in", &[("email", "not an address")], None).await;
    refused(bad, 400, "SCHEMA_VALIDATION_FAILED").await;
}

/// An owner's session is no talent's and an agent's key is no owner: each side's functions
/// refuse the other.
#[tokio::test]
async fn a_talent_session_and_an_api_key_are_not_the_owner() {
    let app = spawn_app().await;
    let job = crate::portal::invited(&app).await;
    let talent = crate::portal::sign_in(&app).await;
    assert_eq!(json(call(&app, "overview", &[], Some(&talent)).await).await, Value::Null);
    refused(call(&app, "task", &[("task_id", &job.task_id)], Some(&talent)).await, 401, "AUTH_SCOPE_DENIED").await;
    let with_key = app
        .client
        .post(app.url("/api/dashboard/task"))
        .header("accept", "application/json")
        .bearer_auth(&job.key)
        .form(&[("task_id", &job.task_id)])
        .send()
        .await
        .unwrap();
    refused(with_key, 401, "AUTH_SCOPE_DENIED").await;
}

/// Signing in as one side in a browser ends the other side's sign-in there: one session holds
/// one person.
#[tokio::test]
async fn signing_in_to_the_portal_ends_the_dashboard_sign_in_in_that_browser() {
    let app = spawn_app().await;
    crate::portal::invited(&app).await;
    let owner = sign_in(&app, "Portal Agent").await;
    assert_ne!(json(call(&app, "overview", &[], Some(&owner)).await).await, Value::Null);

    crate::portal::call(&app, "sign_in", &[("email", "ana@example.com")], None).await;
    app.drain_mail().await;
    let link = crate::portal::sign_in_links(&app, crate::portal::OWNER).pop().unwrap();
    let response = crate::portal::call(&app, "sign_in/complete", &[("token", token_of(&link))], Some(&owner)).await;
    assert_eq!(response.status(), 200);
    let talent = session_cookie(&response);
    assert_ne!(talent, owner, "a new session id");
    assert_eq!(json(call(&app, "overview", &[], Some(&talent)).await).await, Value::Null);
    assert_eq!(json(call(&app, "overview", &[], Some(&owner)).await).await, Value::Null, "the old id is gone");
    assert_ne!(json(crate::portal::call(&app, "home", &[], Some(&talent)).await).await, Value::Null);
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_dashboard_session_but_not_the_keys() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Dash Owner").await;
    let first = sign_in(&app, "Dash Owner").await;
    let second = sign_in(&app, "Dash Owner").await;
    assert_eq!(call(&app, "sign_out_everywhere", &[], Some(&first)).await.status(), 200);
    for cookie in [&first, &second] {
        assert_eq!(json(call(&app, "overview", &[], Some(cookie)).await).await, Value::Null);
    }
    assert_eq!(app.get_as(&key, "/v1/tasks").await.status(), 200);
    // A new sign-in works again.
    let third = sign_in(&app, "Dash Owner").await;
    assert_ne!(json(call(&app, "overview", &[], Some(&third)).await).await, Value::Null);
    let audit = json(app.get_as(&key, "/v1/audit").await).await;
    assert!(audit.to_string().contains("principal.signed_out_everywhere"), "{audit}");
}
