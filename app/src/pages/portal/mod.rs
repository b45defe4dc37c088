pub mod booking;
pub mod invitation;
pub mod payouts;
pub mod profile;
pub mod sign_in;
pub mod work;

use crate::api::flash::use_flashed;
use crate::api::portal::{RequestSignIn, SignOut, get_portal_home};
use crate::components::buttons::SubmitButton;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::money::{Amount, Dollars};
use crate::components::passkeys::{PasskeyAdd, PasskeySignIn};
use domain::portal::{PortalHome, SIGN_IN_LINK_MINUTES};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/portal`: where talent quote, check in and upload from their phones. Signed out, it asks
/// for an email address and sends a one-time sign-in link.
#[component]
pub fn Portal() -> impl IntoView {
    let sign_out = ServerAction::<SignOut>::new();
    let home = Resource::new(move || sign_out.version().get(), |_| get_portal_home());
    // Made here, once: the view below is built again as the data arrives, and each build
    // would take the kept result anew (and find it gone).
    let sent = use_flashed::<RequestSignIn>();
    view! {
        <Title text="Talent portal" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || home.get().map(|r| match r {
                Err(e) => view! { <p id="portal-error" role="alert" class="text-red-800">{e.message}</p> }.into_any(),
                Ok(None) => view! { <SignInForm flashed=sent /> }.into_any(),
                Ok(Some(home)) => view! { <Home home sign_out /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SignInForm(
    /// What a sign-in request posted without the wasm left for this page.
    flashed: Resource<Option<Result<(), domain::Error>>>,
) -> impl IntoView {
    let request = ServerAction::<RequestSignIn>::new();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    view! {
        <h1 class="text-2xl font-bold">"Talent portal"</h1>
        <p class="mt-2 text-slate-600">"Quote jobs near you, check in on site and upload your work from your phone."</p>
        <ActionForm action=request attr:id="sign-in-form" attr:class="mt-6 grid max-w-md gap-4">
            <Field label="Your email".into() name="email" error required=true kind="email" autocomplete="email" inputmode="email" />
            <SubmitButton label="Email me a sign-in link" busy="Sending…" pending=request.pending() />
        </ActionForm>
        <Suspense fallback=|| ()>
            {move || request.value().get().or_else(|| flashed.get().flatten()).map(|r| match r {
                Ok(()) => view! {
                    <p id="sign-in-sent" role="status" class="mt-6 max-w-md rounded-lg border border-emerald-300 bg-emerald-50 p-3">
                        {format!("If a talent profile uses this address, a sign-in link is on its way. It works once, within {SIGN_IN_LINK_MINUTES} minutes.")}
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorNotice id="sign-in-error" error=e fields=&["email"] /> }.into_any(),
            })}
        </Suspense>
        <PasskeySignIn to="portal" />
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
        <nav aria-label="Your account" class="mt-4 flex gap-3 text-sm">
            <a id="profile-link" href="/portal/profile" class="rounded-lg border border-slate-300 bg-white px-3 py-2 font-medium">"Profile and token"</a>
            <a id="payouts-link" href="/portal/payouts" class="rounded-lg border border-slate-300 bg-white px-3 py-2 font-medium">"Payouts"</a>
        </nav>
        {(!home.has_passkey).then(|| view! {
            <section id="passkey-offer" class="mt-6 max-w-xl rounded-xl border border-indigo-200 bg-indigo-50 p-4">
                <h2 class="font-semibold">"Sign in faster next time"</h2>
                <p class="mt-1 text-sm text-slate-700">"Add a passkey to this phone: your fingerprint, face or screen lock signs you in, no email needed."</p>
                <PasskeyAdd label="Add a passkey" />
            </section>
        })}
        {(!home.bookings.is_empty()).then(|| view! {
            <h2 class="mt-8 text-lg font-semibold">"Bookings"</h2>
            <ul id="bookings" class="mt-3 grid gap-3">
                {home.bookings.into_iter().map(|b| view! {
                    <li>
                        <a href=format!("/portal/bookings/{}", b.booking_id) class="block rounded-xl border border-slate-200 bg-white p-4 shadow-sm active:bg-slate-50">
                            <p class="font-semibold">{b.title}</p>
                            <p class="mt-1 text-sm text-slate-600">{b.local.start} " · " {b.address.unwrap_or_else(|| "Remote".into())}</p>
                            <p class="mt-1 text-sm">{booking::status_words(b.status)} " · you receive " <Amount cents=b.payout_cents currency=b.currency /></p>
                        </a>
                    </li>
                }).collect_view()}
            </ul>
        })}
        <h2 class="mt-8 text-lg font-semibold">"Invitations"</h2>
        {empty.then(|| view! { <p class="mt-2 text-slate-500">"No invitations yet: agents invite you when a job near you fits your skills."</p> })}
        <ul id="invitations" class="mt-3 grid gap-3">
            {home.invitations.into_iter().map(|i| view! {
                <li>
                    <a href=format!("/portal/invitations/{}", i.invitation_id) class="block rounded-xl border border-slate-200 bg-white p-4 shadow-sm active:bg-slate-50">
                        <p class="font-semibold">{i.title}</p>
                        <p class="mt-1 text-sm text-slate-600">{i.task_type} " · " <time datetime=i.start_at.to_rfc3339()>{i.start_local}</time></p>
                        <p class="mt-1 text-sm">
                            "Budget " <Dollars amount=i.budget currency=i.currency.clone() />
                            {match (i.quote, i.declined_at) {
                                (Some(q), _) => format!(" · your quote ${} ({})", q.amount, q.status),
                                (None, Some(_)) => " · you declined".to_owned(),
                                (None, None) => " · not quoted yet".to_owned(),
                            }}
                        </p>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}
