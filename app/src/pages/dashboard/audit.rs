//! `/dashboard/audit`: who did what in the account, newest first, narrowed by the record, the
//! action, who did it and the days; the same rows as a CSV file for the filters chosen.

use super::DashboardNav;
use crate::api::dashboard::audit::get_dashboard_audit;
use crate::components::audit::{Actor, action_words};
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::{Choice, Field};
use crate::components::tables::{ScrollTable, col};
use domain::audit::{ACTOR_TYPES, AuditSearch};
use domain::dashboard::AuditPage;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Where the CSV export is served.
pub const CSV_PATH: &str = "/dashboard/audit.csv";

#[component]
pub fn AuditLogPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        let search = AuditSearch {
            entity_type: q.get("entity_type"),
            entity_id: q.get("entity_id"),
            action: q.get("action"),
            actor_type: q.get("actor_type"),
            from: q.get("from"),
            to: q.get("to"),
        };
        (search, q.get("cursor"))
    };
    let page = Resource::new(asked, |(search, cursor)| get_dashboard_audit(search, cursor));
    view! {
        <Title text="Audit log" />
        <DashboardNav current="audit" />
        <h1 class="mt-4 text-2xl font-bold">"Audit log"</h1>
        <p class="mt-2 max-w-2xl text-slate-600">"Every change in the account: who made it (an API key, you on the dashboard, a talent, or HumanDispatch), to which record, and when."</p>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || page.get().map(|r| match r {
                Ok(p) => view! { <Filters search=p.search.clone() actions=p.actions.clone() entity_types=p.entity_types.clone() error=None /> <Entries p /> }.into_any(),
                // A filter the server refused: the form again, the problem beside its field.
                Err(e) => view! {
                    <Filters search=asked().0 actions=vec![] entity_types=vec![] error=Some(e.clone()) />
                    <ErrorNotice id="audit-error" error=e fields=&["from", "to", "actor_type"] />
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The filters, as a plain form that reads the page again (it works without the wasm).
#[component]
fn Filters(
    search: AuditSearch,
    actions: Vec<String>,
    entity_types: Vec<String>,
    error: Option<domain::Error>,
) -> impl IntoView {
    let error = Signal::stored(error);
    let pairs = |values: Vec<String>, words: fn(&str) -> String| {
        values.into_iter().map(|v| (v.clone(), words(&v))).collect::<Vec<_>>()
    };
    // What was asked for stays choosable even when the log has none of it.
    let with = |mut values: Vec<String>, chosen: &Option<String>| {
        if let Some(c) = chosen.clone().filter(|c| !c.is_empty() && !values.contains(c)) {
            values.push(c);
        }
        values
    };
    let actions = pairs(with(actions, &search.action), action_words);
    let entity_types = pairs(with(entity_types, &search.entity_type), |t| t.replace('_', " "));
    let actors = ACTOR_TYPES.iter().map(|a| ((*a).to_owned(), a.replace('_', " "))).collect();
    view! {
        <form id="audit-filters" method="get" action="/dashboard/audit" class="mt-6 grid gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm sm:grid-cols-2 lg:grid-cols-3">
            <Choice label="Record type" name="entity_type" options=entity_types selected=search.entity_type.clone().unwrap_or_default() error />
            <Field label="Record id".into() name="entity_id" value=search.entity_id.clone().unwrap_or_default() error />
            <Choice label="Action" name="action" options=actions selected=search.action.clone().unwrap_or_default() error />
            <Choice label="Done by" name="actor_type" options=actors selected=search.actor_type.clone().unwrap_or_default() error />
            <Field label="From (day)".into() name="from" kind="date" value=search.from.clone().unwrap_or_default() error />
            <Field label="To (day, included)".into() name="to" kind="date" value=search.to.clone().unwrap_or_default() error />
            <div class="flex flex-wrap items-center gap-4 sm:col-span-2 lg:col-span-3">
                <button type="submit" class="rounded-lg bg-slate-900 px-4 py-2 font-semibold text-white hover:bg-slate-700">"Show entries"</button>
                <a href="/dashboard/audit" class="text-sm text-indigo-700 underline">"Clear the filters"</a>
            </div>
        </form>
    }
}

/// `search` as the query of a link (without the filters left empty).
fn query_of(search: &AuditSearch) -> String {
    let pairs = [
        ("entity_type", &search.entity_type),
        ("entity_id", &search.entity_id),
        ("action", &search.action),
        ("actor_type", &search.actor_type),
        ("from", &search.from),
        ("to", &search.to),
    ];
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            query.append_pair(k, v);
        }
    }
    query.finish()
}

#[component]
fn Entries(p: AuditPage) -> impl IntoView {
    let query = query_of(&p.search);
    let csv = if query.is_empty() { CSV_PATH.to_owned() } else { format!("{CSV_PATH}?{query}") };
    let older = p.next_cursor.clone().map(|c| {
        let href = if query.is_empty() { format!("/dashboard/audit?cursor={c}") } else { format!("/dashboard/audit?{query}&cursor={c}") };
        view! { <p class="mt-3"><a id="older-entries" href=href class="text-indigo-700 underline">"Older entries"</a></p> }
    });
    view! {
        <section aria-labelledby="entries-heading" class="mt-8">
            <div class="flex flex-wrap items-baseline justify-between gap-3">
                <h2 id="entries-heading" class="text-lg font-semibold">"Entries"</h2>
                // `external`: a file, not a page for the router; the server names it (a `download`
                // attribute would name it after the URL instead).
                <a id="audit-csv" href=csv rel="external" class="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm font-medium text-slate-900 hover:border-slate-500">
                    "Download these entries as CSV"
                </a>
            </div>
            {if p.entries.is_empty() {
                view! { <p id="no-entries" class="mt-3 text-slate-600">"No entries match these filters."</p> }.into_any()
            } else {
                view! {
                    <ScrollTable id="audit-entries" labelled_by="entries-heading" min_width="min-w-[56rem]" columns=vec![col("When"), col("Action"), col("Record"), col("Done"), col("Details")]>
                            <tbody>
                                {p.entries.into_iter().map(|e| view! {
                                    <tr class="border-b border-slate-100 align-top last:border-0" data-entry=e.id.clone() data-action=e.action.clone()>
                                        <td class="px-4 py-2 whitespace-nowrap"><When at=e.created_at /></td>
                                        <td class="px-4 py-2">{action_words(&e.action)} <span class="block font-mono text-xs text-slate-500">{e.action.clone()}</span></td>
                                        <td class="px-4 py-2"><span class="text-slate-600">{e.entity_type.replace('_', " ")}</span> <span class="block font-mono text-xs">{e.entity_id.clone()}</span></td>
                                        <td class="px-4 py-2"><Actor entry=e.clone() /></td>
                                        <td class="min-w-[16rem] px-4 py-2"><Summary value=e.summary.clone() /></td>
                                    </tr>
                                }.into_any()).collect_view()}
                            </tbody>
                    </ScrollTable>
                }.into_any()
            }}
            {older}
        </section>
    }
}

/// What a change set, folded away: a few fields say all, a task's creation says a lot.
#[component]
fn Summary(value: serde_json::Value) -> impl IntoView {
    let fields = value.as_object().map_or(0, serde_json::Map::len);
    let pretty = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
    view! {
        <details class="text-xs">
            <summary class="cursor-pointer text-indigo-700">{format!("{fields} field{}", if fields == 1 { "" } else { "s" })}</summary>
            <pre class="mt-1 max-w-md overflow-x-auto rounded bg-slate-50 p-2 font-mono whitespace-pre-wrap break-all text-slate-700">{pretty}</pre>
        </details>
    }
}
