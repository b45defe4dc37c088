//! Live pages: the account's events as they happen, from the server's stream
//! (`GET /dashboard/stream`, server-sent events). The browser's EventSource reconnects by itself
//! after a dropped connection and sends the last event id it got, so the server resumes where
//! it stopped; a page only has to say where its data ends.

/// Where the stream is served.
pub const STREAM_PATH: &str = "/dashboard/stream";

/// Calls `on_event` with each of the account's events after `after` (the last event the page's
/// data includes; `None`: the newest), until the calling island is dropped.
#[cfg(feature = "hydrate")]
pub fn follow(after: Option<String>, on_event: impl Fn(domain::events::Event) + 'static) {
    use wasm_bindgen::{JsCast, closure::Closure};

    let url = match after {
        Some(id) => format!("{STREAM_PATH}?after={id}"),
        None => STREAM_PATH.to_owned(),
    };
    let Ok(source) = web_sys::EventSource::new(&url) else {
        leptos::logging::warn!("this browser cannot open {url}");
        return;
    };
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |message: web_sys::MessageEvent| {
        let Some(data) = message.data().as_string() else { return };
        match serde_json::from_str(&data) {
            Ok(event) => on_event(event),
            Err(e) => leptos::logging::warn!("an event from the stream does not read: {e}"),
        }
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Kept alive with the source, and both closed when the island goes.
    let kept = send_wrapper::SendWrapper::new((source, on_message));
    leptos::prelude::on_cleanup(move || kept.0.close());
}

/// On the server a page is rendered once: there is nothing to follow.
#[cfg(not(feature = "hydrate"))]
pub fn follow(_after: Option<String>, _on_event: impl Fn(domain::events::Event) + 'static) {}
