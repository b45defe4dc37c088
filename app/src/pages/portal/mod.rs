pub mod invitation;

use leptos::prelude::*;
use leptos_meta::Title;

/// `/portal`: where talent quote, check in and upload from their phones.
#[component]
pub fn Portal() -> impl IntoView {
    view! {
        <Title text="Talent portal" />
        <h1 class="text-2xl font-bold">"Talent portal"</h1>
        <p class="mt-2 text-slate-600">"Quote jobs near you, check in on site and upload your work from your phone."</p>
        <div class="mt-6 rounded-xl border border-dashed border-slate-300 bg-white p-6 text-center text-slate-500">
            "Open the link from your invitation email to see your jobs."
        </div>
    }
}
