//! Passkey controls: adding one and signing in with one. Both need the browser's WebAuthn, so
//! the server sends them hidden, with a note saying what they need; the passkey script
//! (`frontend/passkeys/`) shows them where passkeys work and runs the ceremonies.

use super::fields::Field;
use crate::assets::{Assets, get_assets};
use leptos::prelude::*;

const PRIMARY: &str =
    "rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50";
const SECONDARY: &str =
    "w-full rounded-lg border border-indigo-600 bg-white px-5 py-3 font-semibold text-indigo-700 disabled:opacity-50";

/// The passkey script, once the server has found it.
#[component]
fn PasskeyScript() -> impl IntoView {
    let assets = Resource::new(|| (), |()| get_assets());
    view! {
        <Suspense fallback=|| ()>
            {move || assets.get().map(|r| match r {
                Ok(Assets { passkeys_js: Some(js), .. }) => view! { <leptos_meta::Script id="passkeys-js" src=js defer="defer" /> }.into_any(),
                Ok(_) => view! { <p role="alert" class="text-red-800">"This build has no passkey script (scripts/build-release.sh builds it)."</p> }.into_any(),
                Err(e) => view! { <p role="alert" class="text-red-800">{e.message}</p> }.into_any(),
            })}
        </Suspense>
    }
}

/// Adds a passkey for the signed-in person, named by them.
#[component]
pub fn PasskeyAdd(
    /// What the button says.
    label: &'static str,
) -> impl IntoView {
    view! {
        <PasskeyScript />
        <p data-passkey-unsupported="" class="mt-3 text-sm text-slate-600">
            "Adding a passkey needs JavaScript and a browser that keeps passkeys."
        </p>
        <div id="passkey-add" data-passkey-register="" hidden=true class="mt-3">
            <form class="grid max-w-md gap-3">
                <Field label="Name it (such as the phone it is on)".into() name="passkey_name" error=Signal::stored(None) autocomplete="off" />
                <button id="add-passkey" type="submit" class=PRIMARY>{label}</button>
            </form>
            <p data-passkey-status="" role="status" class="mt-2 text-sm"></p>
        </div>
    }
}

/// Signs in with a passkey this browser holds for the site: no address is asked for.
#[component]
pub fn PasskeySignIn(
    /// Where the passkey signs in: `portal` (talent) or `dashboard` (an account's owner).
    to: &'static str,
) -> impl IntoView {
    view! {
        <PasskeyScript />
        <section id="passkey-sign-in" data-passkey-sign-in=to hidden=true class="mt-8 max-w-md">
            <h2 class="text-lg font-semibold">"Or use a passkey"</h2>
            <p class="mt-1 text-sm text-slate-600">"Added one on this device? Sign in with it, no email needed."</p>
            <button id="passkey-sign-in-button" type="button" class=format!("mt-3 {SECONDARY}")>"Sign in with a passkey"</button>
            <p data-passkey-status="" role="status" class="mt-2 text-sm"></p>
        </section>
    }
}
