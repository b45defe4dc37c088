//! Passkeys on the portal: what the server asks the browser for and what it refuses around the
//! ceremony. The ceremony itself, with an authenticator, runs in Chromium's virtual
//! authenticator (end2end/tests/passkeys.spec.ts): webauthn-rs's software authenticators keep
//! no discoverable credentials, which is what the portal signs in with.

use super::{invited, refused, sign_in};
use crate::helpers::{TestApp, json, spawn_app, spawn_app_with};
use reqwest::Response;
use serde_json::Value;

async fn post(app: &TestApp, path: &str, form: &[(&str, &str)], cookie: Option<&str>) -> Response {
    let mut request = app.client.post(app.url(&format!("/api/{path}"))).header("accept", "application/json").form(form);
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    request.send().await.unwrap()
}

fn problems(body: &Value) -> String {
    body["details"]["errors"].to_string()
}

#[tokio::test]
async fn a_passkey_is_asked_for_as_a_discoverable_credential_of_the_signed_in_talent() {
    let app = spawn_app_with(&[("HD_PUBLIC_URL", "http://localhost")]).await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;

    // A bad name is refused before the device is asked for a fingerprint.
    let body = refused(
        post(&app, "passkeys/registration", &[("name", "  ")], Some(&cookie)).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(problems(&body).contains("/name: give the passkey a name"), "{body}");

    let options = json(post(&app, "passkeys/registration", &[("name", "Pixel 8")], Some(&cookie)).await).await;
    let key = &options["publicKey"];
    assert_eq!(key["rp"]["id"], "localhost", "{options}");
    assert_eq!(key["user"]["name"], "ana@example.com");
    assert_eq!(key["user"]["displayName"], "Ana Photo (sandbox)");
    assert_eq!(key["authenticatorSelection"]["residentKey"], "required", "signing in needs no address");
    assert_eq!(key["authenticatorSelection"]["userVerification"], "required");
    assert!(key["challenge"].as_str().is_some_and(|c| c.len() >= 43), "{options}");

    // The browser's answer is read as a credential; the ceremony is answered once.
    let body = refused(
        post(&app, "passkeys/register", &[("credential", "{}")], Some(&cookie)).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(problems(&body).contains("/credential: not a WebAuthn credential"), "{body}");
    let body = refused(
        post(&app, "passkeys/register", &[("credential", "{}")], Some(&cookie)).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert_eq!(body["message"], "No passkey registration is under way", "{body}");

    // Only a talent signed in in a browser keeps passkeys: not a stranger, not a token.
    refused(post(&app, "passkeys/registration", &[("name", "Pixel 8")], None).await, 401, "AUTH_SCOPE_DENIED").await;
    let with_token = app
        .client
        .post(app.url("/api/passkeys/registration"))
        .header("accept", "application/json")
        .bearer_auth(&job.talent_token)
        .form(&[("name", "Pixel 8")])
        .send()
        .await
        .unwrap();
    let body = refused(with_token, 401, "AUTH_SCOPE_DENIED").await;
    assert!(body["message"].as_str().unwrap().contains("a token cannot"), "{body}");
    refused(post(&app, "passkeys/remove", &[("passkey_id", "pk_nope")], Some(&cookie)).await, 404, "NOT_FOUND").await;

    let listed = json(post(&app, "portal/profile", &[], Some(&cookie)).await).await;
    assert_eq!(listed["passkeys"], serde_json::json!([]));
    let home = json(post(&app, "portal/home", &[], Some(&cookie)).await).await;
    assert_eq!(home["has_passkey"], false, "the portal offers one");
}

#[tokio::test]
async fn signing_in_with_a_passkey_asks_for_no_address_and_refuses_what_is_not_an_answer() {
    let app = spawn_app_with(&[("HD_PUBLIC_URL", "http://localhost")]).await;
    let options = json(post(&app, "portal/passkeys/sign_in/options", &[], None).await).await;
    let key = &options["publicKey"];
    assert_eq!(key["rpId"], "localhost", "{options}");
    assert_eq!(key["allowCredentials"], serde_json::json!([]), "any passkey this browser holds here");
    assert_eq!(key["userVerification"], "required");
    assert!(options.get("mediation").is_none(), "a button opens the browser's dialog: {options}");

    // The options set a cookie: the ceremony's state waits in that session.
    let cookie = super::session_cookie(&post(&app, "portal/passkeys/sign_in/options", &[], None).await);
    let body = refused(
        post(&app, "portal/passkeys/sign_in", &[("credential", "not json")], Some(&cookie)).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    assert!(problems(&body).contains("/credential: not a WebAuthn assertion"), "{body}");
    let body = refused(
        post(&app, "portal/passkeys/sign_in", &[("credential", "{}")], Some(&cookie)).await,
        401,
        "AUTH_SCOPE_DENIED",
    )
    .await;
    assert!(body["message"].as_str().unwrap().contains("no sign-in is under way"), "{body}");
}

#[tokio::test]
async fn without_a_domain_name_passkeys_are_refused_in_plain_words() {
    // Browsers take no IP address as a passkey's site; the test server's URL is one.
    let app = spawn_app().await;
    invited(&app).await;
    let cookie = sign_in(&app).await;
    let body = refused(
        post(&app, "passkeys/registration", &[("name", "Pixel 8")], Some(&cookie)).await,
        412,
        "PRECONDITION_FAILED",
    )
    .await;
    assert!(body["message"].as_str().unwrap().contains("is not a domain name (set HD_PUBLIC_URL"), "{body}");
    refused(post(&app, "portal/passkeys/sign_in/options", &[], None).await, 412, "PRECONDITION_FAILED").await;
}
