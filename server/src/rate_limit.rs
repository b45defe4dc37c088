//! Rate limits, owned by the router: every `/v1` and `/api` route counts against the default
//! policy (60/min per caller, or per client address without one); the routes that move money
//! sit on their own sub-router whose layer also counts the money policy (10/min). Each layer
//! adds its decision to the response, and the outermost writes `RateLimit-Policy` (every policy
//! that applied) and `RateLimit` (the tightest); over a limit: 429 `RATE_LIMITED` with
//! `Retry-After`.

use crate::{client_addr, error::ApiError, state::AppState};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, ErrorCode, caller::Caller, rate_limit};
use serde_json::json;

/// The decisions the layers a response passed through made, innermost last.
#[derive(Clone, Default)]
struct Decisions(Vec<rate_limit::Decision>);

/// Whom a request counts against: its caller's key, or its client address.
fn bucket(request: &Request) -> String {
    match request.extensions().get::<Caller>() {
        Some(caller) => format!("key:{}", caller.rate_limit_key()),
        None => format!("ip:{}", client_addr::get(request)),
    }
}

/// The default policy, on the caller (routes behind authentication) or the client address.
pub async fn general(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let policy =
        rate_limit::Policy { name: "default", quota: state.services.config.rate_limit_per_minute, window_secs: 60 };
    let bucket = bucket(&request);
    enforce(&state, bucket, policy, request, next).await
}

/// The money policy, for the money sub-routers.
pub async fn money(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let policy =
        rate_limit::Policy { name: "money", quota: state.services.config.money_rate_limit_per_minute, window_secs: 60 };
    let bucket = format!("{}:money", bucket(&request));
    enforce(&state, bucket, policy, request, next).await
}

async fn enforce(
    state: &AppState,
    bucket: String,
    policy: rate_limit::Policy,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let decision = match rate_limit::hit(&state.services.db, &bucket, &policy, chrono::Utc::now().timestamp()).await {
        Ok(d) => d,
        Err(e) => return ApiError(e).into_response(),
    };
    let mut response = if decision.allowed {
        next.run(request).await
    } else {
        let retry = u64::try_from(decision.reset_secs.max(1)).unwrap_or(1);
        ApiError(
            Error::new(
                ErrorCode::RateLimited,
                format!(
                    "Rate limit exceeded: {} requests per {} s ({}); retry in {retry} s",
                    policy.quota, policy.window_secs, policy.name
                ),
            )
            .with_details(json!({ "policy": policy.name, "limit": policy.quota }))
            .with_retry_after(retry),
        )
        .into_response()
    };
    let mut decisions = response.extensions_mut().remove::<Decisions>().unwrap_or_default();
    decisions.0.insert(0, decision);
    let policies: Vec<String> = decisions
        .0
        .iter()
        .map(|d| format!("\"{}\";q={};w={}", d.policy.name, d.policy.quota, d.policy.window_secs))
        .collect();
    // The tightest decision is the one the client must respect.
    if let Some(tightest) = decisions.0.iter().min_by_key(|d| (d.allowed, d.remaining)) {
        let current = format!("\"{}\";r={};t={}", tightest.policy.name, tightest.remaining, tightest.reset_secs.max(0));
        if let Ok(v) = HeaderValue::from_str(&current) {
            response.headers_mut().insert("ratelimit", v);
        }
    }
    if let Ok(v) = HeaderValue::from_str(&policies.join(", ")) {
        response.headers_mut().insert("ratelimit-policy", v);
    }
    response.extensions_mut().insert(decisions);
    response
}
