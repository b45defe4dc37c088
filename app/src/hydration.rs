//! Loads the wasm once the page has loaded and the browser is idle, with no preload hints, and
//! only on a page that has islands (`#[island]` components) to hydrate: a page without one
//! fetches no wasm at all. Leptos' own `HydrationScripts` adds `<link rel=preload>` for the js
//! and the wasm, which start fetching while the HTML is parsed: on a phone on a slow connection
//! the wasm then shares the bandwidth with the stylesheet before the first paint, and Lighthouse
//! counts its download into the largest contentful paint. Every page is complete HTML and every
//! form posts without the wasm, so nothing waits for it. When the islands are hydrated (or there
//! are none) `#app` gets `data-hydrated="true"`: the browser tests wait for it before clicking
//! what only an island makes work.

use leptos::prelude::*;

/// `(js, wasm)` file names in the site's `pkg` directory, as cargo-leptos named them: with
/// their content hashes (from the hash file beside the server binary) when `hash-files` is on.
#[cfg(feature = "ssr")]
fn bundle_names(options: &LeptosOptions) -> (String, String) {
    let mut js = options.output_name.to_string();
    let mut wasm = options.output_name.to_string();
    if options.hash_files {
        let hashes = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.parent().map(|dir| dir.join(options.hash_file.as_ref())))
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_else(|| {
                // The pages would name bundles without hashes, which the build did not make.
                leptos::logging::error!("hash-files is on but {} is not beside the server binary", options.hash_file);
                String::new()
            });
        for (file, hash) in hashes.lines().filter_map(|l| l.trim().split_once(':')) {
            match file.trim() {
                "js" => js.push_str(&format!(".{}", hash.trim())),
                "wasm" => wasm.push_str(&format!(".{}", hash.trim())),
                _ => {}
            }
        }
    } else if std::option_env!("LEPTOS_OUTPUT_NAME").is_none() {
        wasm.push_str("_bg");
    }
    (js, wasm)
}

/// Hydrates each `<leptos-island>` with its function from the wasm, as Leptos' island script
/// does (an island's `<leptos-children>` are hydrated by the island around them).
#[cfg(feature = "ssr")]
const ISLANDS: &str = r#"
const hd_ready = () => document.getElementById('app')?.setAttribute('data-hydrated', 'true');
const hd_children = [];
async function hd_island(el, mod) {
  const hydrate = mod[el.dataset.component];
  if (!hydrate) { console.warn(`no wasm function for the island ${el.dataset.component}`); return; }
  const children = hd_children[hd_children.length - 1];
  if (children) children();
  const done = hydrate(el);
  if (done && done.then) await done;
}
async function hd_traverse(node, mod) {
  if (node.nodeType !== Node.ELEMENT_NODE) return;
  const tag = node.tagName.toLowerCase();
  if (tag === 'leptos-island') await hd_island(node, mod);
  if (tag === 'leptos-children') hd_children.push(node.$$on_hydrate);
  for (const child of node.children) await hd_traverse(child, mod);
  if (tag === 'leptos-children') hd_children.pop();
}
"#;

/// The script that, after `load` and when idle (at most two seconds later: a page that is never
/// idle still gets it), imports the js glue and starts the wasm if the page has islands.
#[component]
pub fn IdleHydration(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let script = {
        let (js, wasm) = bundle_names(&options);
        let pkg = format!("/{}", options.site_pkg_dir);
        format!(
            "{ISLANDS}\
             const hd_hydrate = () => {{\
               if (!document.querySelector('leptos-island')) return hd_ready();\
               import({js:?}).then((m) => m.default({{ module_or_path: {wasm:?} }}).then(async () => {{ m.hydrate(); await hd_traverse(document.body, m); hd_ready(); }}));\
             }};\
             const hd_idle = () => ('requestIdleCallback' in window ? requestIdleCallback(hd_hydrate, {{ timeout: 2000 }}) : setTimeout(hd_hydrate, 0));\
             if (document.readyState === 'complete') hd_idle(); else addEventListener('load', hd_idle, {{ once: true }});",
            js = format!("{pkg}/{js}.js"),
            wasm = format!("{pkg}/{wasm}.wasm"),
        )
    };
    #[cfg(not(feature = "ssr"))]
    let script = {
        let _ = options;
        String::new()
    };
    view! { <script type="module">{script}</script> }
}
