//! `/dashboard/tasks/:id`: one task as its owner steers it. The quotes side by side with accept
//! and book, the booking and its escrow, the check-in on a map, and the timeline of what
//! happened, all kept up to date from the account's event stream. Every action is a plain form.

use super::work::{CancelForm, WorkCard};
use crate::api::dashboard::new_task::PublishDashboardTask;
use crate::api::dashboard::{
    AcceptQuote, AcceptWork, BookQuote, CancelDashboardBooking, OpenWorkDispute, RequestWorkChanges,
    ResolveWorkDispute, StartDashboardBillingSetup, get_task_page,
};
use crate::api::flash::use_refused;
use crate::components::audit::{Actor, action_words};
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::maps::{Fix, GeofenceMap, Viewer, distance};
use crate::components::money::Dollars;
use crate::components::status::{TaskStatusBadge, words};
use crate::components::tables::{ScrollTable, amount, col, unseen};
use crate::live::Follow;
use domain::audit::AuditEntry;
use domain::bookings::Booking;
use domain::dashboard::TaskPage;
use domain::events::{Event, EventType};
use domain::status::TaskStatus;
use domain::talent::GeoPoint;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use std::collections::HashMap;

/// The page's forms, to show a refusal beside the one that was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Publish,
    Quote,
    AcceptWork,
    Changes,
    Dispute,
    Resolve,
    Cancel,
}

/// A form of this page the server refused: which one, the API's answer, and the text that was
/// typed in it (so that a refusal loses nothing).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub form: Form,
    pub error: domain::Error,
    pub typed: Option<String>,
}

#[component]
pub fn TaskDetailPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let page = Resource::new(id, get_task_page);
    // A refused form comes back to this page with the API's answer; the text typed in it, kept
    // by the server, comes back too.
    let accept = ServerAction::<AcceptQuote>::new();
    let book = ServerAction::<BookQuote>::new();
    let setup = ServerAction::<StartDashboardBillingSetup>::new();
    let accept_work = ServerAction::<AcceptWork>::new();
    let changes = ServerAction::<RequestWorkChanges>::new();
    let dispute = ServerAction::<OpenWorkDispute>::new();
    let resolve = ServerAction::<ResolveWorkDispute>::new();
    let cancel = ServerAction::<CancelDashboardBooking>::new();
    let publish = ServerAction::<PublishDashboardTask>::new();
    let typed_changes = use_refused::<RequestWorkChanges, RequestWorkChanges>();
    let typed_dispute = use_refused::<OpenWorkDispute, OpenWorkDispute>();
    let typed_cancel = use_refused::<CancelDashboardBooking, CancelDashboardBooking>();
    let refused = move || {
        let err = |r: Option<Result<(), domain::Error>>| r.and_then(Result::err);
        [
            (Form::Publish, err(publish.value().get().map(|r| r.map(|_| ())))),
            (Form::Quote, err(accept.value().get().map(|r| r.map(|_| ())))),
            (Form::Quote, err(book.value().get().map(|r| r.map(|_| ())))),
            (Form::Quote, err(setup.value().get().map(|r| r.map(|_| ())))),
            (Form::AcceptWork, err(accept_work.value().get().map(|r| r.map(|_| ())))),
            (Form::Changes, err(changes.value().get().map(|r| r.map(|_| ())))),
            (Form::Dispute, err(dispute.value().get().map(|r| r.map(|_| ())))),
            (Form::Resolve, err(resolve.value().get().map(|r| r.map(|_| ())))),
            (Form::Cancel, err(cancel.value().get().map(|r| r.map(|_| ())))),
        ]
        .into_iter()
        .find_map(|(form, e)| e.map(|error| (form, error)))
    };
    view! {
        <Title text="Task" />
        <p class="text-sm"><a href="/dashboard" class="text-indigo-700 underline">"← All tasks"</a></p>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || {
                let typed = typed_changes.get().zip(typed_dispute.get()).zip(typed_cancel.get());
                page.get().zip(typed).map(|(r, ((c, d), k))| {
                    let refusal = refused().map(|(form, error)| {
                        let typed = match form {
                            Form::Changes => c.ok().flatten().map(|t| t.reason),
                            Form::Dispute => d.ok().flatten().map(|t| t.reason),
                            Form::Cancel => k.ok().flatten().and_then(|t| t.reason),
                            _ => None,
                        };
                        Refusal { form, error, typed }
                    });
                    // The fields that show their own problems, so the notice does not repeat them.
                    let notice = refusal.clone().map(|r| {
                        let fields: &'static [&'static str] = match r.form {
                            Form::Changes | Form::Dispute | Form::Cancel => &["reason"],
                            Form::Resolve => &["talent_share_pct"],
                            _ => &[],
                        };
                        view! { <ErrorNotice id="task-action-error" error=r.error fields /> }
                    });
                    match r {
                        Err(e) => view! { <ErrorNotice id="task-error" error=e /> }.into_any(),
                        Ok(p) => view! { {notice} <LiveTask p refused=refusal /> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The task, kept up to date: the server renders it again whenever the account's stream says
/// something happened.
#[component]
fn LiveTask(p: TaskPage, refused: Option<Refusal>) -> impl IntoView {
    let after = p.last_event_id.clone();
    // Each part erased to `AnyView`: nested, their types overflow the compiler's limits.
    view! {
        <div id="task" data-live-updates="0">
            {view! { <Summary p=p.clone() /> }.into_any()}
            {view! { <Quotes p=p.clone() /> }.into_any()}
            {p.booking.clone().map(|b| view! { <BookingCard b p=p.clone() refused=refused.clone() /> }.into_any())}
            {p.work.clone().zip(p.booking.clone()).map(|(w, b)| view! { <WorkCard w b refused /> }.into_any())}
            {view! { <Timeline events=p.timeline audit=p.audit /> }.into_any()}
        </div>
        <Follow region="task".to_owned() after />
    }
}

#[component]
fn Summary(p: TaskPage) -> impl IntoView {
    let t = p.task;
    view! {
        <div class="mt-3 flex flex-wrap items-center gap-3">
            <h1 class="text-2xl font-bold">{t.title.clone()}</h1>
            <span id="task-status"><TaskStatusBadge status=t.status /></span>
        </div>
        <dl class="mt-4 grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
            <dt class="text-slate-500">"Task"</dt><dd class="font-mono">{t.id.clone()}</dd>
            <dt class="text-slate-500">"Type"</dt><dd>{t.task_type.as_str()}</dd>
            <dt class="text-slate-500">"Starts"</dt><dd><When at=t.schedule.start_at /> {format!(" · {:.1} h", t.schedule.duration_hours)}</dd>
            <dt class="text-slate-500">"Where"</dt><dd>{t.location.address.clone().unwrap_or_else(|| "Remote".into())}</dd>
            <dt class="text-slate-500">"Budget"</dt><dd><Dollars amount=t.budget.max_total currency=t.budget.currency.clone() /></dd>
            <dt class="text-slate-500">"Check-in radius"</dt><dd>{format!("{} m", t.location.radius_m)}</dd>
        </dl>
        {(t.status == TaskStatus::Draft).then(|| view! {
            <form id="publish-form" method="post" action=PublishDashboardTask::url() class="mt-4 flex max-w-2xl flex-wrap items-center gap-3 rounded-xl border border-amber-300 bg-amber-50 p-4">
                <input type="hidden" name="task_id" value=t.id.clone() />
                <p class="grow text-sm">"A draft: talent do not see it and cannot quote until you publish it."</p>
                <button id="publish-draft" type="submit" class="rounded-lg bg-indigo-600 px-4 py-2 font-semibold text-white hover:bg-indigo-500">"Publish for quotes"</button>
            </form>
        })}
    }
}

#[component]
fn Quotes(p: TaskPage) -> impl IntoView {
    let accept_url = AcceptQuote::url();
    let book_url = BookQuote::url();
    let setup_url = StartDashboardBillingSetup::url();
    view! {
        <section aria-labelledby="quotes-heading" class="mt-8">
            <h2 id="quotes-heading" class="text-lg font-semibold">"Quotes " <span class="tabular-nums text-slate-500">{p.quotes.len()}</span></h2>
            {p.quotes.is_empty().then(|| view! {
                <p id="no-quotes" class="mt-2 text-slate-600">"No quotes yet. They appear here as talent send them."</p>
            })}
            {(!p.quotes.is_empty()).then(|| view! {
                <ScrollTable id="quotes" labelled_by="quotes-heading" min_width="min-w-[48rem]" columns=vec![col("Talent"), amount("Amount"), amount("Distance"), col("Message"), col("Expires"), col("Status"), unseen("Action")]>
                        <tbody>
                            {p.quotes.iter().map(|q| {
                                let action = if q.can_accept {
                                    view! {
                                        <form method="post" action=accept_url>
                                            <input type="hidden" name="quote_id" value=q.quote.id.clone() />
                                            <button type="submit" class="rounded-lg bg-indigo-600 px-3 py-1.5 font-semibold text-white hover:bg-indigo-500">
                                                {format!("Accept ${}", q.quote.amount)}
                                            </button>
                                        </form>
                                    }.into_any()
                                } else if q.can_book && p.card_on_file {
                                    view! {
                                        <form method="post" action=book_url>
                                            <input type="hidden" name="quote_id" value=q.quote.id.clone() />
                                            <button type="submit" class="rounded-lg bg-emerald-700 px-3 py-1.5 font-semibold text-white hover:bg-emerald-600">
                                                {format!("Book and hold ${}", q.quote.amount)}
                                            </button>
                                        </form>
                                    }.into_any()
                                } else if q.can_book {
                                    view! {
                                        <form method="post" action=setup_url>
                                            <button type="submit" class="rounded-lg border border-indigo-600 px-3 py-1.5 font-semibold text-indigo-700">"Add a card to book"</button>
                                        </form>
                                    }.into_any()
                                } else {
                                    ().into_any()
                                };
                                view! {
                                    <tr class="border-b border-slate-100 align-top last:border-0" data-quote=q.quote.id.clone()>
                                        <td class="px-4 py-2 font-medium">{q.quote.talent_name.clone()}</td>
                                        <td class="px-4 py-2 text-right"><Dollars amount=q.quote.amount currency=q.quote.currency.clone() /></td>
                                        <td class="px-4 py-2 text-right tabular-nums">{q.distance_km.map_or_else(|| "—".to_owned(), |d| format!("{d:.1} km"))}</td>
                                        <td class="max-w-xs px-4 py-2 text-slate-700">{q.quote.message.clone()}</td>
                                        <td class="px-4 py-2 whitespace-nowrap"><When at=q.quote.expires_at /></td>
                                        <td class="px-4 py-2" data-quote-status="">{words(q.quote.status.as_str())}</td>
                                        <td class="px-4 py-2">{action}</td>
                                    </tr>
                                }.into_any()
                            }).collect_view()}
                        </tbody>
                </ScrollTable>
            })}
        </section>
    }
}

#[component]
fn BookingCard(b: Booking, p: TaskPage, refused: Option<Refusal>) -> impl IntoView {
    let site = p.task.location.lat.zip(p.task.location.lng).map(|(lat, lng)| GeoPoint { lat, lng });
    let checkin = b.checkin.clone();
    let map = site.zip(checkin.clone()).map(|(site, c)| {
        let fix = Fix { at: GeoPoint { lat: c.lat, lng: c.lng }, accuracy_m: c.accuracy_m };
        view! { <GeofenceMap site radius_m=c.radius_m fix=Signal::stored(Some(fix)) id="checkin-map" viewer=Viewer::Owner /> }
    });
    view! {
        <section id="booking" aria-labelledby="booking-heading" class="mt-8 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <h2 id="booking-heading" class="text-lg font-semibold">"Booking"</h2>
            <div class="mt-3 grid items-start gap-6 md:grid-cols-[1fr_auto]">
                <dl class="grid grid-cols-[auto_1fr] content-start gap-x-4 gap-y-2 text-sm">
                    <dt class="text-slate-500">"Booking"</dt><dd class="font-mono">{b.id.clone()}</dd>
                    <dt class="text-slate-500">"Status"</dt><dd id="booking-status">{words(b.status.as_str())}</dd>
                    <dt class="text-slate-500">"Amount"</dt><dd><Dollars amount=b.amount currency=b.currency.clone() /></dd>
                    <dt class="text-slate-500">"Held in escrow"</dt><dd id="escrow-held"><Dollars amount=b.escrow_held currency=b.currency.clone() /></dd>
                    {b.last_payment_error.clone().map(|e| view! { <dt class="text-slate-500">"Payment"</dt><dd class="text-red-800">{e}</dd> })}
                    <dt class="text-slate-500">"Check-in"</dt>
                    <dd id="checkin">{match checkin {
                        None => "Not yet".to_owned(),
                        Some(c) => format!(
                            "{} · {}{}",
                            c.distance_m.map_or_else(|| "no site to measure from".to_owned(), |d| format!("{} from the site", distance(d))),
                            if c.verified { "verified" } else { "not verified" },
                            c.note.map(|n| format!(" ({n})")).unwrap_or_default(),
                        ),
                    }}</dd>
                    {b.cancellation.clone().map(|c| view! {
                        <dt class="text-slate-500">"Cancelled"</dt>
                        <dd>"Released " <Dollars amount=c.released currency=b.currency.clone() /> ", show-up fee " <Dollars amount=c.show_up_fee currency=b.currency.clone() /></dd>
                    })}
                </dl>
                {map}
            </div>
            {p.can_cancel.then(|| view! { <CancelForm b=b.clone() refused /> }.into_any())}
        </section>
    }
}

/// What an event says, in a few words.
fn event_words(t: EventType) -> &'static str {
    match t {
        EventType::TaskCreated => "Task created",
        EventType::TaskPolicyBlocked => "Blocked by policy",
        EventType::QuoteRequested => "Talent invited to quote",
        EventType::QuoteReceived => "Quote received",
        EventType::QuoteDeclined => "Invitation declined",
        EventType::BookingConfirmed => "Booking confirmed, escrow held",
        EventType::BookingCheckinRecorded => "Talent checked in",
        EventType::DeliverableRegistered => "Deliverables registered",
        EventType::QaCompleted => "QA completed",
        EventType::WorkOrderChangesRequested => "Changes requested",
        EventType::WorkOrderAccepted => "Work accepted",
        EventType::PayoutInitiated => "Payout initiated",
        EventType::DisputeOpened => "Dispute opened",
    }
}

/// The task's events and the audit rows about the same records, in the order they happened.
/// An event names who caused it from its audit row; a change without an event (a quote
/// accepted, a booking cancelled) is an entry of its own.
#[component]
fn Timeline(events: Vec<Event>, audit: Vec<AuditEntry>) -> impl IntoView {
    let by_event: HashMap<String, AuditEntry> = audit
        .iter()
        .filter_map(|a| a.summary.get("event_id").and_then(|v| v.as_str()).map(|id| (id.to_owned(), a.clone())))
        .collect();
    let mut items: Vec<(chrono::DateTime<chrono::Utc>, AnyView)> =
        events
            .into_iter()
            .map(|e| {
                let actor = by_event.get(&e.id).map(|a| view! { " · " <Actor entry=a.clone() /> });
                let at = e.created_at;
                (at, view! {
                <li data-event=e.event_type.as_str()>
                    <p><span class="font-medium">{event_words(e.event_type)}</span> " · " <When at /> {actor}</p>
                    <p class="font-mono text-xs text-slate-500">{e.event_type.as_str()} " · " {e.id}</p>
                </li>
            }.into_any())
            })
            .collect();
    items.extend(audit.into_iter().filter(|a| a.summary.get("event_id").is_none()).map(|a| {
        let at = a.created_at;
        (at, view! {
            <li data-audit=a.action.clone()>
                <p><span class="font-medium">{action_words(&a.action)}</span> " · " <When at /> " · " <Actor entry=a.clone() /></p>
                <p class="font-mono text-xs text-slate-500">{a.action.clone()} " · " {a.id.clone()}</p>
            </li>
        }.into_any())
    }));
    // Stable: an event and the change it came from keep their order.
    items.sort_by_key(|(at, _)| *at);
    view! {
        <section aria-labelledby="timeline-heading" class="mt-8">
            <h2 id="timeline-heading" class="text-lg font-semibold">"Timeline"</h2>
            <ol id="timeline" class="mt-3 grid gap-2 border-l-2 border-slate-200 pl-4 text-sm">
                {items.into_iter().map(|(_, item)| item).collect_view()}
            </ol>
        </section>
    }
}
