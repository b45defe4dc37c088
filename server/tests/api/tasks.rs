//! `/v1/tasks`: creation against the templates, reading, listing.

use crate::helpers::{assert_error, error_list, json, seed_task, spawn_app};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;

#[tokio::test]
async fn the_seed_example_creates_an_open_task_in_whole_dollars() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Deke").await;
    let task = app.create_task(&key, &seed_task(10)).await;
    assert!(task["id"].as_str().unwrap().starts_with("task_"));
    assert_eq!(task["status"], "open_for_quotes");
    assert_eq!(task["budget"], json!({"currency": "CAD", "pricing_model": "fixed", "max_total": 300}));
    assert_eq!(task["schedule"]["duration_hours"], 3.0);
    assert_eq!(task["location"]["radius_m"], 150, "the template's default radius");
    assert_eq!(task["deliverables"], json!([{"kind": "photo", "count": 30, "format": "jpeg"}]));

    let fetched = json(app.get_as(&key, &format!("/v1/tasks/{}", task["id"].as_str().unwrap())).await).await;
    assert_eq!(fetched, task);

    // Cents inside, and the event written with it.
    let backend = app.db.get_database_backend();
    let row = app
        .db
        .query_one(Statement::from_sql_and_values(
            backend,
            match app.backend {
                "postgres" => "SELECT budget_cents FROM tasks WHERE id = $1",
                _ => "SELECT budget_cents FROM tasks WHERE id = ?",
            },
            [task["id"].as_str().unwrap().into()],
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.try_get_by_index::<i64>(0).unwrap(), 30_000);
    let events =
        app.db.query_all(Statement::from_string(backend, "SELECT event_type, entity_id FROM events")).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].try_get_by_index::<String>(0).unwrap(), "task.created");
    assert_eq!(events[0].try_get_by_index::<String>(1).unwrap(), task["id"].as_str().unwrap());
}

#[tokio::test]
async fn drafts_and_defaults() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Deke").await;
    let mut body = seed_task(5);
    body["status"] = json!("draft");
    body.as_object_mut().unwrap().remove("deliverables");
    body["budget"]["max_total"] = json!(300.0);
    let task = app.create_task(&key, &body).await;
    assert_eq!(task["status"], "draft");
    assert_eq!(task["budget"]["max_total"], 300);
    assert_eq!(task["deliverables"], json!([{"kind": "photo", "count": 30, "format": "jpeg"}]));
}

#[tokio::test]
async fn every_validation_problem_comes_back_with_its_path() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Deke").await;
    let mut body = seed_task(10);
    body["title"] = json!("");
    body["schedule"]["start_at"] = json!("2020-01-01T00:00:00Z");
    body["schedule"]["duration_hours"] = json!(40);
    body["budget"]["max_total"] = json!(300.5);
    body["budget"]["currency"] = json!("BTC");
    body["location"] = json!({"mode": "onsite"});
    body["deliverables"] = json!([{"kind": "audio", "count": 0}]);
    body["task_spec"] = json!({"product_count": "ten", "background": "white", "angles": [], "bonus": 1});
    body["extra"] = json!(true);
    let response = app.post_as(&key, "/v1/tasks", &body).await;
    let envelope = assert_error(response, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_eq!(envelope["error"]["message"], "Task validation failed");
    let errors = error_list(&envelope);
    for path in [
        "/title",
        "/schedule/start_at",
        "/schedule/duration_hours",
        "/budget/max_total",
        "/budget/currency",
        "/location/address",
        "/deliverables/0/count",
        "/deliverables/0/kind",
        "/task_spec/product_count",
        "/task_spec/angles",
        "/task_spec:",
        "/:",
    ] {
        assert!(errors.iter().any(|e| e.starts_with(path)), "{path} not in {errors:#?}");
    }
    let listed = json(app.get_as(&key, "/v1/tasks").await).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 0, "nothing was created");
}

#[tokio::test]
async fn money_and_types_are_checked_at_the_boundary() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Deke").await;
    for (amount, fragment) in
        [(json!(-300), "/budget/max_total"), (json!(1e15), "/budget/max_total"), (json!("300"), "/budget/max_total")]
    {
        let mut body = seed_task(10);
        body["budget"]["max_total"] = amount.clone();
        let envelope = assert_error(app.post_as(&key, "/v1/tasks", &body).await, 400, "SCHEMA_VALIDATION_FAILED").await;
        assert!(error_list(&envelope).iter().any(|e| e.starts_with(fragment)), "{amount}: {envelope}");
    }
    let mut body = seed_task(10);
    body["budget"]["max_total"] = json!(20);
    let envelope = assert_error(app.post_as(&key, "/v1/tasks", &body).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(error_list(&envelope)[0].contains("at least 100 dollars"), "{envelope}");

    let mut body = seed_task(10);
    body["task_type"] = json!("DOG_WALKING");
    let envelope = assert_error(app.post_as(&key, "/v1/tasks", &body).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(error_list(&envelope).iter().any(|e| e.starts_with("/task_type")), "{envelope}");
}

#[tokio::test]
async fn gps_templates_need_coordinates() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Auditor").await;
    let start = (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339();
    let mut body = json!({
        "task_type": "RETAIL_AUDIT_PHOTO_CHECK",
        "title": "Endcap check",
        "location": {"mode": "onsite", "address": "999 Upper Wentworth St, Hamilton ON"},
        "schedule": {"start_at": start, "duration_hours": 1},
        "budget": {"currency": "CAD", "max_total": 60},
        "task_spec": {"store_name": "Fortinos", "checklist": [{"item": "Endcap"}]}
    });
    let envelope = assert_error(app.post_as(&key, "/v1/tasks", &body).await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert!(error_list(&envelope).iter().any(|e| e.starts_with("/location/lat")), "{envelope}");
    body["location"]["lat"] = json!(43.2);
    body["location"]["lng"] = json!(-79.86);
    body["location"]["radius_m"] = json!(75);
    let task = app.create_task(&key, &body).await;
    assert_eq!(task["location"]["radius_m"], 75);
}

#[tokio::test]
async fn lists_filter_and_paginate_with_signed_cursors() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Lister").await;
    let mut ids = Vec::new();
    for i in 0..5 {
        let mut body = seed_task(10 + i);
        if i % 2 == 0 {
            body["status"] = json!("draft");
        }
        ids.push(app.create_task(&key, &body).await["id"].as_str().unwrap().to_owned());
    }
    ids.reverse(); // newest first

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/tasks?limit=2&cursor={c}"),
            None => "/v1/tasks?limit=2".to_owned(),
        };
        let page = json(app.get_as(&key, &path).await).await;
        seen.extend(page["data"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(c) => {
                assert_eq!(page["has_more"], true);
                cursor = Some(c.to_owned());
            }
            None => break,
        }
    }
    assert_eq!(seen, ids);

    let drafts = json(app.get_as(&key, "/v1/tasks?status=draft").await).await;
    assert_eq!(drafts["data"].as_array().unwrap().len(), 3);
    let typed = json(app.get_as(&key, "/v1/tasks?task_type=PRODUCT_PHOTO_ECOMM&status=open_for_quotes").await).await;
    assert_eq!(typed["data"].as_array().unwrap().len(), 2);

    assert_error(app.get_as(&key, "/v1/tasks?status=done").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(app.get_as(&key, "/v1/tasks?task_type=NOPE").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(app.get_as(&key, "/v1/tasks?limit=0").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(app.get_as(&key, "/v1/tasks?limit=101").await, 400, "SCHEMA_VALIDATION_FAILED").await;
    assert_error(app.get_as(&key, "/v1/tasks?limit=ten").await, 400, "SCHEMA_VALIDATION_FAILED").await;

    // A cursor that was altered, or taken to another list, is refused.
    let first = json(app.get_as(&key, "/v1/tasks?limit=2").await).await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let mut altered = cursor.to_owned();
    altered.replace_range(0..1, if cursor.starts_with('A') { "B" } else { "A" });
    for bad in [altered.as_str(), "bm9wZQ.AAAA", "garbage"] {
        let envelope =
            assert_error(app.get_as(&key, &format!("/v1/tasks?cursor={bad}")).await, 400, "SCHEMA_VALIDATION_FAILED")
                .await;
        assert!(error_list(&envelope)[0].starts_with("/cursor"), "{envelope}");
    }
    assert_error(
        app.get_as(&key, &format!("/v1/tasks?status=draft&cursor={cursor}")).await,
        400,
        "SCHEMA_VALIDATION_FAILED",
    )
    .await;
    let (_, other) = app.signup("Other").await;
    assert_error(app.get_as(&other, &format!("/v1/tasks?cursor={cursor}")).await, 400, "SCHEMA_VALIDATION_FAILED")
        .await;
}
