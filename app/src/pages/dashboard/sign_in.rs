use crate::api::dashboard::CompleteDashboardSignIn;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/dashboard/sign_in/complete?token=…`: where a dashboard sign-in email leads. Opening the
/// page does not spend the link (mail scanners open links too); the button does.
#[component]
pub fn CompleteSignInPage() -> impl IntoView {
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    // The form posts and the server function answers with a redirect to /dashboard; a refusal
    // comes back here, with the API's message.
    let complete = ServerAction::<CompleteDashboardSignIn>::new();
    view! {
        <Title text="Sign in to the dashboard" />
        <h1 class="text-2xl font-bold">"Sign in to the dashboard"</h1>
        <p class="mt-2 text-slate-600">"This link signs you in once, in this browser."</p>
        <ActionForm action=complete attr:id="complete-dashboard-sign-in" attr:class="mt-6 max-w-md">
            <input type="hidden" name="token" value=token />
            <button id="dashboard-sign-in-button" type="submit" class="w-full rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50" disabled=move || complete.pending().get()>
                {move || if complete.pending().get() { "Signing in…" } else { "Sign in" }}
            </button>
        </ActionForm>
        {move || complete.value().get().map(|r| match r {
            Ok(p) => view! { <p id="dashboard-signed-in" role="status" class="mt-6">"Signed in as " {p.name} "."</p> }.into_any(),
            Err(e) => view! {
                <p id="dashboard-sign-in-error" role="alert" class="mt-6 text-red-800">
                    {e.message} " " <a href="/dashboard" class="underline">"Ask for a new link"</a>
                </p>
            }.into_any(),
        })}
    }
}
