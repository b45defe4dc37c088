use crate::api::developer::Signup;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/developer/signup`: a sandbox account and its API key, shown once.
#[component]
pub fn SignupPage() -> impl IntoView {
    let signup = ServerAction::<Signup>::new();
    let result = signup.value();

    view! {
        <Title text="Developer sign-up" />
        <h1 class="text-2xl font-bold">"Create your developer account"</h1>
        <p class="mt-2 text-slate-600">
            "You get a sandbox API key (" <code>"hd_test_…"</code> "): post tasks, book sandbox talent and move play money end to end."
        </p>
        <ActionForm action=signup attr:class="mt-6 grid max-w-md gap-4" attr:id="signup-form">
            <label class="grid gap-1 text-sm font-medium">
                "Name"
                <input name="name" required autocomplete="organization" class="rounded-lg border border-slate-300 px-3 py-3 text-base" />
            </label>
            <label class="grid gap-1 text-sm font-medium">
                "Email"
                <input name="email" type="email" required autocomplete="email" inputmode="email" class="rounded-lg border border-slate-300 px-3 py-3 text-base" />
            </label>
            <button type="submit" class="rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50" disabled=move || signup.pending().get()>
                {move || if signup.pending().get() { "Creating…" } else { "Create account" }}
            </button>
        </ActionForm>
        {move || result.get().map(|r| match r {
            Ok(created) => view! {
                <section id="signup-result" class="mt-6 max-w-md rounded-xl border border-emerald-300 bg-emerald-50 p-4">
                    <h2 class="font-semibold">"Your API key"</h2>
                    <p class="mt-1 text-sm text-emerald-900">"Shown only now: store it somewhere safe."</p>
                    <code id="api-key" class="mt-3 block break-all rounded bg-white p-3 font-mono text-sm">{created.api_key}</code>
                    <p class="mt-2 text-xs text-slate-600">"Principal " <span id="principal-id">{created.principal_id}</span> " · " {created.mode.as_str()}</p>
                </section>
            }.into_any(),
            Err(e) => view! {
                <section id="signup-error" class="mt-6 max-w-md rounded-xl border border-red-300 bg-red-50 p-4 text-red-900" role="alert">
                    <p class="font-semibold">{e.message.clone()}</p>
                    <ul class="mt-2 list-disc pl-5 text-sm">
                        {e.details.as_ref().and_then(|d| d["errors"].as_array().cloned()).unwrap_or_default().into_iter()
                            .map(|err| view! { <li>{err.as_str().unwrap_or_default().to_owned()}</li> }).collect_view()}
                    </ul>
                </section>
            }.into_any(),
        })}
    }
}
