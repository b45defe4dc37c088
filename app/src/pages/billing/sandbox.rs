use crate::api::billing::{CompleteSandboxSetup, check_sandbox_setup};
use crate::api::flash::use_flashed;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/billing/sandbox/:token`: the sandbox gateway's card page. Pick a test card: `ok` always
/// pays, `decline` is declined when a booking holds money.
#[component]
pub fn SandboxCardPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let link = Resource::new(token, check_sandbox_setup);
    let complete = ServerAction::<CompleteSandboxSetup>::new();
    let added = use_flashed::<CompleteSandboxSetup>();

    view! {
        <Title text="Sandbox card" />
        <h1 class="text-2xl font-bold">"Add a sandbox test card"</h1>
        <p class="mt-2 text-slate-600">"Sandbox accounts move play money. Choose how the card behaves."</p>
        <Suspense fallback=|| view! { <p class="mt-4 text-slate-500">"Checking the link…"</p> }>
            {move || link.get().map(|checked| match checked {
                // Once the card is added the link is spent: the page says so below.
                _ if matches!(added.get().flatten(), Some(Ok(_))) => ().into_any(),
                Err(e) => view! { <p id="setup-link-error" role="alert" class="mt-4 text-red-800">{e.message}</p> }.into_any(),
                Ok(()) => view! {
                    <div class="mt-6 grid max-w-md gap-3">
                        <ActionForm action=complete>
                            <input type="hidden" name="token" value=token() />
                            <input type="hidden" name="card" value="ok" />
                            <button id="card-ok" type="submit" class="w-full rounded-lg bg-emerald-600 px-5 py-3 font-semibold text-white">"Visa •••• 4242 (always pays)"</button>
                        </ActionForm>
                        <ActionForm action=complete>
                            <input type="hidden" name="token" value=token() />
                            <input type="hidden" name="card" value="decline" />
                            <button id="card-decline" type="submit" class="w-full rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold">"Visa •••• 0002 (declines)"</button>
                        </ActionForm>
                    </div>
                }.into_any(),
            })}
        </Suspense>
        <Suspense fallback=|| ()>
            {move || complete.value().get().or_else(|| added.get().flatten()).map(|r| match r {
                Ok(card) => view! {
                    <p id="card-added" class="mt-6 rounded-lg border border-emerald-300 bg-emerald-50 p-3">
                        "Card added: " {card.brand} " •••• " {card.last4} ". You can close this page."
                    </p>
                }.into_any(),
                Err(e) => view! { <p id="card-error" role="alert" class="mt-6 text-red-800">{e.message}</p> }.into_any(),
            })}
        </Suspense>
    }
}
