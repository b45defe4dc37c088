//! Pages render on the server and carry what the browser needs to hydrate.

use crate::helpers::{TestApp, json, spawn_app};

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

/// What a page shows is in its HTML as sent, not filled in later by a script: a browser whose
/// wasm is blocked or slow shows the form, not "Loading…".
#[tokio::test]
async fn pages_arrive_complete_without_placeholders_for_scripts_to_fill() {
    let app = spawn_app().await;
    for (path, form) in
        [("/portal", "id=\"sign-in-form\""), ("/developer/signup", "id=\"signup-form\""), ("/billing/setup", "<form")]
    {
        let html = app.get(path).await.text().await.unwrap();
        let main = &html[html.find("<main").unwrap()..html.find("</main>").unwrap()];
        assert!(main.contains(form), "{path}: {main}");
        assert!(!html.contains("Loading…"), "{path} has a placeholder: {html}");
        // Out-of-order streaming sends a late part as a template that a script moves in.
        assert!(!html.contains("<template id="), "{path} was streamed for a script to finish: {html}");
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

/// The API key a sign-up shows, in the HTML of the page.
fn shown_key(html: &str) -> Option<String> {
    let start = html.find(r#"id="api-key""#)?;
    let text = &html[start..];
    let open = text.find('>')? + 1;
    let close = text[open..].find('<')?;
    Some(text[open..open + close].to_owned())
}

/// Posts a form as a browser does without the wasm (asking for HTML, from `page`); returns the
/// session cookie the answer set.
async fn post_without_wasm(app: &TestApp, endpoint: &str, page: &str, form: &[(&str, &str)]) -> String {
    let posted = app
        .client
        .post(app.url(endpoint))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", page)
        .header("origin", &app.address)
        .form(form)
        .send()
        .await
        .unwrap();
    assert!(posted.status().is_redirection(), "{endpoint}: {}", posted.status());
    // Leptos strips its error fields from the query and may leave the `?`.
    assert_eq!(posted.headers()["location"].to_str().unwrap().trim_end_matches('?'), page);
    posted.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned()
}

async fn page_with(app: &TestApp, page: &str, cookie: &str) -> String {
    app.client.get(page).header("cookie", cookie).send().await.unwrap().text().await.unwrap()
}

/// A form posted without the wasm is answered with a redirect back to its page, and that page
/// shows what the form did — the sign-up's API key — once.
#[tokio::test]
async fn a_sign_up_posted_without_the_wasm_shows_its_key_on_the_page_it_returns_to_once() {
    let app = spawn_app().await;
    let page = app.url("/developer/signup");
    let form = [("name", "No Script"), ("email", "noscript@example.com")];
    let cookie = post_without_wasm(&app, "/api/developer/signup", &page, &form).await;
    // Another browser, without the session the form set, does not see it.
    assert_eq!(shown_key(&app.get("/developer/signup").await.text().await.unwrap()), None);
    let key = shown_key(&page_with(&app, &page, &cookie).await).expect("the key is on the page");
    assert_eq!(app.get_as(&key, "/v1/tasks").await.status(), 200, "{key} works");
    assert_eq!(shown_key(&page_with(&app, &page, &cookie).await), None, "shown once");
}

/// The portal's sign-in form, posted without the wasm, comes back to a page that says the link
/// is on its way.
#[tokio::test]
async fn a_sign_in_request_posted_without_the_wasm_says_the_link_is_on_its_way() {
    let app = spawn_app().await;
    let page = app.url("/portal");
    let cookie = post_without_wasm(&app, "/api/portal/sign_in", &page, &[("email", "ana@example.com")]).await;
    assert!(page_with(&app, &page, &cookie).await.contains(r#"id="sign-in-sent""#));
    assert!(!page_with(&app, &page, &cookie).await.contains(r#"id="sign-in-sent""#), "said once");
}
