use crate::helpers::{json, spawn_app};

#[tokio::test]
async fn healthz_reads_the_database() {
    let app = spawn_app().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers().get("x-request-id").is_some_and(|v| v.to_str().unwrap().starts_with("req_")));
    let body = json(response).await;
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], app.backend);
    assert!(body["database_time"].as_str().unwrap().starts_with("20"), "{body}");
}

#[tokio::test]
async fn healthz_answers_503_in_the_envelope_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.db.clone().close().await.unwrap();
    let response = app.get("/healthz").await;
    crate::helpers::assert_error(response, 503, "SERVICE_UNAVAILABLE").await;
}

#[tokio::test]
async fn a_client_request_id_is_kept_and_a_bad_one_replaced() {
    let app = spawn_app().await;
    let kept = app.client.get(app.url("/healthz")).header("x-request-id", "agent-run-42").send().await.unwrap();
    assert_eq!(kept.headers()["x-request-id"], "agent-run-42");
    let replaced = app.client.get(app.url("/healthz")).header("x-request-id", "has space").send().await.unwrap();
    assert!(replaced.headers()["x-request-id"].to_str().unwrap().starts_with("req_"));
}
