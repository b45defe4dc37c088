pub mod invitation;
pub mod sign_in;

use crate::api::portal::{RequestSignIn, SignOut, get_portal_home};
use domain::portal::{PortalHome, SIGN_IN_LINK_MINUTES};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/portal`: where talent quote, check in and upload from their phones. Signed out, it asks
/// for an email address and sends a one-time sign-in link.
#[component]
pub fn Portal() -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let home = Resource::new(move || sign_out.version().get(), |_| get_portal_home());
    view! {
        <Title text="Talent portal" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || home.get().map(|r| match r {
                Err(e) => view! { <p id="portal-error" role="alert" class="text-red-800">{e.message}</p> }.into_any(),
                Ok(None) => view! { <SignInForm /> }.into_any(),
                Ok(Some(home)) => view! { <Home home sign_out /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SignInForm() -> impl IntoView {
    let request = ServerAction::<RequestSignIn>::new();
    view! {
        <h1 class="text-2xl font-bold">"Talent portal"</h1>
        <p class="mt-2 text-slate-600">"Quote jobs near you, check in on site and upload your work from your phone."</p>
        <ActionForm action=request attr:id="sign-in-form" attr:class="mt-6 grid max-w-md gap-4">
            <label class="grid gap-1 text-sm font-medium">
                "Your email"
                <input name="email" type="email" required autocomplete="email" inputmode="email" class="rounded-lg border border-slate-300 px-3 py-3 text-base" />
            </label>
            <button type="submit" class="rounded-lg bg-indigo-600 px-5 py-3 font-semibold text-white hover:bg-indigo-500 disabled:opacity-50" disabled=move || request.pending().get()>
                {move || if request.pending().get() { "Sending…" } else { "Email me a sign-in link" }}
            </button>
        </ActionForm>
        {move || request.value().get().map(|r| match r {
            Ok(()) => view! {
                <p id="sign-in-sent" role="status" class="mt-6 max-w-md rounded-lg border border-emerald-300 bg-emerald-50 p-3">
                    {format!("If a talent profile uses this address, a sign-in link is on its way. It works once, within {SIGN_IN_LINK_MINUTES} minutes.")}
                </p>
            }.into_any(),
            Err(e) => view! { <p id="sign-in-error" role="alert" class="mt-6 text-red-800">{e.message}</p> }.into_any(),
        })}
    }
}

#[component]
fn Home(home: PortalHome, sign_out: ServerAction<SignOut>) -> impl IntoView {
    let empty = home.invitations.is_empty();
    view! {
        <div class="flex items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-bold">"Hi, " <span id="portal-name">{home.talent.name.clone()}</span></h1>
                <p class="mt-1 break-all text-sm text-slate-500">{home.talent.talent_id.clone()} " · " {home.talent.mode.clone()}</p>
            </div>
            <ActionForm action=sign_out>
                <button id="sign-out" type="submit" class="shrink-0 whitespace-nowrap rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm">"Sign out"</button>
            </ActionForm>
        </div>
        <h2 class="mt-8 text-lg font-semibold">"Invitations"</h2>
        {empty.then(|| view! { <p class="mt-2 text-slate-500">"No invitations yet: agents invite you when a job near you fits your skills."</p> })}
        <ul id="invitations" class="mt-3 grid gap-3">
            {home.invitations.into_iter().map(|i| view! {
                <li>
                    <a href=format!("/portal/invitations/{}", i.invitation_id) class="block rounded-xl border border-slate-200 bg-white p-4 shadow-sm active:bg-slate-50">
                        <p class="font-semibold">{i.title}</p>
                        <p class="mt-1 text-sm text-slate-600">{i.task_type} " · " {i.start_at.format("%a %-d %b %Y, %H:%M UTC").to_string()}</p>
                        <p class="mt-1 text-sm">
                            {format!("Budget {}", domain::money::format_dollars(i.budget, &i.currency))}
                            {match i.quote {
                                Some(q) => format!(" · your quote ${} ({})", q.amount, q.status),
                                None => " · not quoted yet".to_owned(),
                            }}
                        </p>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}
