//! A new task from the dashboard: a template's form, posted as the browser posts it, becomes
//! the same task `POST /v1/tasks` makes, with the API's own problems when it is refused; a
//! draft is published once.

use super::{call, sign_in};
use crate::helpers::{TestApp, assert_error, json, spawn_app};
use crate::portal::refused;
use reqwest::Response;
use serde_json::Value;

/// Posts the new-task form with these fields (each named `form[<key>]`, as the page names them).
async fn post_form(app: &TestApp, fields: &[(&str, &str)], cookie: Option<&str>) -> Response {
    let named: Vec<(String, &str)> = fields.iter().map(|(k, v)| (format!("form[{k}]"), *v)).collect();
    let pairs: Vec<(&str, &str)> = named.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    call(app, "tasks/create", &pairs, cookie).await
}

fn later() -> String {
    (chrono::Utc::now() + chrono::Duration::days(4)).format("%Y-%m-%dT%H:%M").to_string()
}

/// The form of `PRODUCT_PHOTO_ECOMM` as the page starts it, filled in by the owner.
async fn filled_form(app: &TestApp, cookie: &str) -> Vec<(String, String)> {
    let page = json(call(app, "tasks/new", &[("template", "PRODUCT_PHOTO_ECOMM")], Some(cookie)).await).await;
    let start: serde_json::Map<String, Value> = page["form"][1].as_object().unwrap().clone();
    let fields: Vec<(String, String)> = start.into_iter().map(|(k, v)| (k, v.as_str().unwrap().to_owned())).collect();
    let start_at = later();
    with(
        &fields,
        &[
            ("title", "Spring SKU shoot"),
            ("location/address", "12 Hess St N, Hamilton ON"),
            ("schedule/start_at", &start_at),
            ("task_spec/product_count", "12"),
        ],
    )
}

fn with(fields: &[(String, String)], extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).cloned().collect();
    all.extend(extra.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())));
    all
}

fn pairs(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

#[tokio::test]
async fn the_form_makes_the_task_the_api_would_and_a_refusal_names_the_field() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Form Owner").await;
    let cookie = sign_in(&app, "Form Owner").await;

    // The templates, then one's form: its sections, and the example brief to start from.
    let page = json(call(&app, "tasks/new", &[], Some(&cookie)).await).await;
    assert_eq!(page["templates"].as_array().unwrap().len(), 10);
    assert_eq!(page["form"], Value::Null);
    let page = json(call(&app, "tasks/new", &[("template", "PRODUCT_PHOTO_ECOMM")], Some(&cookie)).await).await;
    let headings: Vec<&str> =
        page["form"][0]["sections"].as_array().unwrap().iter().map(|s| s["heading"].as_str().unwrap()).collect();
    assert_eq!(headings, ["The job", "Where", "When", "Budget", "Deliverables", "The brief"]);
    assert_eq!(page["form"][1]["task_spec/background"], "white");
    let unknown = call(&app, "tasks/new", &[("template", "DOG_WALKING")], Some(&cookie)).await;
    assert_eq!(refused(unknown, 404, "NOT_FOUND").await["details"]["task_type"], "DOG_WALKING");

    // Below the template's least budget: the API's message, at the field's pointer.
    let form = filled_form(&app, &cookie).await;
    let low = with(&form, &[("budget/max_total", "50"), ("status", "open_for_quotes")]);
    let body = refused(post_form(&app, &pairs(&low), Some(&cookie)).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    let problems = body["details"]["errors"].to_string();
    assert!(problems.contains("/budget/max_total: PRODUCT_PHOTO_ECOMM needs at least 100 dollars"), "{problems}");
    // A required choice left empty is the schema's own "required property" problem.
    let no_angles: Vec<(String, String)> =
        with(&form, &[("status", "draft")]).into_iter().filter(|(k, _)| !k.starts_with("task_spec/angles")).collect();
    let body = refused(post_form(&app, &pairs(&no_angles), Some(&cookie)).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(body["details"]["errors"].to_string().contains(r#"\"angles\" is a required property"#), "{body}");

    // Saved as a draft: the same task as /v1 shows it, with the brief typed into the form.
    let draft = with(&form, &[("status", "draft"), ("task_spec/retouching", "true")]);
    let created = post_form(&app, &pairs(&draft), Some(&cookie)).await;
    assert_eq!(created.status(), 200);
    let task = json(created).await;
    assert_eq!(task["status"], "draft");
    let id = task["id"].as_str().unwrap();
    let via_api = json(app.get_as(&key, &format!("/v1/tasks/{id}")).await).await;
    assert_eq!(via_api["title"], "Spring SKU shoot");
    assert_eq!(via_api["budget"]["max_total"], 100);
    assert_eq!(via_api["task_spec"]["product_count"], 12);
    assert_eq!(via_api["task_spec"]["retouching"], true);
    assert_eq!(via_api["task_spec"]["angles"], serde_json::json!(["front", "back", "detail"]));
    assert_eq!(via_api["deliverables"], serde_json::json!([{"kind": "photo", "count": 30, "format": "jpeg"}]));

    // Published from the dashboard, once; the agent's key sees it open.
    let published = json(call(&app, "tasks/publish", &[("task_id", id)], Some(&cookie)).await).await;
    assert_eq!(published["status"], "open_for_quotes");
    let again = refused(call(&app, "tasks/publish", &[("task_id", id)], Some(&cookie)).await, 403, "POLICY_BLOCKED");
    assert_eq!(again.await["details"]["current_status"], "open_for_quotes");
    let audit =
        app.scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'task.published' AND entity_id = ?", vec![id.into()]);
    assert_eq!(audit.await, 1);

    // Another owner can neither create for this account nor publish its tasks.
    let (_, other_key) = app.signup("Other Owner").await;
    let other = sign_in(&app, "Other Owner").await;
    let theirs = with(&form, &[("status", "draft")]);
    let made = json(post_form(&app, &pairs(&theirs), Some(&other)).await).await;
    refused(
        call(&app, "tasks/publish", &[("task_id", made["id"].as_str().unwrap())], Some(&cookie)).await,
        404,
        "NOT_FOUND",
    )
    .await;
    assert_eq!(app.get_as(&other_key, &format!("/v1/tasks/{id}")).await.status(), 404);
    // Signed out, nothing.
    refused(post_form(&app, &pairs(&theirs), None).await, 401, "AUTH_SCOPE_DENIED").await;
}

#[tokio::test]
async fn a_draft_whose_start_came_too_close_is_not_published() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Late Owner").await;
    let mut body = crate::marketplace::shop_task(10);
    body["status"] = "draft".into();
    let task = app.create_task(&key, &body).await;
    let id = task["id"].as_str().unwrap();
    // The draft waited: its start is now 30 minutes away, inside the template's 60.
    let soon = chrono::Utc::now() + chrono::Duration::minutes(30);
    app.execute("UPDATE tasks SET start_at = ? WHERE id = ?", vec![soon.into(), id.into()]).await;
    let response = app.post_as(&key, &format!("/v1/tasks/{id}/publish"), &serde_json::json!({})).await;
    let body = assert_error(response, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(
        body["error"]["details"]["errors"][0]
            .as_str()
            .unwrap()
            .starts_with("/schedule/start_at: must be at least 60 minutes")
    );
    assert_eq!(json(app.get_as(&key, &format!("/v1/tasks/{id}")).await).await["status"], "draft");
}

/// Two publishes of one draft at once, from the dashboard and from an agent's key: one
/// publishes, the other is refused with the status it found, and one audit row says so.
#[tokio::test]
async fn racing_publishes_publish_once() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Race Owner").await;
    let cookie = sign_in(&app, "Race Owner").await;
    for round in 0..10 {
        let mut body = crate::marketplace::shop_task(10);
        body["status"] = "draft".into();
        body["title"] = format!("Draft {round}").into();
        let id = app.create_task(&key, &body).await["id"].as_str().unwrap().to_owned();
        let (path, empty) = (format!("/v1/tasks/{id}/publish"), serde_json::json!({}));
        let form = [("task_id", id.as_str())];
        let (a, b) = tokio::join!(call(&app, "tasks/publish", &form, Some(&cookie)), app.post_as(&key, &path, &empty),);
        let mut codes = [a.status().as_u16(), b.status().as_u16()];
        codes.sort_unstable();
        assert_eq!(codes, [200, 403], "round {round}");
        let rows = app.scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'task.published' AND entity_id = ?",
            vec![id.into()],
        );
        assert_eq!(rows.await, 1, "round {round}");
    }
}
