//! Live pages: the account's events as they happen, from the server's stream
//! (`GET /dashboard/stream`, server-sent events). The browser's EventSource reconnects by itself
//! after a dropped connection and sends the last event id it got, so the server resumes where
//! it stopped; a page only has to say where its data ends.
//!
//! What changes on the page is rendered by the server, as the page itself is: on an event the
//! island reads the page again and puts the fresh HTML of one region in place. The wasm then
//! holds none of the dashboard's views or data types (they were most of its size), and the
//! page cannot show something the server would not render.

use leptos::prelude::*;

/// Where the stream is served.
pub const STREAM_PATH: &str = "/dashboard/stream";

/// Keeps the element `region` (its id) of this page up to date: after each of the account's
/// events past `after` (the last event the page's data includes; `None`: the newest) the page
/// is read again and the region's contents replaced by the server's. What the owner typed in a
/// field of the region stays. The region's `data-live-updates` counts the replacements.
#[island]
pub fn Follow(region: String, after: Option<String>) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    follow(after, refresher(region));
    #[cfg(not(feature = "hydrate"))]
    let _ = (region, after);
}

/// Calls `on_event` on each event of the stream after `after`, until the island is dropped.
#[cfg(feature = "hydrate")]
fn follow(after: Option<String>, on_event: impl Fn() + 'static) {
    use wasm_bindgen::{JsCast, closure::Closure};

    let url = match after {
        Some(id) => format!("{STREAM_PATH}?after={id}"),
        None => STREAM_PATH.to_owned(),
    };
    let Ok(source) = web_sys::EventSource::new(&url) else {
        leptos::logging::warn!("this browser cannot open {url}");
        return;
    };
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |_: web_sys::MessageEvent| on_event());
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // Kept alive with the source, and both closed when the island goes.
    let kept = send_wrapper::SendWrapper::new((source, on_message));
    on_cleanup(move || kept.0.close());
}

/// What a refresher is doing: events that arrive while the page is being read cause one more
/// read after it, so the last replacement is never older than the last event, and two reads
/// never race to replace the region.
#[cfg(feature = "hydrate")]
#[derive(Clone, Copy, PartialEq)]
enum Reading {
    Idle,
    Busy,
    BusyAndBehind,
}

#[cfg(feature = "hydrate")]
fn refresher(region: String) -> impl Fn() + 'static {
    use std::{cell::Cell, rc::Rc};

    let state = Rc::new(Cell::new(Reading::Idle));
    let updates = Rc::new(Cell::new(0u32));
    move || match state.get() {
        Reading::Busy | Reading::BusyAndBehind => state.set(Reading::BusyAndBehind),
        Reading::Idle => {
            state.set(Reading::Busy);
            let (state, updates, region) = (state.clone(), updates.clone(), region.clone());
            leptos::task::spawn_local(async move {
                loop {
                    match replace(&region).await {
                        Ok(()) => updates.set(updates.get() + 1),
                        Err(why) => leptos::logging::warn!("refreshing #{region}: {why}"),
                    }
                    if let Some(el) =
                        web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&region))
                    {
                        let _ = el.set_attribute("data-live-updates", &updates.get().to_string());
                    }
                    if state.get() == Reading::BusyAndBehind {
                        state.set(Reading::Busy);
                    } else {
                        state.set(Reading::Idle);
                        break;
                    }
                }
            });
        }
    }
}

/// Reads this page again and puts its `region` in place.
#[cfg(feature = "hydrate")]
async fn replace(region: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;

    let why = |e: wasm_bindgen::JsValue| format!("{e:?}");
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let href = window.location().href().map_err(why)?;
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::SameOrigin);
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(&href, &init)).await.map_err(why)?.dyn_into().map_err(why)?;
    // Signed out meanwhile, or the server is in trouble: the page stays as it is.
    if !response.ok() || response.redirected() {
        return Err(format!("{href} answered {}", response.status()));
    }
    let html = JsFuture::from(response.text().map_err(why)?).await.map_err(why)?.as_string().ok_or("no text")?;
    let fresh = web_sys::DomParser::new()
        .map_err(why)?
        .parse_from_string(&html, web_sys::SupportedType::TextHtml)
        .map_err(why)?
        .get_element_by_id(region)
        .ok_or("the page read again has no such region")?;
    let current = document.get_element_by_id(region).ok_or("this page has no such region")?;
    let typed = typed_in(&current);
    let focused = document.active_element().map(|e| e.id()).filter(|id| !id.is_empty());
    current.set_inner_html(&fresh.inner_html());
    for (at, value) in typed {
        if let Ok(Some(el)) = document.query_selector(&at) {
            value.put_back(&el);
        }
    }
    if let Some(el) =
        focused.and_then(|id| document.get_element_by_id(&id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
    Ok(())
}

/// What a field held before the region was replaced.
#[cfg(feature = "hydrate")]
enum Typed {
    /// Changed by the owner: it wins over what the server renders now.
    Edited(String),
    /// Rendered so by the server (the text of a refused form, which it gives back once): kept
    /// where the server now renders the field empty.
    Given(String),
    Checked(bool),
    /// A `<details>` the owner opened stays open.
    Open,
}

#[cfg(feature = "hydrate")]
impl Typed {
    fn put_back(self, el: &web_sys::Element) {
        use wasm_bindgen::JsCast;
        match (self, el.dyn_ref::<web_sys::HtmlInputElement>(), el.dyn_ref::<web_sys::HtmlTextAreaElement>()) {
            (Typed::Checked(on), Some(input), _) => input.set_checked(on),
            (Typed::Edited(text), Some(input), _) => input.set_value(&text),
            (Typed::Edited(text), None, Some(area)) => area.set_value(&text),
            (Typed::Given(text), Some(input), _) if input.value().is_empty() => input.set_value(&text),
            (Typed::Given(text), None, Some(area)) if area.value().is_empty() => area.set_value(&text),
            (Typed::Open, _, _) => {
                let _ = el.set_attribute("open", "");
            }
            _ => {}
        }
    }
}

/// The fields of `region` that hold something (changed since the page was rendered, or
/// rendered with text) and its open `<details>`, each with a selector that finds it again.
/// Hidden fields are the server's and are taken fresh.
#[cfg(feature = "hydrate")]
fn typed_in(region: &web_sys::Element) -> Vec<(String, Typed)> {
    use wasm_bindgen::JsCast;

    let mut typed = Vec::new();
    let Ok(found) = region.query_selector_all("input:not([type=hidden]), textarea, details[id][open]") else {
        return typed;
    };
    for el in (0..found.length()).filter_map(|i| found.item(i)).filter_map(|n| n.dyn_into::<web_sys::Element>().ok()) {
        if el.tag_name().eq_ignore_ascii_case("details") {
            typed.push((format!("#{}", el.id()), Typed::Open));
        } else if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
            let Some(at) =
                selector(&el, input.form().map(|f| f.id()), Some(input.value()).filter(|_| is_choice(input)))
            else {
                continue;
            };
            match input.type_().as_str() {
                "checkbox" | "radio" if input.checked() != input.default_checked() => {
                    typed.push((at, Typed::Checked(input.checked())))
                }
                "checkbox" | "radio" | "submit" | "button" => {}
                _ => typed.extend(text(at, input.value(), input.default_value())),
            }
        } else if let Some(area) = el.dyn_ref::<web_sys::HtmlTextAreaElement>()
            && let Some(at) = selector(&el, area.form().map(|f| f.id()), None)
        {
            typed.extend(text(at, area.value(), area.default_value().unwrap_or_default()));
        }
    }
    typed
}

#[cfg(feature = "hydrate")]
fn is_choice(input: &web_sys::HtmlInputElement) -> bool {
    matches!(input.type_().as_str(), "checkbox" | "radio")
}

/// `#id`, or the field's name (and value, for one of several boxes) in its form's `#id`: what
/// finds the same field in the page as the server renders it again. `None` for a field that
/// has neither (or a name a selector cannot quote plainly).
#[cfg(feature = "hydrate")]
fn selector(el: &web_sys::Element, form: Option<String>, value: Option<String>) -> Option<String> {
    let plain = |s: &str| !s.is_empty() && !s.contains(['"', '\\']);
    if plain(&el.id()) {
        return Some(format!("#{}", el.id()));
    }
    let (form, name) = (form.filter(|f| plain(f))?, el.get_attribute("name").filter(|n| plain(n))?);
    Some(match value.filter(|v| plain(v)) {
        Some(v) => format!("#{form} [name=\"{name}\"][value=\"{v}\"]"),
        None => format!("#{form} [name=\"{name}\"]"),
    })
}

#[cfg(feature = "hydrate")]
fn text(at: String, value: String, rendered: String) -> Option<(String, Typed)> {
    if value != rendered {
        Some((at, Typed::Edited(value)))
    } else if !value.is_empty() {
        Some((at, Typed::Given(value)))
    } else {
        None
    }
}
