//! Discovery: the OpenAPI document, llms.txt, the plugin manifest and `/` as JSON.

use crate::helpers::{json, spawn_app};
use serde_json::Value;

const METHODS: [&str; 7] = ["get", "post", "put", "delete", "patch", "head", "options"];

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in METHODS {
            if let Some(op) = item.get(method) {
                ops.push((method.to_uppercase(), path.clone(), op.clone()));
            }
        }
    }
    ops
}

/// The seed's endpoints that exist so far: each must be in the document.
const SERVED: [(&str, &str); 53] = [
    ("POST", "/v1/developer/signup"),
    ("GET", "/v1/templates"),
    ("GET", "/v1/templates/{task_type}"),
    ("POST", "/v1/tasks"),
    ("GET", "/v1/tasks"),
    ("GET", "/v1/tasks/{task_id}"),
    ("POST", "/v1/tasks/{task_id}/publish"),
    ("POST", "/v1/api_keys"),
    ("GET", "/v1/api_keys"),
    ("DELETE", "/v1/api_keys/{key_id}"),
    ("GET", "/v1/audit"),
    ("POST", "/v1/tasks/{task_id}/quote_requests"),
    ("GET", "/v1/tasks/{task_id}/quotes"),
    ("POST", "/v1/quotes/{quote_id}/accept"),
    ("POST", "/v1/bookings"),
    ("GET", "/v1/bookings/{booking_id}"),
    ("POST", "/v1/bookings/{booking_id}/checkin"),
    ("POST", "/v1/bookings/{booking_id}/cancel"),
    ("GET", "/v1/talent/search"),
    ("GET", "/v1/talent/{talent_id}"),
    ("POST", "/v1/talent/{talent_id}/quote"),
    ("POST", "/v1/test_helpers/talent"),
    ("POST", "/v1/test_helpers/billing/attach_card"),
    ("POST", "/v1/billing/setup"),
    ("GET", "/v1/billing/setup"),
    ("GET", "/v1/billing/status"),
    ("GET", "/v1/billing/spend_cap"),
    ("PUT", "/v1/billing/spend_cap"),
    ("GET", "/v1/stripe/fees"),
    ("POST", "/v1/files/presign"),
    ("GET", "/v1/files/{file_id}"),
    ("PUT", "/v1/files/{file_id}/content"),
    ("GET", "/v1/files/{file_id}/download"),
    ("OPTIONS", "/v1/uploads"),
    ("POST", "/v1/uploads"),
    ("HEAD", "/v1/uploads/{upload_id}"),
    ("PATCH", "/v1/uploads/{upload_id}"),
    ("DELETE", "/v1/uploads/{upload_id}"),
    ("GET", "/v1/work_orders/{work_order_id}"),
    ("GET", "/v1/work_orders/{work_order_id}/deliverables"),
    ("POST", "/v1/work_orders/{work_order_id}/deliverables"),
    ("GET", "/v1/work_orders/{work_order_id}/qa"),
    ("POST", "/v1/work_orders/{work_order_id}/request_changes"),
    ("POST", "/v1/work_orders/{work_order_id}/accept"),
    ("POST", "/v1/work_orders/{work_order_id}/disputes"),
    ("POST", "/v1/disputes/{dispute_id}/resolve"),
    ("GET", "/v1/events"),
    ("POST", "/v1/webhooks"),
    ("GET", "/v1/webhooks"),
    ("DELETE", "/v1/webhooks/{webhook_id}"),
    ("GET", "/v1/webhooks/{webhook_id}/deliveries"),
    ("POST", "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry"),
    ("POST", "/v1/webhooks/{webhook_id}/rotate_secret"),
];

#[tokio::test]
async fn the_openapi_document_describes_every_route_with_its_errors() {
    let app = spawn_app().await;
    let doc = json(app.get("/openapi.json").await).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    assert_eq!(doc["servers"][0]["url"], app.address.as_str());
    let ops = operations(&doc);
    for (method, path) in SERVED {
        assert!(ops.iter().any(|(m, p, _)| m == method && p == path), "{method} {path} missing from /openapi.json");
    }
    let ids: Vec<&str> = ops.iter().map(|(_, _, op)| op["operationId"].as_str().unwrap()).collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "operationIds are unique: {ids:?}");
    // Two Rust types of one name would share one schema, and one would document the other's
    // fields: a task's deliverables are counts, a work order's are files.
    let schemas = &doc["components"]["schemas"];
    let task_item = &schemas["CreateTaskRequest"]["properties"]["deliverables"]["type"];
    assert!(task_item.is_array(), "{task_item}");
    assert!(schemas["TaskDeliverableInput"]["properties"]["count"].is_object(), "{}", schemas["TaskDeliverableInput"]);
    assert!(schemas["DeliverableInput"]["properties"]["file_ids"].is_object(), "{}", schemas["DeliverableInput"]);
    let (_, key) = app.signup("Doc").await;
    for (method, path, op) in &ops {
        // Every documented operation is served (a request to it never meets the router's 404/405).
        let url = app.url(&path.replace("{task_type}", "PRODUCT_PHOTO_ECOMM").replace('{', "x").replace('}', ""));
        let request = app.client.request(method.parse().unwrap(), &url).bearer_auth(&key);
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        assert!(status != 405, "{method} {path} is documented but not served");
        if !response.status().is_redirection() && !matches!(method.as_str(), "HEAD" | "OPTIONS") && status != 200 {
            let body = json(response).await;
            assert!(
                !body["error"]["message"].as_str().unwrap_or("").starts_with("No such endpoint"),
                "{method} {path} is documented but not served"
            );
        }
        // Errors are documented with the envelope: every one the server can give.
        let responses = op["responses"].as_object().unwrap();
        for status in ["400", "429", "500", "503"] {
            assert!(responses.contains_key(status), "{method} {path} does not document {status}");
        }
        if op.get("requestBody").is_some() {
            assert!(responses.contains_key("413") && responses.contains_key("415"), "{method} {path}: 413/415");
        }
        for param in op["parameters"].as_array().into_iter().flatten() {
            if param["name"] == "Idempotency-Key" {
                assert_eq!(param["schema"]["pattern"], "^[!-~]+$", "{method} {path}");
                assert_eq!(param["schema"]["maxLength"], 255, "{method} {path}");
            }
        }
        assert!(responses.keys().any(|s| s.starts_with('4')), "{method} {path} documents no error");
        for (status, response) in responses {
            // A shared response (`#/components/responses/…`) stands for its definition.
            let response = match response["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/responses/")) {
                Some(name) => &doc["components"]["responses"][name],
                None => response,
            };
            // OpenAPI requires it, and generated clients refuse a document without.
            assert!(
                response["description"].as_str().is_some_and(|d| !d.is_empty()),
                "{method} {path} {status} has no description"
            );
            if status.starts_with('4') || status.starts_with('5') {
                assert_eq!(
                    response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorEnvelope",
                    "{method} {path} {status}"
                );
            }
        }
        let public = matches!(
            (method.as_str(), path.as_str()),
            ("POST", "/v1/developer/signup")
                | ("GET", "/v1/templates")
                | ("GET", "/v1/templates/{task_type}")
                | ("GET", "/v1/billing/setup")
                | ("GET", "/v1/stripe/fees")
                | ("PUT", "/v1/files/{file_id}/content")
                | ("GET", "/v1/files/{file_id}/download")
                | ("OPTIONS", "/v1/uploads")
        );
        let private = !public;
        assert_eq!(op.get("security").is_some(), private, "{method} {path} security");
    }
}

/// Every link leads somewhere real: its target operation exists and takes the parameter, and
/// the value it points at is a property of the response it starts from.
#[tokio::test]
async fn openapi_links_follow_ids_from_one_operation_to_the_next() {
    let app = spawn_app().await;
    let doc = json(app.get("/openapi.json").await).await;
    let ops = operations(&doc);
    let by_id =
        |id: &str| ops.iter().find(|(_, _, op)| op["operationId"] == id).map(|(_, p, op)| (p.clone(), op.clone()));
    let resolve = |schema: &Value| -> Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
            None => schema.clone(),
        }
    };
    let mut count = 0;
    for (_, _, op) in &ops {
        for (status, response) in op["responses"].as_object().unwrap() {
            let Some(links) = response.get("links").and_then(Value::as_object) else { continue };
            for (name, link) in links {
                count += 1;
                let source = op["operationId"].as_str().unwrap();
                let target = link["operationId"].as_str().unwrap();
                let (path, _) =
                    by_id(target).unwrap_or_else(|| panic!("{source} {status} {name}: no operation {target}"));
                for (parameter, value) in link["parameters"].as_object().unwrap() {
                    assert!(
                        path.contains(&format!("{{{parameter}}}")),
                        "{source} {name}: {target} takes no {parameter}"
                    );
                    let pointer = value.as_str().unwrap().strip_prefix("$response.body#").unwrap();
                    let mut schema = resolve(&response["content"]["application/json"]["schema"]);
                    for key in pointer.split('/').skip(1) {
                        let property = schema["properties"][key].clone();
                        assert!(
                            !property.is_null(),
                            "{source} {status} {name}: no {key} in the response for {pointer}"
                        );
                        schema = resolve(&property);
                    }
                }
            }
        }
    }
    assert_eq!(count, server::openapi::LINKS.len(), "every link in the table is in the document");
}

#[tokio::test]
async fn llms_txt_covers_every_documented_operation() {
    let app = spawn_app().await;
    let response = app.get("/llms.txt").await;
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
    let text = response.text().await.unwrap();
    let doc = json(app.get("/openapi.json").await).await;
    for (method, path, _) in operations(&doc) {
        assert!(text.contains(&format!("### {method} {path}")), "llms.txt lacks a section for {method} {path}");
    }
    for code in domain::ErrorCode::ALL {
        assert!(text.contains(code.as_str()), "llms.txt lacks {code}");
    }
    for event in domain::events::EventType::ALL {
        assert!(text.contains(event.as_str()), "llms.txt lacks {}", event.as_str());
    }
}

#[tokio::test]
async fn the_plugin_manifest_points_at_the_openapi_document() {
    let app = spawn_app().await;
    let manifest = json(app.get("/.well-known/ai-plugin.json").await).await;
    assert_eq!(manifest["api"]["type"], "openapi");
    assert_eq!(manifest["api"]["url"], app.url("/openapi.json"));
    assert_eq!(manifest["auth"]["authorization_type"], "bearer");
    assert_eq!(manifest["name_for_model"], "humandispatch");
}

#[tokio::test]
async fn the_root_answers_json_to_agents_and_html_to_browsers() {
    let app = spawn_app().await;
    let agent = app.client.get(app.url("/")).header("accept", "application/json").send().await.unwrap();
    assert!(agent.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body = json(agent).await;
    assert_eq!(body["service"], "HumanDispatch");
    assert_eq!(body["docs"]["openapi"], app.url("/openapi.json"));
    let endpoints = body["endpoints"].as_array().unwrap();
    assert!(endpoints.iter().any(|e| e["method"] == "POST" && e["path"] == "/v1/tasks" && e["auth"] == "bearer"));

    let browser = app
        .client
        .get(app.url("/"))
        .header("accept", "text/html,application/xhtml+xml,*/*;q=0.8")
        .send()
        .await
        .unwrap();
    assert!(browser.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}
