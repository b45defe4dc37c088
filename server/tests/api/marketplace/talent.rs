//! Talent search and profiles: ranked, scoped, public fields only.

use super::new_talent;
use crate::helpers::{assert_error, json, spawn_app};
use serde_json::json;

#[tokio::test]
async fn search_ranks_by_fit_and_distance_and_hides_contact_details() {
    let app = spawn_app().await;
    let (_, key) = app.signup("Searcher").await;
    let (close, _) = new_talent(&app, &key, json!({"name": "Close", "home_lat": 43.26, "home_lng": -79.87, "skills": ["photography"], "email": "close@example.com", "phone": "+1 555 0100"})).await;
    let (farther, _) = new_talent(
        &app,
        &key,
        json!({"name": "Farther", "home_lat": 43.35, "home_lng": -79.80, "skills": ["photography", "video"]}),
    )
    .await;
    let (_, _) = new_talent(&app, &key, json!({"name": "Toronto", "home_lat": 43.65, "home_lng": -79.38, "skills": ["photography"], "travel_radius_km": 10})).await;
    let (_, _) = new_talent(&app, &key, json!({"name": "Podcaster", "home_lat": 43.26, "home_lng": -79.87, "skills": ["audio"], "task_types": ["PODCAST_ON_SITE_CAPTURE"]})).await;

    let results =
        json(app.get_as(&key, "/v1/talent/search?skills=photography&near=43.2557,-79.8711&radius_km=50").await).await;
    let names: Vec<&str> =
        results["data"].as_array().unwrap().iter().map(|m| m["talent"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Close", "Farther"], "Toronto travels 10 km only; the podcaster has no photography");
    assert!(results["data"][0]["distance_km"].as_f64().unwrap() < results["data"][1]["distance_km"].as_f64().unwrap());
    let text = results.to_string();
    // Random ids are hex and may contain "555": look for the whole number.
    assert!(!text.contains("close@example.com") && !text.contains("+1 555 0100"), "{text}");

    let both = json(app.get_as(&key, "/v1/talent/search?skills=photography,video&near=43.2557,-79.8711").await).await;
    assert_eq!(both["data"][0]["talent"]["id"], farther.as_str(), "full fit outranks closeness here");
    assert_eq!(both["data"][0]["fit"], 1.0);

    let podcast = json(app.get_as(&key, "/v1/talent/search?task_type=PODCAST_ON_SITE_CAPTURE").await).await;
    assert_eq!(podcast["data"].as_array().unwrap().len(), 4, "every talent takes every type unless told otherwise");

    let profile = json(app.get_as(&key, &format!("/v1/talent/{close}")).await).await;
    assert_eq!(profile["name"], "Close");
    assert!(profile.get("email").is_none() && profile.get("phone").is_none());
    assert_eq!(profile["home_area"]["lat"], 43.26);

    for bad in ["near=91,0", "near=abc", "radius_km=0", "radius_km=1000", "task_type=NOPE", "limit=0"] {
        assert_error(app.get_as(&key, &format!("/v1/talent/search?{bad}")).await, 400, "SCHEMA_VALIDATION_FAILED")
            .await;
    }
}

#[tokio::test]
async fn sandbox_talent_belong_to_the_principal_who_made_them() {
    let app = spawn_app().await;
    let (_, alice) = app.signup("Alice").await;
    let (_, bob) = app.signup("Bob").await;
    let (id, _) = new_talent(&app, &alice, json!({})).await;
    assert_error(app.get_as(&bob, &format!("/v1/talent/{id}")).await, 404, "NOT_FOUND").await;
    let bobs = json(app.get_as(&bob, "/v1/talent/search").await).await;
    assert!(bobs["data"].as_array().unwrap().is_empty());
    let bad = app.post_as(&alice, "/v1/test_helpers/talent", &json!({"home_lat": 123})).await;
    assert_error(bad, 400, "SCHEMA_VALIDATION_FAILED").await;
}
