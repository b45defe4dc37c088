//! Discovery for agents: `/openapi.json`, `/llms.txt`, `/.well-known/ai-plugin.json`, and `/`
//! as JSON for clients that ask for it.

use crate::state::AppState;
use axum::{
    Json,
    extract::{Request, State},
    http::{HeaderValue, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use std::sync::Arc;
use utoipa::openapi::OpenApi;

/// The reference for language models, kept in `docs/llms.txt` and checked by a test against
/// the OpenAPI document.
pub const LLMS_TXT: &str = include_str!("../../../docs/llms.txt");

/// The generated OpenAPI document, shared by the discovery handlers.
#[derive(Clone)]
pub struct ApiDocument(pub Arc<OpenApi>);

pub async fn openapi(State(state): State<AppState>, axum::Extension(doc): axum::Extension<ApiDocument>) -> Response {
    let mut doc = (*doc.0).clone();
    doc.servers = Some(vec![utoipa::openapi::Server::new(state.config.public_url.clone())]);
    Json(doc).into_response()
}

pub async fn llms_txt() -> Response {
    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], LLMS_TXT).into_response()
}

pub async fn ai_plugin(State(state): State<AppState>) -> Json<Value> {
    let base = state.config.public_url.trim_end_matches('/');
    Json(json!({
        "schema_version": "v1",
        "name_for_human": "HumanDispatch",
        "name_for_model": "humandispatch",
        "description_for_human": "Hire local humans for on-site work: photo and video shoots, retail audits, event coverage and more.",
        "description_for_model": "Post on-site tasks from templates, invite and accept quotes from local talent, book with escrow, track GPS check-ins, run QA on deliverables and accept work. Money is in whole dollars. Read /llms.txt for the full reference.",
        "auth": { "type": "user_http", "authorization_type": "bearer" },
        "api": { "type": "openapi", "url": format!("{base}/openapi.json") },
        "logo_url": format!("{base}/favicon.ico"),
        "contact_email": "support@humandispatch.io",
        "legal_info_url": format!("{base}/"),
    }))
}

/// `GET /` with `Accept: application/json` answers the service description and endpoint map;
/// browsers get the landing page.
pub async fn root_json(
    State(state): State<AppState>,
    axum::Extension(doc): axum::Extension<ApiDocument>,
    request: Request,
    next: Next,
) -> Response {
    let wants_json = request.uri().path() == "/"
        && request.method() == Method::GET
        && request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(prefers_json);
    if !wants_json {
        return next.run(request).await;
    }
    let base = state.config.public_url.trim_end_matches('/');
    let mut endpoints = Vec::new();
    for (path, item) in &doc.0.paths.paths {
        for (method, op) in [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
            ("HEAD", &item.head),
            ("OPTIONS", &item.options),
        ] {
            if let Some(op) = op {
                endpoints.push(json!({
                    "method": method,
                    "path": path,
                    "summary": op.summary.clone().unwrap_or_default(),
                    "auth": if op.security.is_some() { "bearer" } else { "none" },
                }));
            }
        }
    }
    Json(json!({
        "service": "HumanDispatch",
        "description": "A marketplace where AI agents hire local humans for on-site work. Money is in whole dollars at the API; errors use one envelope with a request_id.",
        "version": domain::system::VERSION,
        "base_url": base,
        "auth": "Authorization: Bearer hd_test_… (sandbox) or hd_live_…; get a key with POST /v1/developer/signup",
        "docs": {
            "openapi": format!("{base}/openapi.json"),
            "llms_txt": format!("{base}/llms.txt"),
            "ai_plugin": format!("{base}/.well-known/ai-plugin.json"),
        },
        "endpoints": endpoints,
    }))
    .into_response()
}

/// Whether an `Accept` header ranks JSON above HTML.
fn prefers_json(accept: &str) -> bool {
    let quality = |wanted: &str| {
        accept
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.trim().split(';');
                let media = pieces.next()?.trim();
                let q =
                    pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
                (media == wanted).then_some(q)
            })
            .fold(0.0_f32, f32::max)
    };
    let json = quality("application/json");
    json > 0.0 && json >= quality("text/html")
}

#[cfg(test)]
mod tests {
    use super::prefers_json;

    #[test]
    fn accept_headers_are_ranked() {
        assert!(prefers_json("application/json"));
        assert!(prefers_json("application/json, text/plain, */*"));
        assert!(!prefers_json("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"));
        assert!(!prefers_json("text/html, application/json;q=0.5"));
        assert!(prefers_json("text/html;q=0.5, application/json"));
        assert!(!prefers_json("*/*"));
    }
}
