//! Times on a page: machine-readable in `datetime`, written for people in the text.

use chrono::{DateTime, Utc};
use leptos::prelude::*;

/// `Tue 8 Dec 2026, 15:00 UTC`.
pub fn written(at: DateTime<Utc>) -> String {
    at.format("%a %-d %b %Y, %H:%M UTC").to_string()
}

#[component]
pub fn When(at: DateTime<Utc>) -> impl IntoView {
    view! { <time datetime=at.to_rfc3339()>{written(at)}</time> }
}

/// A time already written for its reader (in their time zone, by the server).
#[component]
pub fn WhenWritten(at: DateTime<Utc>, written: String) -> impl IntoView {
    view! { <time datetime=at.to_rfc3339()>{written}</time> }
}
