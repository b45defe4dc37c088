//! Cross-site request refusal for what a browser authenticates by itself (the session cookie):
//! a write that a browser says comes from another site (`Sec-Fetch-Site: cross-site` or
//! `same-site`, or an `Origin` that is not ours) is refused before it is read. That covers
//! every server function (the sign-in ones included, which closes login CSRF) and the `/v1`
//! writes a portal session makes. Requests with an `Authorization` header are not cookie-borne
//! and pass; so do clients that are not browsers, which send neither header and carry no
//! ambient credentials.

use crate::{error::ApiError, state::AppState};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use domain::{Error, ErrorCode};

pub async fn same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if safe || request.headers().contains_key(header::AUTHORIZATION) {
        return next.run(request).await;
    }
    match cross_site(request.headers(), &state.config.public_url) {
        Some(why) => ApiError(
            Error::new(ErrorCode::PolicyBlocked, format!("Cross-site request refused: {why}"))
                .with_details(serde_json::json!({ "current_status": "cross_site" })),
        )
        .into_response(),
        None => next.run(request).await,
    }
}

/// Why a request's headers say it comes from another site, if they do.
fn cross_site(headers: &HeaderMap, public_url: &str) -> Option<String> {
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if let Some(site) = fetch_site
        && !matches!(site, "same-origin" | "none")
    {
        return Some(format!("Sec-Fetch-Site is {site}"));
    }
    let origin = headers.get(header::ORIGIN).map(|v| v.to_str().unwrap_or("?"))?;
    let ours = url::Url::parse(public_url).ok().map(|u| u.origin().ascii_serialization());
    (ours.as_deref() != Some(origin)).then(|| format!("Origin {origin} is not this site"))
}

#[cfg(test)]
mod tests {
    use super::cross_site;
    use axum::http::HeaderMap;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs.iter().map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap())).collect()
    }

    #[test]
    fn only_what_a_browser_marks_as_another_sites_is_refused() {
        let ours = "https://hd.example.com";
        assert!(cross_site(&headers(&[]), ours).is_none(), "not a browser");
        assert!(cross_site(&headers(&[("origin", "https://hd.example.com")]), ours).is_none());
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-origin")]), ours).is_none());
        assert!(cross_site(&headers(&[("sec-fetch-site", "none")]), ours).is_none(), "typed in the address bar");
        assert!(cross_site(&headers(&[("origin", "https://evil.example")]), ours).is_some());
        assert!(cross_site(&headers(&[("origin", "http://hd.example.com")]), ours).is_some(), "another scheme");
        assert!(cross_site(&headers(&[("origin", "null")]), ours).is_some(), "a sandboxed frame");
        assert!(cross_site(&headers(&[("sec-fetch-site", "cross-site")]), ours).is_some());
        assert!(cross_site(&headers(&[("sec-fetch-site", "same-site")]), ours).is_some(), "a sibling subdomain");
    }
}
