use crate::api::portal::get_portal_earnings;
use crate::components::dates::When;
use crate::components::money::Amount;
use domain::portal::{Earning, EarningStatus, PayoutAccount};
use leptos::prelude::*;
use leptos_meta::Title;

/// Where a booking's money stands, in the talent's words.
fn status_words(e: &Earning) -> String {
    match e.status {
        EarningStatus::Held => "Held in escrow: paid when the agent accepts the work".into(),
        EarningStatus::PayoutPending => "Work accepted: the payout is on its way".into(),
        EarningStatus::Paid => match &e.transfer_ref {
            Some(r) => format!("Paid (transfer {r})"),
            None => "Paid".into(),
        },
        EarningStatus::PayoutFailed => {
            format!("The payout failed: {}", e.payout_error.clone().unwrap_or_else(|| "no reason was given".into()))
        }
        EarningStatus::ShowUpFee => "Cancelled after you checked in: your show-up share".into(),
        EarningStatus::Cancelled => "Cancelled before check-in: nothing is owed".into(),
    }
}

/// `/portal/payouts`: what the talent earned per booking and where payouts go.
#[component]
pub fn PayoutsPage() -> impl IntoView {
    let earnings = Resource::new(|| (), |()| get_portal_earnings());
    view! {
        <Title text="Payouts" />
        <p><a href="/portal" class="text-sm text-indigo-700 underline">"← Portal"</a></p>
        <h1 class="mt-2 text-2xl font-bold">"Payouts"</h1>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || earnings.get().map(|r| match r {
                Err(e) => view! {
                    <p id="payouts-error" role="alert" class="mt-4 text-red-800">
                        {e.message} " " <a href="/portal" class="font-semibold text-indigo-700 underline">"Sign in"</a>
                    </p>
                }.into_any(),
                Ok(p) => view! {
                    <Account account=p.account />
                    <p class="mt-6 text-sm text-slate-600">{format!("You receive each booking's amount less the {} % platform fee.", p.platform_fee_pct)}</p>
                    {p.earnings.is_empty().then(|| view! { <p class="mt-4 text-slate-500">"No bookings yet: what you earn appears here."</p> })}
                    <ul id="earnings" class="mt-3 grid gap-3">
                        {p.earnings.into_iter().map(|e| view! {
                            <li class="rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
                                <div class="flex items-baseline justify-between gap-3">
                                    <a href=format!("/portal/bookings/{}", e.booking_id) class="font-semibold text-indigo-700 underline">{e.title.clone()}</a>
                                    <span class="earned shrink-0 font-semibold"><Amount cents=e.earned_cents currency=e.currency.clone() /></span>
                                </div>
                                <p class="mt-1 text-sm text-slate-600"><When at=e.start_at /> " · booked at " <Amount cents=e.amount_cents currency=e.currency.clone() /></p>
                                <p class="earning-status mt-1 text-sm">{status_words(&e)}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Account(account: PayoutAccount) -> impl IntoView {
    let words = match (&account.reference, account.sandbox) {
        (Some(r), true) => format!(
            "Payouts go to your sandbox payout account {r}. This is the sandbox: payouts are recorded and no money moves, so there is nothing to set up."
        ),
        (Some(r), false) => format!("Payouts go to your payout account {r}."),
        (None, _) => "No payout account is set up yet: what you are owed waits until one is. Bank payouts through Stripe Connect are not open yet.".to_owned(),
    };
    view! {
        <section id="payout-account" class="mt-4 rounded-xl border border-slate-200 bg-white p-4">
            <h2 class="font-semibold">"Payout account"</h2>
            <p class="mt-1 text-sm">{words}</p>
        </section>
    }
}
