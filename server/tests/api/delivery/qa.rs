//! QA on photos: counts, format, resolution, sharpness, background, near-duplicates; cached
//! per delivery; a failed delivery is fixed through a change request.

use super::{deliver, good_photos, photo_job, upload};
use crate::fixtures;
use crate::helpers::{assert_error, json, spawn_app};
use serde_json::{Value, json};

fn failed<'a>(report: &'a Value, name: &str) -> Vec<&'a Value> {
    report["checks"].as_array().unwrap().iter().filter(|c| c["name"] == name && c["passed"] == false).collect()
}

#[tokio::test]
async fn good_photos_pass_and_the_result_is_cached() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let mut ids = Vec::new();
    for (i, bytes) in good_photos().into_iter().enumerate() {
        ids.push(upload(&app, &s.talent_token, &wo, &format!("p{i}.jpg"), "image/jpeg", bytes).await);
    }
    assert_eq!(deliver(&app, &s, &wo, "photo", &ids).await.status(), 201);
    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    assert_eq!(order["status"], "delivered");
    assert_eq!(order["deliverables"].as_array().unwrap().len(), 3);
    assert!(order["deliverables"][0]["file"]["download_url"].as_str().unwrap().contains("signature="));

    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(report["status"], "passed", "{report:#}");
    let names: Vec<&str> = report["checks"].as_array().unwrap().iter().map(|c| c["name"].as_str().unwrap()).collect();
    for name in ["photo_count", "file_format", "min_resolution", "blur", "white_background", "near_duplicates"] {
        assert!(names.contains(&name), "{name} in {names:?}");
    }
    let count = report["checks"].as_array().unwrap().iter().find(|c| c["name"] == "photo_count").unwrap();
    assert_eq!(count["expected"], json!({"at_least": 3}));
    assert_eq!(count["actual"], 3);

    let again = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(again, report, "cached, not recomputed");
    assert_eq!(json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await["status"], "qa_passed");
    let qa_events = app.event_types().await.into_iter().filter(|e| e == "qa.completed").count();
    assert_eq!(qa_events, 1);
}

#[tokio::test]
async fn bad_photos_fail_with_reasons_and_a_change_request_gets_them_fixed() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    let sharp = fixtures::product_on_white(2000, 1600, 11);
    let files = vec![
        ("ok.jpg", fixtures::jpeg(&sharp)),
        ("again.jpg", fixtures::jpeg(&fixtures::product_on_white(2000, 1600, 11))),
        ("soft.jpg", fixtures::jpeg(&fixtures::blurred(&fixtures::product_on_white(2000, 1600, 12)))),
        ("busy.jpg", fixtures::jpeg(&fixtures::noise(2000, 1600, 13))),
        ("small.jpg", fixtures::jpeg(&fixtures::product_on_white(800, 600, 14))),
        ("broken.jpg", [&[0xFF, 0xD8, 0xFF, 0xE0][..], &[0x42; 4000][..]].concat()),
    ];
    let mut ids = Vec::new();
    for (name, bytes) in files {
        ids.push(upload(&app, &s.talent_token, &wo, name, "image/jpeg", bytes).await);
    }
    assert_eq!(deliver(&app, &s, &wo, "photo", &ids).await.status(), 201);
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(report["status"], "failed");

    let order = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await;
    let id_of = |name: &str| {
        order["deliverables"].as_array().unwrap().iter().find(|d| d["file"]["filename"] == name).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let blur: Vec<String> =
        failed(&report, "blur").iter().map(|c| c["deliverable_id"].as_str().unwrap().to_owned()).collect();
    assert!(blur.contains(&id_of("soft.jpg")), "{blur:?}");
    assert!(!blur.contains(&id_of("ok.jpg")));
    let white: Vec<String> =
        failed(&report, "white_background").iter().map(|c| c["deliverable_id"].as_str().unwrap().to_owned()).collect();
    assert!(white.contains(&id_of("busy.jpg")), "{white:?}");
    let small: Vec<String> =
        failed(&report, "min_resolution").iter().map(|c| c["deliverable_id"].as_str().unwrap().to_owned()).collect();
    assert!(small.contains(&id_of("small.jpg")), "{small:?}");
    let dupes = failed(&report, "near_duplicates");
    assert_eq!(dupes.len(), 1, "{dupes:?}");
    assert_eq!(dupes[0]["actual"]["distance"], 0);
    let broken_id = id_of("broken.jpg");
    let broken: Vec<&Value> =
        failed(&report, "blur").into_iter().filter(|c| c["deliverable_id"] == broken_id.as_str()).collect();
    assert_eq!(broken.len(), 1);
    assert!(broken[0]["reason"].as_str().unwrap().contains("unreadable"), "{}", broken[0]);
    assert_eq!(json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await["status"], "qa_failed");

    // Accepting failed work needs the override.
    let body = assert_error(
        app.post_as(&s.key, &format!("/v1/work_orders/{wo}/accept"), &json!({})).await,
        403,
        "POLICY_BLOCKED",
    )
    .await;
    assert_eq!(body["error"]["details"]["current_status"], "qa_failed");

    let changes = app
        .post_as(
            &s.key,
            &format!("/v1/work_orders/{wo}/request_changes"),
            &json!({"reason": "Three sharp photos on white, please", "checks": ["blur"]}),
        )
        .await;
    assert_eq!(changes.status(), 200);
    assert_eq!(json(changes).await["status"], "changes_requested");

    let mut fixed = Vec::new();
    for (i, bytes) in good_photos().into_iter().enumerate() {
        fixed.push(upload(&app, &s.talent_token, &wo, &format!("fixed{i}.jpg"), "image/jpeg", bytes).await);
    }
    let delivered = json(deliver(&app, &s, &wo, "photo", &fixed).await).await;
    assert_eq!(delivered["delivery_set"], 2);
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(report["status"], "passed", "{report:#}");
    assert_eq!(report["delivery_set"], 2);
}

#[tokio::test]
async fn deliveries_are_checked_and_belong_to_their_talent() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    // QA before anything was delivered.
    let body = assert_error(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await, 403, "POLICY_BLOCKED").await;
    assert_eq!(body["error"]["details"]["current_status"], "awaiting_delivery");
    let photo =
        upload(&app, &s.talent_token, &wo, "a.jpg", "image/jpeg", fixtures::jpeg(&fixtures::noise(64, 64, 1))).await;
    // Wrong kind for the file, unknown file, the principal trying to deliver.
    let r = deliver(&app, &s, &wo, "video", std::slice::from_ref(&photo)).await;
    assert_error(r, 400, "SCHEMA_VALIDATION_FAILED").await;
    let r = deliver(&app, &s, &wo, "photo", &["file_nope".to_owned()]).await;
    assert_error(r, 400, "SCHEMA_VALIDATION_FAILED").await;
    let r = app
        .post_as(
            &s.key,
            &format!("/v1/work_orders/{wo}/deliverables"),
            &json!({"deliverables": [{"kind": "photo", "file_ids": [photo]}]}),
        )
        .await;
    assert_error(r, 401, "AUTH_SCOPE_DENIED").await;
    let (_, stranger) = app.signup("Stranger").await;
    assert_error(app.get_as(&stranger, &format!("/v1/work_orders/{wo}")).await, 404, "NOT_FOUND").await;
    // The talent sees their own work order.
    assert_eq!(app.get_as(&s.talent_token, &format!("/v1/work_orders/{wo}")).await.status(), 200);
}

#[tokio::test]
async fn the_worker_evaluates_new_deliveries_before_anyone_asks() {
    let app = spawn_app().await;
    let (s, wo) = photo_job(&app).await;
    assert!(!app.workers.run_one_qa().await.unwrap(), "nothing is delivered yet");
    let mut ids = Vec::new();
    for (i, bytes) in good_photos().into_iter().enumerate() {
        ids.push(upload(&app, &s.talent_token, &wo, &format!("p{i}.jpg"), "image/jpeg", bytes).await);
    }
    assert_eq!(deliver(&app, &s, &wo, "photo", &ids).await.status(), 201);

    assert!(app.workers.run_one_qa().await.unwrap());
    assert!(!app.workers.run_one_qa().await.unwrap(), "each delivery is evaluated once");
    // Decided before the principal asked; asking reads the stored report.
    assert_eq!(json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}")).await).await["status"], "qa_passed");
    let report = json(app.get_as(&s.key, &format!("/v1/work_orders/{wo}/qa")).await).await;
    assert_eq!(report["status"], "passed", "{report:#}");
    assert_eq!(app.event_types().await.into_iter().filter(|e| e == "qa.completed").count(), 1);
    let audit = json(app.get_as(&s.key, &format!("/v1/audit?entity_type=work_order&entity_id={wo}")).await).await;
    let entry = audit["data"].as_array().unwrap().iter().find(|e| e["action"] == "qa.completed").expect("audited");
    assert_eq!(entry["actor_type"], "system");
}
