//! `/dashboard/money`: the card the escrow is held on (and the link to add one), the monthly
//! spend cap, and a month of the ledger: every hold, release, payment to talent, fee, refund and
//! payout, with the month's sums and a chart of what the card was charged, drawn on the server.

use super::DashboardNav;
use crate::api::dashboard::StartDashboardBillingSetup;
use crate::api::dashboard::money::{MoneyView, SetDashboardSpendCap, get_dashboard_money};
use crate::api::flash::use_refused;
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::{Choice, Field};
use crate::components::money::Amount;
use crate::components::tables::{Column, ScrollTable, amount, col};
use domain::billing::BillingStatus;
use domain::dashboard::{MonthTotals, Movement};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn MoneyPage() -> impl IntoView {
    let query = use_query_map();
    let cap = ServerAction::<SetDashboardSpendCap>::new();
    let page = Resource::new(
        move || (query.read().get("month"), cap.version().get()),
        |(month, _)| get_dashboard_money(month),
    );
    // Made here, once: the view below is built again as the data arrives.
    let typed = use_refused::<SetDashboardSpendCap, SetDashboardSpendCap>();
    let error = Signal::derive(move || cap.value().get().and_then(Result::err));
    view! {
        <Title text="Money" />
        <DashboardNav current="money" />
        <h1 class="mt-4 text-2xl font-bold">"Money"</h1>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || page.get().zip(typed.get()).map(|(r, sent)| match r {
                Err(e) => view! { <ErrorNotice id="money-error" error=e fields=&["month"] /> }.into_any(),
                Ok(v) => {
                    let sent = sent.ok().flatten();
                    view! {
                        <div class="mt-6 grid gap-6 lg:grid-cols-2">
                            {view! { <Card billing=v.page.billing.clone() /> }.into_any()}
                            {view! { <SpendCapForm billing=v.page.billing.clone() spent_in=v.page.totals.first().map(|t| t.currency.clone()) action=cap error sent /> }.into_any()}
                        </div>
                        {view! { <Month v /> }.into_any()}
                    }.into_any()
                }
            })}
        </Suspense>
    }
}

#[component]
fn Card(billing: BillingStatus) -> impl IntoView {
    let card = billing.payment_method.clone();
    view! {
        <section id="card" aria-labelledby="card-heading" class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="card-heading" class="text-lg font-semibold">"Card"</h2>
            {match card {
                Some(c) => view! {
                    <p id="card-on-file" class="mt-2">{format!("{} ending {}", c.brand, c.last4)} <span class="text-sm text-slate-500">" · added " <When at=c.created_at /></span></p>
                }.into_any(),
                None => view! { <p id="no-card" class="mt-2 text-slate-700">"No card on file: bookings cannot hold their escrow until you add one."</p> }.into_any(),
            }}
            <p class="mt-1 text-sm text-slate-500">{format!("Payments: {} ({})", billing.gateway, billing.mode.as_str())}</p>
            <form method="post" action=StartDashboardBillingSetup::url() class="mt-3">
                <button type="submit" class="rounded-lg border border-indigo-600 px-4 py-2 font-semibold text-indigo-700">
                    {if billing.has_payment_method { "Use another card" } else { "Add a card" }}
                </button>
            </form>
        </section>
    }
}

#[component]
fn SpendCapForm(
    billing: BillingStatus,
    /// The currency the month's money moved in, offered for a new cap.
    spent_in: Option<String>,
    action: ServerAction<SetDashboardSpendCap>,
    error: Signal<Option<domain::Error>>,
    sent: Option<SetDashboardSpendCap>,
) -> impl IntoView {
    let cap = billing.spend_cap;
    let currency = cap.currency.clone().unwrap_or_else(|| "USD".into());
    let shown = |d: i64| domain::money::format_dollars(d, &currency);
    let summary = match cap.monthly_cap {
        Some(c) => format!(
            "{} a month; {} booked this month, {} left.",
            shown(c),
            shown(cap.month_to_date),
            shown(cap.remaining.unwrap_or_default())
        ),
        None => format!("No cap. Booked this month: {} (whole dollars, every currency).", cap.month_to_date),
    };
    let value = sent.as_ref().map(|s| s.monthly_cap.clone()).or(cap.monthly_cap.map(|c| c.to_string()));
    let chosen = sent.and_then(|s| s.currency).or(cap.currency.clone()).or(spent_in).unwrap_or_else(|| "USD".into());
    let currencies: Vec<(String, String)> =
        domain::money::Currency::ALL.iter().map(|c| (c.as_str().to_owned(), c.as_str().to_owned())).collect();
    view! {
        <section id="spend-cap" aria-labelledby="cap-heading" class="rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="cap-heading" class="text-lg font-semibold">"Spend cap"</h2>
            <p id="cap-summary" class="mt-2">{summary}</p>
            <p class="mt-1 text-sm text-slate-500">"A booking that would take the month's bookings past the cap is refused. Leave the cap empty to remove it."</p>
            {move || error.get().map(|e| view! { <ErrorNotice id="cap-error" error=e fields=&["monthly_cap", "currency"] /> })}
            <ActionForm action attr:id="cap-form" attr:class="mt-3 grid gap-3 sm:grid-cols-[1fr_auto_auto] sm:items-end">
                <Field label="Monthly cap (whole dollars)".into() name="monthly_cap" kind="text" inputmode="numeric" value=value.unwrap_or_default() error />
                <Choice label="Currency" name="currency" options=currencies selected=chosen error />
                <button type="submit" class="rounded-lg bg-indigo-600 px-4 py-3 font-semibold text-white hover:bg-indigo-500">"Save the cap"</button>
            </ActionForm>
        </section>
    }
}

fn month_words(month: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d")
        .map(|d| d.format("%B %Y").to_string())
        .unwrap_or_else(|_| month.to_owned())
}

#[component]
fn Month(v: MoneyView) -> impl IntoView {
    let p = v.page;
    let heading = month_words(&p.month);
    view! {
        <section aria-labelledby="month-heading" class="mt-10">
            <div class="flex flex-wrap items-baseline justify-between gap-3">
                <h2 id="month-heading" class="text-lg font-semibold">{format!("Ledger · {heading} (UTC)")}</h2>
                <nav aria-label="Months" class="flex gap-4 text-sm">
                    <a href=format!("/dashboard/money?month={}", p.previous_month) class="text-indigo-700 underline">{format!("← {}", month_words(&p.previous_month))}</a>
                    {p.next_month.clone().map(|n| view! {
                        <a href=format!("/dashboard/money?month={n}") class="text-indigo-700 underline">{format!("{} →", month_words(&n))}</a>
                    })}
                </nav>
            </div>
            {v.charts.into_iter().map(|(currency, svg)| view! {
                <figure class="mt-4 rounded-xl border border-slate-200 bg-white p-3 shadow-sm" data-chart=currency.clone()>
                    <div role="img" aria-label=format!("Net charged to the card in {currency}, day by day through {heading}") class="overflow-x-auto [&_svg]:h-auto [&_svg]:max-w-full" inner_html=svg></div>
                    <figcaption class="mt-2 text-sm text-slate-600">{format!("What the card was charged in {currency}, less refunds, over the month so far.")}</figcaption>
                </figure>
            }.into_any()).collect_view()}
            {p.movements.is_empty().then(|| view! { <p id="no-movements" class="mt-4 text-slate-600">"No money moved this month."</p> })}
            {(!p.movements.is_empty()).then(|| view! { <Ledger movements=p.movements.clone() totals=p.totals.clone() /> }.into_any())}
        </section>
    }
}

const COLUMNS: [&str; 6] = ["Held", "Released", "To talent", "Fees", "Refunded", "Paid out"];

fn what(kind: &str) -> &'static str {
    match kind {
        "escrow_hold" => "Escrow held",
        "settlement" => "Escrow settled",
        "payout" => "Paid out to talent",
        _ => "Movement",
    }
}

#[component]
fn Ledger(movements: Vec<Movement>, totals: Vec<MonthTotals>) -> impl IntoView {
    // The table's body is built in a closure of its own, which takes `totals`.
    let sums = totals.clone();
    let columns: Vec<Column> = [col("When"), col("What")].into_iter().chain(COLUMNS.map(amount)).collect();
    let cell = |cents: i64, currency: &str| {
        if cents == 0 {
            view! { <span class="text-slate-400">"—"</span> }.into_any()
        } else {
            view! { <Amount cents currency=currency.to_owned() /> }.into_any()
        }
    };
    view! {
        <ScrollTable id="ledger" labelled_by="month-heading" min_width="min-w-[48rem]" columns=columns>
                <tbody>
                    {movements.iter().map(|m| view! {
                        <tr class="border-b border-slate-100 align-top" data-movement=m.kind.clone() data-booking=m.booking_id.clone()>
                            <td class="px-4 py-2 whitespace-nowrap"><When at=m.at /></td>
                            <td class="px-4 py-2">
                                {what(&m.kind)}
                                {m.task_title.clone().zip(m.booking_id.clone()).map(|(t, b)| view! { <span class="block text-xs text-slate-500">{t} " · " <span class="font-mono break-all">{b}</span></span> })}
                            </td>
                            {m.sums.columns().into_iter().map(|c| view! { <td class="px-4 py-2 text-right">{cell(c, &m.currency)}</td> }.into_any()).collect_view()}
                        </tr>
                    }.into_any()).collect_view()}
                </tbody>
                <tfoot class="border-t-2 border-slate-300 font-semibold">
                    {totals.iter().map(|t| view! {
                        <tr data-totals=t.currency.clone()>
                            <th scope="row" colspan="2" class="px-4 py-2 text-left">{format!("The month, in {}", t.currency)}</th>
                            {t.sums.columns().into_iter().map(|c| view! { <td class="px-4 py-2 text-right">{cell(c, &t.currency)}</td> }.into_any()).collect_view()}
                        </tr>
                    }.into_any()).collect_view()}
                </tfoot>
        </ScrollTable>
        {sums.into_iter().map(|t| view! {
            <p class="mt-3 text-sm text-slate-700" data-sums=t.currency.clone()>
                "Released " <Amount cents=t.sums.released_cents currency=t.currency.clone() />
                " = to talent " <Amount cents=t.sums.to_talent_cents currency=t.currency.clone() />
                " + fees " <Amount cents=t.sums.fees_cents currency=t.currency.clone() />
                " + refunded " <Amount cents=t.sums.refunded_cents currency=t.currency.clone() />
                ". Net charged to your card: " <span data-net=""><Amount cents=t.sums.net_charged_cents() currency=t.currency.clone() /></span> "."
            </p>
        }.into_any()).collect_view()}
    }
}
