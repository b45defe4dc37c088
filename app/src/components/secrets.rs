//! A secret the server shows once (an API key, a webhook's signing secret): in full, with the
//! warning that it will not be shown again.

use leptos::prelude::*;

#[component]
pub fn ShownOnce(
    /// The section's id.
    id: &'static str,
    /// The id of the element holding the secret.
    value_id: &'static str,
    heading: &'static str,
    secret: String,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section id=id role="status" class="mt-6 max-w-xl rounded-xl border border-emerald-300 bg-emerald-50 p-4">
            <h2 class="font-semibold">{heading}</h2>
            <p class="mt-1 text-sm text-emerald-900">"Shown only now: store it somewhere safe."</p>
            <code id=value_id class="mt-3 block break-all rounded bg-white p-3 font-mono text-sm">{secret}</code>
            {children.map(|c| c())}
        </section>
    }
}
