//! Pages render on the server and carry what the browser needs to hydrate.

use crate::helpers::{json, spawn_app};

#[tokio::test]
async fn pages_render_with_their_hydration_scripts() {
    let app = spawn_app().await;
    for (path, heading) in [("/", "Hire local humans"), ("/dashboard", "Dashboard"), ("/portal", "Talent portal")] {
        let response = app.client.get(app.url(path)).header("accept", "text/html").send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(heading), "{path}: {html}");
        assert!(html.contains("/pkg/humandispatch.js"), "{path} loads the hydration script");
        assert!(html.contains("name=\"viewport\""), "{path} is laid out for phones");
    }
}

#[tokio::test]
async fn the_dashboard_is_rendered_with_the_status_from_the_database() {
    let app = spawn_app().await;
    let html = app.get("/dashboard").await.text().await.unwrap();
    assert!(html.contains("id=\"status-database\""), "{html}");
    assert!(html.contains(app.backend), "{html}");
}

#[tokio::test]
async fn unknown_pages_are_404_pages() {
    let app = spawn_app().await;
    let response = app.client.get(app.url("/no-such-page")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(response.status(), 404);
    assert!(response.text().await.unwrap().contains("Page not found"));
}

#[tokio::test]
async fn the_status_server_function_answers_json() {
    let app = spawn_app().await;
    let response = app.client.post(app.url("/api/system/status")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body = json(response).await;
    assert_eq!(body["database"], app.backend);
}

#[tokio::test]
async fn server_functions_answer_bad_arguments_with_a_4xx_not_a_500() {
    let app = spawn_app().await;
    for (endpoint, form) in [
        ("/api/developer/signup", vec![("name", "No email")]),
        ("/api/portal/quote", vec![("invitation_id", "qrq_x"), ("amount", "10")]),
        ("/api/portal/sign_in", vec![]),
    ] {
        let response =
            app.client.post(app.url(endpoint)).header("accept", "application/json").form(&form).send().await.unwrap();
        assert_eq!(response.status(), 400, "{endpoint}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["code"], "SCHEMA_VALIDATION_FAILED", "{endpoint}: {body}");
        assert!(body["details"]["errors"][0].as_str().unwrap().contains("missing field"), "{endpoint}: {body}");
    }
}
