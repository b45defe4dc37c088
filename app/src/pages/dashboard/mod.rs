//! `/dashboard`: where an account's owner watches and steers their agents' work. Signed out, it
//! asks for the account's email address and sends a one-time sign-in link.

pub mod audit;
pub mod keys;
pub mod money;
pub mod new_task;
pub mod sign_in;
pub mod task;
pub mod webhooks;
pub mod work;

use crate::api::dashboard::{RequestDashboardSignIn, SignOutOfDashboard, get_overview};
use crate::api::flash::use_flashed;
use crate::api::system::get_system_status;
use crate::components::buttons::SubmitButton;
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::money::Dollars;
use crate::components::passkeys::{PasskeyAdd, PasskeySignIn};
use crate::components::status::{TaskStatusBadge, words};
use crate::components::tables::{ScrollTable, amount, col};
use crate::live::Follow;
use domain::dashboard::{Overview, SIGN_IN_LINK_MINUTES};
use domain::system::SystemStatus;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

#[component]
pub fn Dashboard() -> impl IntoView {
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        (q.get("status"), q.get("cursor"))
    };
    let overview = Resource::new(filter, |(status, cursor)| get_overview(status, cursor));
    let status = Resource::new(|| (), |()| get_system_status());
    // Made here, once: the view below is built again as the data arrives.
    let sent = use_flashed::<RequestDashboardSignIn>();
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || overview.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice id="dashboard-error" error=e /> }.into_any(),
                Ok(None) => view! { <SignInForm flashed=sent /> }.into_any(),
                Ok(Some(o)) => view! { <Home overview=o /> }.into_any(),
            })}
            {move || status.get().map(|result| match result {
                Ok(s) => view! { <ServiceStatus initial=s /> }.into_any(),
                Err(e) => view! { <p id="status-error" class="mt-8 text-red-800">{e.code.as_str()} ": " {e.message}</p> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn SignInForm(
    /// What a sign-in request posted without the wasm left for this page.
    flashed: Resource<Option<Result<(), domain::Error>>>,
) -> impl IntoView {
    let request = ServerAction::<RequestDashboardSignIn>::new();
    let error = Signal::derive(move || request.value().get().and_then(Result::err));
    view! {
        <h1 class="text-2xl font-bold">"Dashboard"</h1>
        <p class="mt-2 max-w-xl text-slate-600">"Watch and steer your agents' work: tasks, quotes, bookings, deliveries and the money behind them. Sign in with the email address of your account."</p>
        <ActionForm action=request attr:id="dashboard-sign-in-form" attr:class="mt-6 grid max-w-md gap-4">
            <Field label="Account email".into() name="email" error required=true kind="email" autocomplete="email" inputmode="email" />
            <SubmitButton label="Email me a sign-in link" busy="Sending…" pending=request.pending() />
        </ActionForm>
        <Suspense fallback=|| ()>
            {move || request.value().get().or_else(|| flashed.get().flatten()).map(|r| match r {
                Ok(()) => view! {
                    <p id="dashboard-sign-in-sent" role="status" class="mt-6 max-w-md rounded-lg border border-emerald-300 bg-emerald-50 p-3">
                        {format!("If an account uses this address, a sign-in link is on its way. It works once, within {SIGN_IN_LINK_MINUTES} minutes.")}
                    </p>
                }.into_any(),
                Err(e) => view! { <ErrorNotice id="dashboard-sign-in-error" error=e fields=&["email"] /> }.into_any(),
            })}
        </Suspense>
        <PasskeySignIn to="dashboard" />
        <p class="mt-8 text-sm text-slate-600">"No account yet? " <a href="/developer/signup" class="font-medium text-indigo-700 underline">"Sign up for an API key"</a> "."</p>
    }
}

/// The dashboard's sections, with the one shown marked.
#[component]
pub fn DashboardNav(current: &'static str) -> impl IntoView {
    let link = move |key: &'static str, href: &'static str, label: &'static str| {
        let on = key == current;
        view! {
            <a href=href aria-current=on.then_some("page")
                class=if on { "border-b-2 border-indigo-600 pb-1 font-semibold text-slate-900" } else { "pb-1 text-indigo-700 hover:underline" }>
                {label}
            </a>
        }
    };
    view! {
        <nav id="dashboard-nav" aria-label="Dashboard" class="flex flex-wrap gap-x-6 gap-y-2 border-b border-slate-200 text-sm">
            {link("tasks", "/dashboard", "Tasks")}
            {link("new", "/dashboard/tasks/new", "New task")}
            {link("money", "/dashboard/money", "Money")}
            {link("keys", "/dashboard/keys", "API keys")}
            {link("webhooks", "/dashboard/webhooks", "Webhooks")}
            {link("audit", "/dashboard/audit", "Audit log")}
        </nav>
    }
}

/// The signed-in owner's start page: who they are, and their tasks, live.
#[component]
fn Home(overview: Overview) -> impl IntoView {
    let sign_out = ServerAction::<SignOutOfDashboard>::new();
    let p = overview.principal.clone();
    view! {
        <div class="flex flex-wrap items-start justify-between gap-4">
            <div>
                <h1 class="text-2xl font-bold">"Dashboard"</h1>
                <p class="mt-1 text-sm text-slate-600">
                    <span id="dashboard-account">{p.name.clone()}</span> " · " {p.email.clone()} " · "
                    <span class="font-mono">{p.principal_id.clone()}</span> " · " {p.mode.as_str()}
                </p>
            </div>
            <ActionForm action=sign_out>
                <button id="dashboard-sign-out" type="submit" class="whitespace-nowrap rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm">"Sign out"</button>
            </ActionForm>
        </div>
        <div class="mt-4"><DashboardNav current="tasks" /></div>
        {(!overview.has_passkey).then(|| view! {
            <section id="passkey-offer" class="mt-6 max-w-xl rounded-xl border border-indigo-200 bg-indigo-50 p-4">
                <h2 class="font-semibold">"Sign in faster next time"</h2>
                <p class="mt-1 text-sm text-slate-700">"Add a passkey: your fingerprint, face or screen lock signs you in, no email needed."</p>
                <PasskeyAdd label="Add a passkey" />
            </section>
        })}
        <TaskBoard board=overview />
    }
}

/// The tasks by status and the list, kept up to date: the server renders them again whenever
/// the account's stream says something happened.
#[component]
fn TaskBoard(board: Overview) -> impl IntoView {
    let after = board.last_event_id.clone();
    let current = board.status;
    let all = view! {
        <a id="filter-all" href="/dashboard" aria-current=current.is_none().then_some("page")
            class=chip(current.is_none())>"All " <span class="tabular-nums">{board.total}</span></a>
    };
    let rest = board.counts.into_iter().map(|c| {
        let on = current == Some(c.status);
        view! {
            <a id=format!("filter-{}", c.status.as_str()) href=format!("/dashboard?status={}", c.status.as_str())
                aria-current=on.then_some("page") class=chip(on)>
                {words(c.status.as_str())} " " <span class="tabular-nums" data-count=c.status.as_str()>{c.count}</span>
            </a>
        }
    }).collect_view();
    let list = if board.tasks.is_empty() {
        view! {
            <p id="no-tasks" class="mt-4 text-slate-600">
                {if current.is_some() { "No tasks in this status." } else { "No tasks yet: your agents create them with POST /v1/tasks." }}
            </p>
        }.into_any()
    } else {
        view! {
            <ScrollTable id="task-list" labelled_by="tasks-heading" min_width="min-w-[40rem]" columns=vec![col("Task"), col("Type"), col("Status"), col("Starts"), amount("Budget")]>
                    <tbody>
                        {board.tasks.into_iter().map(|t| view! {
                            <tr class="border-b border-slate-100 last:border-0" data-task=t.id.clone()>
                                <td class="px-4 py-2"><a href=format!("/dashboard/tasks/{}", t.id) class="font-medium text-indigo-700 underline">{t.title}</a></td>
                                <td class="px-4 py-2 text-slate-600">{t.task_type.as_str()}</td>
                                <td class="px-4 py-2"><TaskStatusBadge status=t.status /></td>
                                <td class="px-4 py-2 whitespace-nowrap"><When at=t.schedule.start_at /></td>
                                <td class="px-4 py-2 text-right"><Dollars amount=t.budget.max_total currency=t.budget.currency /></td>
                            </tr>
                        }.into_any()).collect_view()}
                    </tbody>
            </ScrollTable>
            {board.next_cursor.map(|c| view! {
                <p class="mt-3"><a id="next-page" href=format!("/dashboard?cursor={c}{}", current.map(|s| format!("&status={}", s.as_str())).unwrap_or_default()) class="text-indigo-700 underline">"Older tasks"</a></p>
            })}
        }.into_any()
    };
    view! {
        <section id="tasks" aria-labelledby="tasks-heading" class="mt-8" data-live-updates="0">
            <h2 id="tasks-heading" class="text-lg font-semibold">"Tasks"</h2>
            <nav aria-label="Tasks by status" class="mt-3 flex flex-wrap gap-2 text-sm">{all} {rest}</nav>
            {list}
        </section>
        <Follow region="tasks".to_owned() after />
    }
}

fn chip(on: bool) -> &'static str {
    if on {
        "rounded-full border border-slate-900 bg-slate-900 px-3 py-1 font-medium text-white"
    } else {
        "rounded-full border border-slate-300 bg-white px-3 py-1 text-slate-700 hover:border-slate-500"
    }
}

/// The status as the server read it, and a button that reads it again.
#[island]
fn ServiceStatus(initial: SystemStatus) -> impl IntoView {
    let status = RwSignal::new(Ok::<_, domain::Error>(initial));
    let refreshes = RwSignal::new(0u32);
    let refresh = move |_| {
        refreshes.update(|n| *n += 1);
        leptos::task::spawn_local(async move { status.set(get_system_status().await) });
    };
    view! {
        <section class="mt-10 max-w-xl rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="status-heading">
            <div class="flex items-center justify-between gap-4">
                <h2 id="status-heading" class="text-lg font-semibold">"Service status"</h2>
                <button
                    type="button"
                    id="refresh-status"
                    class="rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700"
                    on:click=refresh
                >
                    "Refresh"
                </button>
            </div>
            {move || match status.get() {
                Ok(s) => view! {
                    <dl id="status" class="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm" data-refreshes=move || refreshes.get().to_string()>
                        <dt class="text-slate-500">"Status"</dt><dd id="status-value" class="font-medium">{s.status}</dd>
                        <dt class="text-slate-500">"Database"</dt><dd id="status-database" class="font-medium">{s.database}</dd>
                        <dt class="text-slate-500">"Database time"</dt><dd id="status-time" class="font-mono">{s.database_time}</dd>
                        <dt class="text-slate-500">"Version"</dt><dd class="font-medium">{s.version}</dd>
                    </dl>
                }.into_any(),
                Err(e) => view! { <p id="status-error" class="mt-2 text-red-800">{e.code.as_str()} ": " {e.message}</p> }.into_any(),
            }}
        </section>
    }
}
