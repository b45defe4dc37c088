//! `/v1/templates`: public discovery of the ten templates.

use crate::helpers::{assert_error, json, spawn_app};

#[tokio::test]
async fn the_ten_templates_are_public_with_schemas_rules_and_tests() {
    let app = spawn_app().await;
    let body = json(app.get("/v1/templates").await).await;
    let templates = body["data"].as_array().unwrap();
    assert_eq!(templates.len(), 10);
    for t in templates {
        let task_type = t["task_type"].as_str().unwrap();
        assert_eq!(t["spec_schema"]["$schema"], "https://json-schema.org/draft/2020-12/schema", "{task_type}");
        assert!(t["rules"]["min_budget"].as_i64().unwrap() > 0, "{task_type}");
        assert!(t["default_checkin_radius_m"].as_u64().unwrap() > 0, "{task_type}");
        assert!(!t["acceptance_tests"].as_array().unwrap().is_empty(), "{task_type}");
        assert!(["low", "medium", "high"].contains(&t["risk"].as_str().unwrap()));

        let one = json(app.get(&format!("/v1/templates/{task_type}")).await).await;
        assert_eq!(&one, t);
    }
}

#[tokio::test]
async fn an_unknown_template_is_404_with_the_available_ones() {
    let app = spawn_app().await;
    let body = assert_error(app.get("/v1/templates/DOG_WALKING").await, 404, "NOT_FOUND").await;
    assert_eq!(body["error"]["details"]["available"].as_array().unwrap().len(), 10);
}
