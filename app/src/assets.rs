//! Scripts and styles some pages load besides the wasm: the upload widget's (Uppy, bundled from
//! `frontend/uploads/`) and the passkey ceremonies' (`frontend/passkeys/`), each bundled by
//! `scripts/build-release.sh` into the site's `pkg` directory with a content hash in its name,
//! so they are cached for good like the wasm.

use domain::Error;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The URLs of those files, when the build made them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Assets {
    pub uploads_js: Option<String>,
    pub uploads_css: Option<String>,
    pub passkeys_js: Option<String>,
}

#[cfg(feature = "ssr")]
impl Assets {
    /// The `uploads.<hash>.js` and `.css` and `passkeys.<hash>.js` in the site's `pkg`
    /// directory (`pkg_dir`), as URLs under `pkg_url`; the newest when an older build left one
    /// behind.
    pub fn find(pkg_dir: &std::path::Path, pkg_url: &str) -> Assets {
        let newest = |stem: &str, ext: &str| {
            let prefix = format!("{stem}.");
            let entries = std::fs::read_dir(pkg_dir).ok()?;
            entries
                .filter_map(Result::ok)
                .filter(|e| {
                    let name = e.file_name().to_string_lossy().into_owned();
                    name.starts_with(&prefix) && name.ends_with(ext) && name.matches('.').count() == 2
                })
                .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
                .map(|e| format!("{pkg_url}/{}", e.file_name().to_string_lossy()))
        };
        Assets {
            uploads_js: newest("uploads", ".js"),
            uploads_css: newest("uploads", ".css"),
            passkeys_js: newest("passkeys", ".js"),
        }
    }
}

/// What the server found at start-up.
#[server(endpoint = "assets")]
pub async fn get_assets() -> Result<Assets, Error> {
    use_context::<Assets>().ok_or_else(|| Error::internal("the site's assets are missing from the Leptos context"))
}
