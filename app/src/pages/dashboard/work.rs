//! The work on a task's booking, as its owner reviews it: the delivery as a gallery of
//! thumbnails made on the server (each opens full size through its signed link), QA's report
//! check by check, any dispute, and the owner's decisions. Every decision is a plain form the
//! rules allow now; a stale page's form is refused with the API's own message.

use super::task::{Form, Refusal};
use crate::api::dashboard::{AcceptWork, OpenWorkDispute, RequestWorkChanges, ResolveWorkDispute};
use crate::components::dates::When;
use crate::components::fields::Field;
use crate::components::files::{size, thumbnail_url};
use crate::components::money::Amount;
use crate::components::qa::found;
use crate::components::status::words;
use domain::bookings::Booking;
use domain::dashboard::WorkPanel;
use domain::qa::{QaReport, QaStatus};
use domain::status::DisputeStatus;
use domain::work_orders::{Deliverable, Dispute};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

const PRIMARY: &str = "rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500";
const SECONDARY: &str = "rounded-lg border border-slate-400 px-4 py-2 font-semibold text-slate-800 hover:bg-slate-50";

#[component]
pub fn WorkCard(w: WorkPanel, b: Booking, refused: Option<Refusal>) -> impl IntoView {
    let wo = w.work_order.clone();
    view! {
        <section id="work" aria-labelledby="work-heading" class="mt-8 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <h2 id="work-heading" class="text-lg font-semibold">"Work"</h2>
                <span id="work-status" class="text-sm font-medium">{words(wo.status.as_str())}</span>
                {(wo.delivery_set > 0).then(|| view! {
                    <span class="text-sm text-slate-500">{format!("delivery {}", wo.delivery_set)}</span>
                })}
            </div>
            {wo.changes_reason.clone().map(|r| view! {
                <p id="changes-reason" class="mt-2 text-sm text-slate-700"><span class="font-medium">"Changes asked: "</span>{r}</p>
            })}
            {if wo.deliverables.is_empty() {
                view! { <p id="no-deliverables" class="mt-3 text-sm text-slate-600">"Nothing delivered yet. The talent's files appear here when they submit them."</p> }.into_any()
            } else {
                view! { <Gallery items=wo.deliverables.clone() /> }.into_any()
            }}
            {view! { <QaSection w=w.clone() /> }.into_any()}
            {w.dispute.clone().map(|d| view! { <DisputeCard d currency=b.currency.clone() /> }.into_any())}
            {view! { <Decisions w b refused /> }.into_any()}
        </section>
    }
}

/// The delivery's files: thumbnails of the photos (never the full file), each a link to the
/// file full size.
#[component]
fn Gallery(items: Vec<Deliverable>) -> impl IntoView {
    view! {
        <ul id="gallery" class="mt-4 grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4">
            {items.into_iter().enumerate().map(|(n, d)| {
                let f = d.file;
                let label = format!("{} {}: {}", words(d.kind.as_str()), n + 1, f.filename);
                let href = f.download_url.clone().unwrap_or_default();
                let picture = match thumbnail_url(&f.id, &f.content_type) {
                    Some(src) => view! {
                        <img src=src alt=label.clone() width="320" height="240" loading="lazy" class="aspect-[4/3] w-full rounded-lg bg-slate-100 object-cover" />
                    }.into_any(),
                    None => view! {
                        <span class="flex aspect-[4/3] w-full items-center justify-center rounded-lg bg-slate-100 text-sm font-medium text-slate-700">{label.clone()}</span>
                    }.into_any(),
                };
                view! {
                    <li data-deliverable=d.id.clone() class="text-sm">
                        <a href=href class="block rounded-lg focus-visible:outline-2 focus-visible:outline-indigo-600" data-full-size="">{picture}</a>
                        <p class="mt-1 truncate text-slate-700" title=f.filename.clone()>{f.filename.clone()}</p>
                        <p class="text-xs text-slate-500">{size(f.size_bytes)}</p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

/// QA's verdict on the current delivery, one row per check.
#[component]
fn QaSection(w: WorkPanel) -> impl IntoView {
    let delivered = w.work_order.delivery_set > 0;
    match w.qa.clone() {
        None if delivered => view! {
            <p id="qa-pending" class="mt-4 text-sm text-slate-600">"QA is checking this delivery; its report appears here."</p>
        }.into_any(),
        None => ().into_any(),
        Some(report) => view! { <QaTable report w /> }.into_any(),
    }
}

#[component]
fn QaTable(report: QaReport, w: WorkPanel) -> impl IntoView {
    let passed = report.status == QaStatus::Passed;
    let file_of = |id: &Option<String>| {
        id.as_ref().and_then(|id| {
            w.work_order
                .deliverables
                .iter()
                .position(|d| &d.id == id)
                .map(|n| format!("{} {}", words(w.work_order.deliverables[n].kind.as_str()), n + 1))
        })
    };
    view! {
        <div class="mt-5">
            <h3 class="font-semibold">
                "QA "
                <span id="qa-status" class=if passed { "text-emerald-800" } else { "text-red-800" }>{if passed { "passed" } else { "failed" }}</span>
            </h3>
            <div role="region" aria-label="QA checks" tabindex="0" class="mt-2 overflow-x-auto">
                <table id="qa-report" class="w-full min-w-[36rem] text-left text-sm">
                    <thead class="border-b border-slate-200 text-slate-600">
                        <tr>
                            <th scope="col" class="py-1.5 pr-4 font-medium">"Check"</th>
                            <th scope="col" class="py-1.5 pr-4 font-medium">"Result"</th>
                            <th scope="col" class="py-1.5 pr-4 font-medium">"File"</th>
                            <th scope="col" class="py-1.5 font-medium">"Found"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {report.checks.iter().map(|c| {
                            let about = w.checks.iter().find(|t| t.name == c.name).map_or_else(|| c.name.clone(), |t| t.description.clone());
                            view! {
                                <tr class="border-b border-slate-100 align-top last:border-0" data-check=c.name.clone() data-passed=c.passed.to_string()>
                                    <td class="py-1.5 pr-4"><span class="font-mono text-xs">{c.name.clone()}</span><span class="block text-slate-600">{about}</span></td>
                                    <td class="py-1.5 pr-4 font-semibold" class:text-emerald-800=c.passed class:text-red-800=!c.passed>{if c.passed { "Passed" } else { "Failed" }}</td>
                                    <td class="py-1.5 pr-4 whitespace-nowrap">{file_of(&c.deliverable_id).unwrap_or_else(|| "—".into())}</td>
                                    <td class="py-1.5 text-slate-700">{(!c.passed).then(|| found(c))}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </div>
    }
}

#[component]
fn DisputeCard(d: Dispute, currency: String) -> impl IntoView {
    let open = d.status == DisputeStatus::Open;
    view! {
        <div id="dispute" class="mt-5 rounded-lg border p-4 text-sm" class:border-red-300=open class:bg-red-50=open class:border-slate-200=!open>
            <h3 class="font-semibold">{if open { "Dispute open" } else { "Dispute resolved" }}</h3>
            <p class="mt-1">{format!("Opened by the {} ", d.opened_by)}<When at=d.created_at />": " {d.reason.clone()}</p>
            {d.outcome.map(|o| view! { <p id="dispute-outcome" class="mt-1">"Outcome: " {format!("{o:?}").to_lowercase()}{d.talent_share_pct.map(|p| format!(" ({p} % to the talent)"))}</p> })}
            {d.settlement.map(|s| view! {
                <p class="mt-1">"Captured " <Amount cents=s.captured_cents currency=currency.clone() /> ", refunded " <Amount cents=s.refunded_cents currency=currency.clone() /></p>
            })}
        </div>
    }
}

/// The owner's decisions the rules allow now: accept and pay, request changes, open or resolve
/// a dispute.
#[component]
fn Decisions(w: WorkPanel, b: Booking, refused: Option<Refusal>) -> impl IntoView {
    let error_of = |form: Form| {
        let e = refused.as_ref().filter(|r| r.form == form).map(|r| r.error.clone());
        Signal::stored(e)
    };
    let typed = |form: Form| refused.as_ref().filter(|r| r.form == form).and_then(|r| r.typed.clone());
    let wo_id = w.work_order.id.clone();
    let failing: Vec<String> =
        w.qa.iter().flat_map(|r| r.checks.iter().filter(|c| !c.passed).map(|c| c.name.clone())).collect();
    // The template's checks, each once (QA reports a per-file check once per file).
    let all_checks: Vec<String> = w.checks.iter().map(|c| c.name.clone()).collect();
    let accept = w.can_accept.then(|| view! {
        <form id="accept-work-form" method="post" action=AcceptWork::url() class="grid content-start gap-3 rounded-lg border border-slate-200 p-4">
            <h3 class="font-semibold">"Accept the work"</h3>
            <p class="text-sm text-slate-600">"Pays the talent from the escrow: 85 % to them, 15 % fee."</p>
            <input type="hidden" name="work_order_id" value=wo_id.clone() />
            {w.needs_override.then(|| view! {
                <label class="flex items-start gap-2 text-sm">
                    <input type="checkbox" name="override" value="true" required class="mt-0.5 size-5" />
                    <span>"Pay although QA failed (recorded in the audit log)"</span>
                </label>
            })}
            <button type="submit" class=PRIMARY>{format!("Accept and pay ${}", b.amount)}</button>
        </form>
    }.into_any());
    let changes = w.can_request_changes.then(|| view! {
        <form id="request-changes-form" method="post" action=RequestWorkChanges::url() class="grid content-start gap-3 rounded-lg border border-slate-200 p-4">
            <h3 class="font-semibold">"Request changes"</h3>
            <input type="hidden" name="work_order_id" value=wo_id.clone() />
            <Field label="What to change".into() name="reason" id="changes-reason-field" multiline=true required=true value=typed(Form::Changes).unwrap_or_default() error=error_of(Form::Changes) />
            {(!all_checks.is_empty()).then(|| view! {
                <fieldset class="grid gap-1 text-sm">
                    <legend class="font-medium">"Checks to fix"</legend>
                    {all_checks.iter().map(|name| view! {
                        <label class="flex items-center gap-2">
                            <input type="checkbox" name="checks[]" value=name.clone() checked=failing.contains(name) class="size-5" />
                            <span class="font-mono text-xs">{name.clone()}</span>
                        </label>
                    }).collect_view()}
                </fieldset>
            })}
            <button type="submit" class=SECONDARY>"Send back for changes"</button>
        </form>
    }.into_any());
    let dispute = w.can_open_dispute.then(|| view! {
        <form id="open-dispute-form" method="post" action=OpenWorkDispute::url() class="grid content-start gap-3 rounded-lg border border-slate-200 p-4">
            <h3 class="font-semibold">"Open a dispute"</h3>
            <p class="text-sm text-slate-600">"Holds the escrow until you resolve it."</p>
            <input type="hidden" name="work_order_id" value=wo_id.clone() />
            <Field label="What went wrong".into() name="reason" id="dispute-reason-field" multiline=true required=true value=typed(Form::Dispute).unwrap_or_default() error=error_of(Form::Dispute) />
            <button type="submit" class=SECONDARY>"Open a dispute"</button>
        </form>
    }.into_any());
    let resolve = w.dispute.clone().filter(|_| w.can_resolve_dispute).map(|d| view! {
        <form id="resolve-dispute-form" method="post" action=ResolveWorkDispute::url() class="grid content-start gap-3 rounded-lg border border-slate-200 p-4">
            <h3 class="font-semibold">"Resolve the dispute"</h3>
            <input type="hidden" name="dispute_id" value=d.id.clone() />
            <fieldset class="grid gap-1 text-sm">
                <legend class="font-medium">"Outcome"</legend>
                <label class="flex items-start gap-2"><input type="radio" name="outcome" value="release" required class="mt-0.5 size-5" /><span>"Release: pay the talent as on acceptance"</span></label>
                <label class="flex items-start gap-2"><input type="radio" name="outcome" value="refund" class="mt-0.5 size-5" /><span>"Refund: everything back to you (less a show-up share after check-in)"</span></label>
                <label class="flex items-start gap-2"><input type="radio" name="outcome" value="split" class="mt-0.5 size-5" /><span>"Split: the talent's share below, the rest back"</span></label>
            </fieldset>
            <Field label="Talent's share for a split (%)".into() name="talent_share_pct" kind="number" inputmode="numeric" error=error_of(Form::Resolve) />
            <button type="submit" class=PRIMARY>"Resolve the dispute"</button>
        </form>
    }.into_any());
    let any = accept.is_some() || changes.is_some() || dispute.is_some() || resolve.is_some();
    any.then(|| {
        view! {
            <div id="decisions" class="mt-5 grid gap-4 md:grid-cols-2">
                {accept}
                {changes}
                {dispute}
                {resolve}
            </div>
        }
    })
}

/// Cancels the booking, while the rules allow it (before anything is delivered).
#[component]
pub fn CancelForm(b: Booking, refused: Option<Refusal>) -> impl IntoView {
    let mine = refused.filter(|r| r.form == Form::Cancel);
    let typed = mine.as_ref().and_then(|r| r.typed.clone()).unwrap_or_default();
    let error = Signal::stored(mine.map(|r| r.error));
    view! {
        <details id="cancel" class="mt-4 text-sm" open=error.get_untracked().is_some()>
            <summary class="cursor-pointer font-medium text-red-800">"Cancel the booking"</summary>
            <form id="cancel-booking-form" method="post" action=crate::api::dashboard::CancelDashboardBooking::url() class="mt-3 grid max-w-md gap-3">
                <p class="text-slate-600">"Before check-in everything held comes back; after it, the talent keeps the show-up share."</p>
                <input type="hidden" name="booking_id" value=b.id.clone() />
                <Field label="Reason (optional)".into() name="reason" id="cancel-reason-field" multiline=true value=typed error />
                <button type="submit" class="justify-self-start rounded-lg border border-red-700 px-4 py-2 font-semibold text-red-800 hover:bg-red-50">
                    "Cancel the booking"
                </button>
            </form>
        </details>
    }
}
