use crate::api::billing::StartBillingSetup;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/billing/setup` (where `GET /v1/billing/setup` leads): paste an API key, get sent to the
/// page that adds a card.
#[component]
pub fn BillingSetupPage() -> impl IntoView {
    let start = ServerAction::<StartBillingSetup>::new();
    view! {
        <Title text="Add a card" />
        <h1 class="text-2xl font-bold">"Add a card"</h1>
        <p class="mt-2 text-slate-600">"Paste your API key; we send you to a secure page to add the card that pays for bookings."</p>
        <ActionForm action=start attr:class="mt-6 grid max-w-md gap-4" attr:id="billing-setup-form">
            <label class="grid gap-1 text-sm font-medium">
                "API key"
                <input name="api_key" required autocomplete="off" spellcheck="false" placeholder="hd_test_…" class="rounded-lg border border-slate-300 px-3 py-3 font-mono text-base" />
            </label>
            <button type="submit" class="rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500">"Continue"</button>
        </ActionForm>
        {move || start.value().get().and_then(|r| r.err()).map(|e| view! {
            <p id="billing-setup-error" role="alert" class="mt-4 max-w-md rounded-lg border border-red-300 bg-red-50 p-3 text-red-900">{e.message}</p>
        })}
    }
}
