//! Rate limits on `/v1`: per API key (60/min by default, 10/min on money endpoints), per
//! client address on the public endpoints. `RateLimit-Policy` and `RateLimit` on every
//! response; 429 `RATE_LIMITED` with `Retry-After` when over.

use crate::{client_addr, error::ApiError, state::AppState};
use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, ErrorCode, auth::Actor, rate_limit};
use serde_json::json;

fn now_secs() -> i64 {
    chrono::Utc::now().timestamp()
}

/// For routes behind [`crate::auth::authenticate`]: counts against the API key.
pub async fn per_key(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let owner = match request.extensions().get::<Actor>() {
        Some(Actor::Principal(p)) => p.api_key_id.clone().unwrap_or_else(|| p.principal_id.clone()),
        Some(Actor::Talent(t)) => t.talent_id.clone(),
        None => client_addr::get(&request),
    };
    let config = &state.services.config;
    let mut checks = vec![(
        format!("key:{owner}"),
        rate_limit::Policy { name: "default", quota: config.rate_limit_per_minute, window_secs: 60 },
    )];
    if domain::rate_limit::is_money_endpoint(request.method().as_str(), request.uri().path()) {
        checks.push((
            format!("key:{owner}:money"),
            rate_limit::Policy { name: "money", quota: config.money_rate_limit_per_minute, window_secs: 60 },
        ));
    }
    enforce(&state, checks, request, next).await
}

/// For public routes: counts against the client's address.
pub async fn per_address(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let addr = client_addr::get(&request);
    let checks = vec![(
        format!("ip:{addr}"),
        rate_limit::Policy { name: "default", quota: state.services.config.rate_limit_per_minute, window_secs: 60 },
    )];
    enforce(&state, checks, request, next).await
}

async fn enforce(
    state: &AppState,
    checks: Vec<(String, rate_limit::Policy)>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let now = now_secs();
    let mut decisions = Vec::with_capacity(checks.len());
    for (bucket, policy) in &checks {
        match rate_limit::hit(&state.services.db, bucket, policy, now).await {
            Ok(d) => decisions.push(d),
            Err(e) => return ApiError(e).into_response(),
        }
    }
    // The tightest decision is the one the client must respect.
    let Some(tightest) = decisions.iter().min_by_key(|d| (d.allowed, d.remaining)).cloned() else {
        return next.run(request).await;
    };
    let mut response = if tightest.allowed {
        next.run(request).await
    } else {
        let retry = u64::try_from(tightest.reset_secs.max(1)).unwrap_or(1);
        ApiError(
            Error::new(
                ErrorCode::RateLimited,
                format!(
                    "Rate limit exceeded: {} requests per {} s ({}); retry in {retry} s",
                    tightest.policy.quota, tightest.policy.window_secs, tightest.policy.name
                ),
            )
            .with_details(json!({ "policy": tightest.policy.name, "limit": tightest.policy.quota }))
            .with_retry_after(retry),
        )
        .into_response()
    };
    let policies: Vec<String> = decisions
        .iter()
        .map(|d| format!("\"{}\";q={};w={}", d.policy.name, d.policy.quota, d.policy.window_secs))
        .collect();
    let current = format!("\"{}\";r={};t={}", tightest.policy.name, tightest.remaining, tightest.reset_secs.max(0));
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&policies.join(", ")) {
        headers.insert("ratelimit-policy", v);
    }
    if let Ok(v) = HeaderValue::from_str(&current) {
        headers.insert("ratelimit", v);
    }
    response
}
