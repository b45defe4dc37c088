//! The talent's own account in the portal: the profile form, the API token, and signing out on
//! every device.

use super::{OWNER, call, invited, refused, session_cookie, sign_in, sign_in_links, token_of};
use crate::helpers::{TestApp, json, spawn_app};
use crate::marketplace::new_talent;
use serde_json::{Value, json};

/// The profile form as a browser posts it: every field, checkboxes as `task_types[]`.
fn profile_form<'a>(fields: &[(&'a str, &'a str)], task_types: &[&'a str]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("name", "Ana Photo"),
        ("skills", "Photography, Drone "),
        ("home_lat", "43.2612"),
        ("home_lng", "-79.9199"),
        ("travel_radius_km", "30"),
        ("portfolio_links", "https://ana.example.com\n\nhttps://ana.example.com/events\n"),
        ("time_zone", "America/Toronto"),
    ];
    for (name, value) in fields {
        form.retain(|(n, _)| n != name);
        form.push((name, value));
    }
    form.extend(task_types.iter().map(|t| ("task_types[]", *t)));
    form
}

fn problems_of(body: &Value) -> Vec<String> {
    body["details"]["errors"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_owned()).collect()
}

#[tokio::test]
async fn the_talent_edits_their_profile_and_principals_see_it_rounded() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;

    let before = json(call(&app, "profile", &[], Some(&cookie)).await).await;
    assert_eq!(before["email"], "ana@example.com");
    assert_eq!(before["home"]["lat"], 43.25);
    assert_eq!(before["has_token"], true);
    assert_eq!(before["task_type_choices"].as_array().unwrap().len(), 10);

    let form = profile_form(&[], &["PRODUCT_PHOTO_ECOMM", "EVENT_PHOTO_COVERAGE"]);
    let saved = call(&app, "profile/update", &form, Some(&cookie)).await;
    let status = saved.status();
    let saved = json(saved).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["home"]["lat"], 43.2612);
    assert_eq!(saved["home_area"]["lat"], 43.26);
    assert_eq!(saved["time_zone"], "America/Toronto");

    // Principals see what the talent typed, the home rounded to about a kilometre.
    let public = json(app.get_as(&job.key, &format!("/v1/talent/{}", job.talent_id)).await).await;
    assert_eq!(public["skills"], json!(["photography", "drone"]));
    assert_eq!(public["task_types"], json!(["PRODUCT_PHOTO_ECOMM", "EVENT_PHOTO_COVERAGE"]));
    assert_eq!(public["home_area"], json!({"lat": 43.26, "lng": -79.92}));
    assert_eq!(public["travel_radius_km"], 30);
    assert_eq!(public["portfolio_links"], json!(["https://ana.example.com", "https://ana.example.com/events"]));
    // Search finds the talent for the types they take now, and only those.
    let found = |task_type: &str| {
        let path = format!("/v1/talent/search?task_type={task_type}");
        let (app, key, id) = (&app, job.key.clone(), job.talent_id.clone());
        async move {
            let search = json(app.get_as(&key, &path).await).await;
            search["data"].as_array().unwrap().iter().any(|m| m["talent"]["id"] == id.as_str())
        }
    };
    assert!(found("EVENT_PHOTO_COVERAGE").await);
    assert!(!found("UGC_VERTICAL_BATCH").await);

    // Each bad field is named with the API's words, and nothing is changed.
    let bad = profile_form(
        &[("home_lat", "north"), ("travel_radius_km", "5000"), ("time_zone", "Mars/Olympus"), ("name", " ")],
        &[],
    );
    let body = refused(call(&app, "profile/update", &bad, Some(&cookie)).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    let problems = problems_of(&body);
    for expected in [
        "/home_lat: \"north\" is not a number",
        "/task_types: choose at least one kind of job",
        "/time_zone: \"Mars/Olympus\" is not a time zone: use a name such as America/Toronto",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{expected} in {problems:?}");
    }
    let bad = profile_form(&[("travel_radius_km", "5000"), ("name", " ")], &["unknown_type"]);
    let body = refused(call(&app, "profile/update", &bad, Some(&cookie)).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    let problems = problems_of(&body);
    for expected in [
        "/travel_radius_km: must be between 1 and 1000",
        "/name: 1–200 characters",
        "/task_types/0: \"unknown_type\" is not a task type",
    ] {
        assert!(problems.iter().any(|p| p == expected), "{expected} in {problems:?}");
    }
    let after = json(call(&app, "profile", &[], Some(&cookie)).await).await;
    assert_eq!(after["travel_radius_km"], 30);

    // Signed out, there is no profile to read or change.
    refused(call(&app, "profile", &[], None).await, 401, "AUTH_SCOPE_DENIED").await;
    refused(call(&app, "profile/update", &form, None).await, 401, "AUTH_SCOPE_DENIED").await;
    assert_eq!(
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'talent.profile_updated'", vec![]).await,
        1,
        "the saved change is audited for the principal the sandbox talent belongs to"
    );
}

async fn quote_with(app: &TestApp, token: &str, job: &super::Invited) -> u16 {
    app.post_as(
        token,
        &format!("/v1/talent/{}/quote", job.talent_id),
        &json!({"task_id": job.task_id, "amount": 200, "message": "With my token"}),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test]
async fn a_new_token_replaces_the_old_one_and_a_revoked_token_works_no_more() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let cookie = sign_in(&app).await;

    let made = call(&app, "token/rotate", &[], Some(&cookie)).await;
    assert_eq!(made.status(), 200);
    let token: String = serde_json::from_value(json(made).await).unwrap();
    assert!(token.starts_with("hd_talent_"), "{token}");
    assert_ne!(token, job.talent_token);
    // The old token is refused; the new one acts as the talent.
    assert_eq!(quote_with(&app, &job.talent_token, &job).await, 401);
    let with_new = call_with_token(&app, "profile", &token).await;
    assert_eq!(json(with_new).await["talent_id"], job.talent_id.as_str());

    assert_eq!(call(&app, "token/revoke", &[], Some(&cookie)).await.status(), 200);
    assert_eq!(quote_with(&app, &token, &job).await, 401);
    assert_eq!(json(call(&app, "profile", &[], Some(&cookie)).await).await["has_token"], false);
    // The session goes on without a token, and a new token can be made.
    let again: String =
        serde_json::from_value(json(call(&app, "token/rotate", &[], Some(&cookie)).await).await).unwrap();
    assert_eq!(quote_with(&app, &again, &job).await, 201);
    for action in ["talent.token_rotated", "talent.token_revoked"] {
        let n = app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = ?", vec![action.into()]).await;
        assert!(n >= 1, "{action} audited");
    }
}

async fn call_with_token(app: &TestApp, endpoint: &str, token: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/portal/{endpoint}")))
        .header("accept", "application/json")
        .bearer_auth(token)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_of_that_talent_only() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let phone = sign_in(&app).await;
    let laptop = sign_in(&app).await;
    assert_ne!(phone, laptop);
    // Another talent of the same principal, signed in on their own phone.
    new_talent(&app, &job.key, json!({"name": "Bo Video", "email": "bo@example.com"})).await;
    let before = sign_in_links(&app, OWNER);
    assert_eq!(call(&app, "sign_in", &[("email", "bo@example.com")], None).await.status(), 200);
    app.drain_mail().await;
    let link = sign_in_links(&app, OWNER).into_iter().find(|l| !before.contains(l)).unwrap();
    let bo = session_cookie(&call(&app, "sign_in/complete", &[("token", token_of(&link))], None).await);
    let name = |home: Value| home["talent"]["name"].clone();
    assert_eq!(name(json(call(&app, "home", &[], Some(&bo)).await).await), "Bo Video");

    assert_eq!(call(&app, "sign_out_everywhere", &[], Some(&phone)).await.status(), 200);
    for (cookie, device) in [(&phone, "phone"), (&laptop, "laptop")] {
        let home = json(call(&app, "home", &[], Some(cookie)).await).await;
        assert_eq!(home, Value::Null, "the {device} is signed out");
    }
    assert_eq!(name(json(call(&app, "home", &[], Some(&bo)).await).await), "Bo Video", "another talent stays in");
    // Nor does an old session act on /v1.
    let quote = app
        .client
        .post(app.url(&format!("/v1/talent/{}/quote", job.talent_id)))
        .header("cookie", &laptop)
        .json(&json!({"task_id": job.task_id, "amount": 250, "message": "From a stale session"}))
        .send()
        .await
        .unwrap();
    assert_eq!(quote.status(), 401);
    // Signing in again works, and the token was left alone.
    let back = sign_in(&app).await;
    assert_eq!(name(json(call(&app, "home", &[], Some(&back)).await).await), "Ana Photo");
    assert_eq!(quote_with(&app, &job.talent_token, &job).await, 201);
}

#[tokio::test]
async fn a_bookings_times_are_written_in_the_talents_time_zone() {
    let app = spawn_app().await;
    let job = invited(&app).await;
    let booking_id = super::booked(&app, &job, 250).await;
    let cookie = sign_in(&app).await;
    let booking = |cookie: String| {
        let app = &app;
        let id = booking_id.clone();
        async move { json(call(app, "booking", &[("booking_id", &id)], Some(&cookie)).await).await }
    };
    let utc = booking(cookie.clone()).await;
    assert!(utc["local"]["start"].as_str().unwrap().ends_with(" UTC"), "{utc}");

    let form = profile_form(&[("time_zone", "Asia/Kolkata")], &["PRODUCT_PHOTO_ECOMM"]);
    assert_eq!(call(&app, "profile/update", &form, Some(&cookie)).await.status(), 200);
    let local = booking(cookie.clone()).await;
    let start: chrono::DateTime<chrono::Utc> = serde_json::from_value(local["start_at"].clone()).unwrap();
    let kolkata = start + chrono::Duration::minutes(330);
    assert_eq!(local["local"]["start"], format!("{} IST", kolkata.format("%a %-d %b %Y, %H:%M")));
    for field in ["end", "checkin_opens", "checkin_closes"] {
        assert!(local["local"][field].as_str().unwrap().ends_with(" IST"), "{field}: {local}");
    }
    let home = json(call(&app, "home", &[], Some(&cookie)).await).await;
    assert_eq!(home["bookings"][0]["local"]["start"], local["local"]["start"]);
}
