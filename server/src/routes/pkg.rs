//! `/pkg/…`: the wasm, js and css bundles cargo-leptos built. Sent as the brotli or gzip file
//! built beside each (`scripts/build-release.sh`) when the browser takes that encoding, so
//! nothing is compressed per request. When the names carry content hashes (a release build), a
//! name never changes what it holds, and the bundles are cached for a year as immutable.

use axum::http::{HeaderValue, Response, header::CACHE_CONTROL};
use leptos::config::LeptosOptions;
use tower::ServiceBuilder;
use tower_http::{services::ServeDir, set_header::SetResponseHeaderLayer};

const IMMUTABLE: HeaderValue = HeaderValue::from_static("public, max-age=31536000, immutable");
/// Unhashed names (a debug build) hold a different file after every build.
const REVALIDATE: HeaderValue = HeaderValue::from_static("no-cache");

pub fn router(options: &LeptosOptions) -> axum::Router {
    let dir = std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir);
    let cache = if options.hash_files { IMMUTABLE } else { REVALIDATE };
    let files = ServiceBuilder::new()
        // Only a file found is cached: a 404 for a name a newer build may provide is not.
        .layer(SetResponseHeaderLayer::overriding(CACHE_CONTROL, move |r: &Response<_>| {
            r.status().is_success().then(|| cache.clone())
        }))
        .service(ServeDir::new(dir).precompressed_br().precompressed_gzip());
    axum::Router::new().fallback_service(files)
}
