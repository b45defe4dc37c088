//! The dashboard's audit log: filters over the account's own rows, and the CSV export of them,
//! which no other account can read.

use super::{call, sign_in};
use crate::helpers::{TestApp, assert_error, json, spawn_app, spawn_app_with};
use crate::marketplace::{scene, shop_task};
use crate::money::NO_LIMITS;
use crate::portal::refused;
use serde_json::Value;

/// The dashboard's audit page for the filters `search` (`(field, value)`), as JSON.
async fn audit(app: &TestApp, cookie: &str, search: &[(&str, &str)]) -> reqwest::Response {
    let form: Vec<(String, &str)> = search.iter().map(|(k, v)| (format!("search[{k}]"), *v)).collect();
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    call(app, "audit", &form, Some(cookie)).await
}

fn actions(page: &Value) -> Vec<String> {
    page["entries"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_owned()).collect()
}

/// The audit CSV for `query`, as `cookie` reads it: status, content type, and the records.
/// Asked for gzip, as a browser asks: the file arrives compressed and whole.
async fn csv(app: &TestApp, query: &str, cookie: Option<&str>) -> (u16, String, Vec<Vec<String>>) {
    let mut request =
        app.client.get(app.url(&format!("/dashboard/audit.csv{query}"))).header("accept-encoding", "gzip");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
    let (kind, encoding) = (header("content-type"), header("content-encoding"));
    let bytes = response.bytes().await.expect("the whole body");
    let body = if encoding == "gzip" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&bytes[..]), &mut text).unwrap();
        text
    } else {
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    let rows = if kind.starts_with("text/csv") {
        let mut reader = csv::Reader::from_reader(body.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), domain::audit::CSV_COLUMNS);
        reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect()
    } else {
        vec![vec![body]]
    };
    (status, kind, rows)
}

#[tokio::test]
async fn the_owner_narrows_the_log_by_action_actor_and_day_and_a_bad_day_is_named() {
    let app = spawn_app().await;
    let s = scene(&app, Some("ok")).await;
    s.invite(&app).await;
    let quote = json(s.quote(&app, 250).await).await;
    let cookie = sign_in(&app, "Scene Agent").await;
    assert_eq!(
        call(&app, "money/quotes/accept", &[("quote_id", quote["id"].as_str().unwrap())], Some(&cookie)).await.status(),
        200
    );

    let all = json(audit(&app, &cookie, &[]).await).await;
    let everything = actions(&all);
    assert!(
        everything.contains(&"task.created".to_owned()) && everything.contains(&"quote.accepted".to_owned()),
        "{everything:?}"
    );
    // The filters offer what the log holds.
    let offered: Vec<&str> = all["actions"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
    assert!(offered.contains(&"quote.accepted") && offered.contains(&"api_key.created"), "{offered:?}");

    let accepted = json(audit(&app, &cookie, &[("action", "quote.accepted")]).await).await;
    assert_eq!(actions(&accepted), ["quote.accepted"]);
    assert_eq!(accepted["entries"][0]["actor_type"], "principal", "the owner accepted it on the dashboard");
    assert_eq!(accepted["entries"][0]["entity_id"], quote["id"]);
    // By the agent's key: the task, not the owner's accept.
    let by_key = actions(&json(audit(&app, &cookie, &[("actor_type", "api_key")]).await).await);
    assert!(
        by_key.contains(&"task.created".to_owned()) && !by_key.contains(&"quote.accepted".to_owned()),
        "{by_key:?}"
    );
    let of_task = json(audit(&app, &cookie, &[("entity_type", "task"), ("entity_id", &s.task_id)]).await).await;
    assert!(of_task["entries"].as_array().unwrap().iter().all(|e| e["entity_id"] == s.task_id.as_str()));
    assert!(!actions(&of_task).is_empty());

    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let on_today = json(audit(&app, &cookie, &[("from", &today), ("to", &today)]).await).await;
    assert_eq!(actions(&on_today), everything);
    let from_tomorrow = json(audit(&app, &cookie, &[("from", &tomorrow)]).await).await;
    assert_eq!(actions(&from_tomorrow), Vec::<String>::new());

    let bad = refused(audit(&app, &cookie, &[("from", "2026-13-01")]).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(bad["details"]["errors"][0].as_str().unwrap().starts_with("/from:"), "{bad}");
    let backwards =
        refused(audit(&app, &cookie, &[("from", &tomorrow), ("to", &today)]).await, 400, "SCHEMA_VALIDATION_FAILED")
            .await;
    assert!(backwards["details"]["errors"][0].as_str().unwrap().starts_with("/to:"), "{backwards}");
    let robot = refused(audit(&app, &cookie, &[("actor_type", "robot")]).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(robot["details"]["errors"][0].as_str().unwrap().starts_with("/actor_type:"), "{robot}");
}

#[tokio::test]
async fn the_csv_holds_every_row_of_the_owners_log_and_nothing_of_another_account() {
    let app = spawn_app_with(&NO_LIMITS).await;
    let s = scene(&app, Some("ok")).await;
    // More rows than one read of the export takes (100), so it spans several.
    for _ in 0..105 {
        app.create_task(&s.key, &shop_task(12)).await;
    }
    let cookie = sign_in(&app, "Scene Agent").await;

    let (status, kind, rows) = csv(&app, "", Some(&cookie)).await;
    assert_eq!((status, kind.as_str()), (200, "text/csv; charset=utf-8"));
    let mut listed = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/audit?limit=100&cursor={c}"),
            None => "/v1/audit?limit=100".to_owned(),
        };
        let page = json(app.get_as(&s.key, &path).await).await;
        listed.extend(page["data"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let exported: Vec<String> = rows.iter().map(|r| r[0].clone()).collect();
    assert!(exported.len() > 106, "{}", exported.len());
    assert_eq!(exported, listed, "the export is the log, newest first, every row once");
    let task_row = rows.iter().find(|r| r[6] == s.task_id).expect("the scene's task is in the export");
    assert_eq!((task_row[2].as_str(), task_row[4].as_str(), task_row[5].as_str()), ("api_key", "task.created", "task"));
    let summary: Value = serde_json::from_str(&task_row[8]).unwrap();
    assert!(summary["event_id"].is_string(), "{summary}");

    // Narrowed as the page is.
    let (_, _, one) = csv(&app, &format!("?entity_type=task&entity_id={}", s.task_id), Some(&cookie)).await;
    assert!(!one.is_empty() && one.iter().all(|r| r[6] == s.task_id));

    // Another account's owner, asking for this account's task by id, gets their own (empty) file.
    app.signup("Other Owner").await;
    let other = sign_in(&app, "Other Owner").await;
    let (status, _, theirs) = csv(&app, &format!("?entity_id={}", s.task_id), Some(&other)).await;
    assert_eq!((status, theirs.len()), (200, 0));
    let (_, _, all_theirs) = csv(&app, "", Some(&other)).await;
    assert!(all_theirs.iter().all(|r| !exported.contains(&r[0])), "no row of the first account");

    // Signed out: the API's refusal, no file.
    let response = app.client.get(app.url("/dashboard/audit.csv")).send().await.unwrap();
    assert_error(response, 401, "AUTH_SCOPE_DENIED").await;
    // A bad filter is the API's 400 before any byte of a file.
    let (status, kind, _) = csv(&app, "?from=yesterday", Some(&cookie)).await;
    assert_eq!(status, 400);
    assert!(kind.starts_with("application/json"), "{kind}");
    // A query string that does not parse is the API's envelope too.
    let twice =
        app.client.get(app.url("/dashboard/audit.csv?from=a&from=b")).header("cookie", &cookie).send().await.unwrap();
    assert_error(twice, 400, "SCHEMA_VALIDATION_FAILED").await;
}
