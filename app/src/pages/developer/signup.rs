use crate::api::developer::Signup;
use crate::api::flash::use_flashed;
use crate::components::buttons::SubmitButton;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::secrets::ShownOnce;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/developer/signup`: a sandbox account and its API key, shown once — with the wasm, from the
/// action; without it, from the result the form left for this page.
#[component]
pub fn SignupPage() -> impl IntoView {
    let signup = ServerAction::<Signup>::new();
    let flashed = use_flashed::<Signup>();
    let error = Signal::derive(move || signup.value().get().and_then(Result::err));

    view! {
        <Title text="Developer sign-up" />
        <h1 class="text-2xl font-bold">"Create your developer account"</h1>
        <p class="mt-2 text-slate-600">
            "You get a sandbox API key (" <code>"hd_test_…"</code> "): post tasks, book sandbox talent and move play money end to end."
        </p>
        <ActionForm action=signup attr:class="mt-6 grid max-w-md gap-4" attr:id="signup-form">
            <Field label="Name".into() name="name" error required=true autocomplete="organization" />
            <Field label="Email".into() name="email" error required=true kind="email" autocomplete="email" inputmode="email" />
            <SubmitButton label="Create account" busy="Creating…" pending=signup.pending() />
        </ActionForm>
        <Suspense fallback=|| ()>
            {move || {
                let result = signup.value().get().or_else(|| flashed.get().flatten());
                result.map(|r| match r {
                    Ok(created) => view! {
                        <ShownOnce id="signup-result" value_id="api-key" heading="Your API key" secret=created.api_key>
                            <p class="mt-2 text-xs text-slate-600">"Principal " <span id="principal-id">{created.principal_id}</span> " · " {created.mode.as_str()}</p>
                        </ShownOnce>
                    }.into_any(),
                    Err(e) => view! { <ErrorNotice id="signup-error" error=e fields=&["name", "email"] /> }.into_any(),
                })
            }}
        </Suspense>
    }
}
