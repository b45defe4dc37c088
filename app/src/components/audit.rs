//! Audit rows as people read them: what was done, and by whom.

use domain::audit::AuditEntry;
use leptos::prelude::*;

/// `quote.accepted` → "Quote accepted", `api_key.revoked` → "API key revoked".
pub fn action_words(action: &str) -> String {
    let spaced = action.replace("api_key", "API key").replace(['.', '_'], " ");
    let mut chars = spaced.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Who made a change: the owner on the dashboard, one of the agent's keys (by id), the talent,
/// or the service itself.
#[component]
pub fn Actor(entry: AuditEntry) -> impl IntoView {
    let words = match entry.actor_type.as_str() {
        "principal" => "by the owner, on the dashboard".to_owned(),
        "api_key" => "by the API key".to_owned(),
        "talent" => "by the talent".to_owned(),
        "system" => "by HumanDispatch".to_owned(),
        other => format!("by {other}"),
    };
    let id = (entry.actor_type == "api_key")
        .then(|| view! { " " <span class="font-mono text-xs">{entry.actor_id.clone()}</span> });
    view! { <span data-actor=entry.actor_type.clone()>{words}{id}</span> }
}
