//! `/dashboard/webhooks`: where the account's events are sent. Add an endpoint (its signing
//! secret shown once), see each delivery with every attempt (the receiver's status, how long it
//! took, the start of its answer), send one again, give an endpoint a new secret, remove one.

use super::DashboardNav;
use crate::api::dashboard::webhooks::{
    CreateDashboardWebhook, DeleteDashboardWebhook, RedeliverDashboardWebhook, RotateDashboardWebhookSecret,
    get_dashboard_webhooks,
};
use crate::api::flash::{use_flashed, use_refused};
use crate::components::buttons::SubmitButton;
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::secrets::ShownOnce;
use crate::components::status::words;
use domain::dashboard::{EndpointPanel, WebhooksPage};
use domain::webhooks::Delivery;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn WebhookEndpointsPage() -> impl IntoView {
    let create = ServerAction::<CreateDashboardWebhook>::new();
    let rotate = ServerAction::<RotateDashboardWebhookSecret>::new();
    let redeliver = ServerAction::<RedeliverDashboardWebhook>::new();
    let delete = ServerAction::<DeleteDashboardWebhook>::new();
    let page = Resource::new(
        move || (create.version().get(), rotate.version().get(), redeliver.version().get(), delete.version().get()),
        |_| get_dashboard_webhooks(),
    );
    // Made here, once: the view below is built again as the data arrives.
    let created = use_flashed::<CreateDashboardWebhook>();
    let rotated = use_flashed::<RotateDashboardWebhookSecret>();
    let typed = use_refused::<CreateDashboardWebhook, CreateDashboardWebhook>();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="Webhooks" />
        <DashboardNav current="webhooks" />
        <h1 class="mt-4 text-2xl font-bold">"Webhooks"</h1>
        <p class="mt-2 max-w-2xl text-slate-600">
            "Your account's events, sent as they happen to the addresses you add, signed with each endpoint's secret ("
            <code class="text-sm">"X-HumanDispatch-Signature"</code> "). A failed delivery is retried with growing waits; here you see every attempt."
        </p>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || create.value().get().or_else(|| created.get().flatten()).and_then(Result::ok).map(|e| view! {
                <ShownOnce id="created-webhook" value_id="webhook-secret" heading="Your endpoint's signing secret" secret=e.secret.unwrap_or_default() />
            })}
            {move || rotate.value().get().or_else(|| rotated.get().flatten()).map(|r| match r {
                Ok(e) => view! { <ShownOnce id="rotated-webhook" value_id="webhook-secret" heading="The endpoint's new signing secret" secret=e.secret.unwrap_or_default() /> }.into_any(),
                Err(e) => view! { <ErrorNotice id="rotate-error" error=e /> }.into_any(),
            })}
            {move || redeliver.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice id="redeliver-error" error=e /> })}
            {move || delete.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice id="delete-error" error=e /> })}
            {move || typed.get().map(|sent| {
                let sent = sent.ok().flatten();
                view! { <AddEndpoint action=create error sent page /> }
            })}
            {move || page.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice id="webhooks-error" error=e /> }.into_any(),
                Ok(p) => view! { <Endpoints p /> }.into_any(),
            })}
        </Suspense>
    }
}

/// The form that adds an endpoint: its address and the events it gets.
#[component]
fn AddEndpoint(
    action: ServerAction<CreateDashboardWebhook>,
    error: Signal<Option<domain::Error>>,
    /// What a refused form sent, to show it again.
    sent: Option<CreateDashboardWebhook>,
    page: Resource<Result<WebhooksPage, domain::Error>>,
) -> impl IntoView {
    let url = sent.as_ref().map(|s| s.url.clone()).unwrap_or_default();
    let chosen = sent.and_then(|s| s.events).unwrap_or_default();
    let types = move || page.get().and_then(Result::ok).map(|p| p.event_types).unwrap_or_default();
    let chosen_all = chosen.clone();
    view! {
        {move || error.get().map(|e| view! { <ErrorNotice id="create-webhook-error" error=e fields=&["url", "events"] /> })}
        <ActionForm action attr:id="create-webhook-form" attr:class="mt-6 grid max-w-2xl gap-4 rounded-xl border border-slate-200 bg-white p-4 shadow-sm">
            <h2 class="text-lg font-semibold">"Add an endpoint"</h2>
            <Field label="Address (https; http works for a sandbox account)".into() name="url" kind="url" value=url error />
            <fieldset class="grid gap-2 text-sm">
                <legend class="font-medium">"Events to send"</legend>
                <label class="flex items-center gap-2">
                    <input type="checkbox" name="events[]" value="*" checked=chosen_all.contains(&"*".to_owned()) class="size-5" />
                    <span>"All events, including ones added later"</span>
                </label>
                <div class="grid gap-1 sm:grid-cols-2">
                    {move || types().into_iter().map(|t| {
                        let on = chosen.contains(&t);
                        view! {
                            <label class="flex items-center gap-2">
                                <input type="checkbox" name="events[]" value=t.clone() checked=on class="size-5" />
                                <span class="font-mono text-xs">{t}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
                <span id="events-problems" class="text-sm text-red-800">
                    {move || error.get().map(|e| crate::components::errors::problems_for(&e, "events").join(" "))}
                </span>
            </fieldset>
            <SubmitButton label="Add endpoint" busy="Adding…" pending=action.pending() />
        </ActionForm>
    }
}

#[component]
fn Endpoints(p: WebhooksPage) -> impl IntoView {
    view! {
        <section aria-labelledby="endpoints-heading" class="mt-10">
            <h2 id="endpoints-heading" class="text-lg font-semibold">
                "Endpoints " <span class="tabular-nums text-slate-500">{format!("{} of {}", p.endpoints.len(), p.max_endpoints)}</span>
            </h2>
            {p.endpoints.is_empty().then(|| view! {
                <p id="no-endpoints" class="mt-2 text-slate-600">"No endpoints yet. Your agents can also add them with POST /v1/webhooks."</p>
            })}
            {p.endpoints.into_iter().map(|e| view! { <EndpointCard e /> }.into_any()).collect_view()}
        </section>
    }
}

#[component]
fn EndpointCard(e: EndpointPanel) -> impl IntoView {
    let endpoint = e.endpoint;
    let id = endpoint.id.clone();
    let heading = format!("endpoint-{id}-heading");
    let events =
        if endpoint.events.iter().any(|t| t == "*") { "all events".to_owned() } else { endpoint.events.join(", ") };
    let hidden = |id: String| view! { <input type="hidden" name="endpoint_id" value=id /> };
    let (marked, labelled_by) = (id.clone(), heading.clone());
    view! {
        <article data-endpoint=marked aria-labelledby=labelled_by class="mt-4 rounded-xl border border-slate-200 bg-white p-5 shadow-sm">
            <div class="flex flex-wrap items-baseline justify-between gap-3">
                <h3 id=heading class="font-mono text-sm font-semibold break-all">{endpoint.url.clone()}</h3>
                <span data-endpoint-status="" class="text-sm font-medium">
                    {words(endpoint.status.as_str())}
                    {endpoint.disabled_reason.clone().map(|r| format!(" ({r})"))}
                </span>
            </div>
            <p class="mt-1 text-sm text-slate-600">{events} " · added " <When at=endpoint.created_at /> " · " <span class="font-mono text-xs">{id.clone()}</span></p>
            <div class="mt-3 flex flex-wrap gap-3 text-sm">
                <form method="post" action=RotateDashboardWebhookSecret::url()>
                    {hidden(id.clone())}
                    <button type="submit" class="rounded-lg border border-slate-300 px-3 py-1.5 font-medium">"Rotate the signing secret"</button>
                </form>
                <form method="post" action=DeleteDashboardWebhook::url()>
                    {hidden(id.clone())}
                    <button type="submit" class="rounded-lg border border-red-700 px-3 py-1.5 font-medium text-red-800 hover:bg-red-50">"Remove this endpoint"</button>
                </form>
            </div>
            <Deliveries endpoint_id=id deliveries=e.deliveries />
        </article>
    }
}

/// The endpoint's deliveries, newest first: on a phone each stacks its parts, on a wide screen
/// they line up in columns.
#[component]
fn Deliveries(endpoint_id: String, deliveries: Vec<Delivery>) -> impl IntoView {
    if deliveries.is_empty() {
        return view! { <p class="mt-4 text-sm text-slate-600" data-no-deliveries="">"Nothing sent yet."</p> }
            .into_any();
    }
    let caption = format!("Deliveries to {endpoint_id}");
    let heading = "text-xs font-medium text-slate-500 sm:sr-only";
    view! {
        <ul aria-label=caption data-deliveries="" class="mt-4 divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
            {deliveries.into_iter().map(|d| {
                let last = d.attempt_log.last().cloned();
                let answer = match last {
                    None => view! { <span class="text-slate-500">"Not tried yet"</span> }.into_any(),
                    Some(a) => view! {
                        <span data-status-code="">{a.status_code.map_or_else(|| "no answer".to_owned(), |c| c.to_string())}</span>
                        " · " <span data-latency="" class="tabular-nums">{format!("{} ms", a.latency_ms)}</span>
                        " · " <When at=a.attempted_at />
                        {a.error.map(|e| view! { <span class="block text-red-800">{e}</span> })}
                        {a.response_excerpt.map(|x| view! {
                            <details class="mt-1 text-xs">
                                <summary class="cursor-pointer text-indigo-700">"The receiver's answer"</summary>
                                <pre data-excerpt="" class="mt-1 overflow-x-auto rounded bg-slate-50 p-2 whitespace-pre-wrap break-all">{x}</pre>
                            </details>
                        })}
                    }.into_any(),
                };
                view! {
                    <li class="grid gap-2 p-3 sm:grid-cols-[minmax(0,14rem)_6rem_5rem_minmax(0,1fr)_auto] sm:items-start" data-delivery=d.id.clone() data-delivery-status=d.status.as_str()>
                        <div><span class="font-mono text-xs break-all">{d.event_type.as_str()}</span> <span class="block text-xs text-slate-500"><When at=d.created_at /></span></div>
                        <div><span class=heading>"Status "</span>{words(d.status.as_str())}</div>
                        <div class="tabular-nums"><span class=heading>"Attempts "</span>{d.attempts}</div>
                        <div class="min-w-0"><span class=heading>"Last answer "</span>{answer}</div>
                        <form method="post" action=RedeliverDashboardWebhook::url()>
                            <input type="hidden" name="endpoint_id" value=endpoint_id.clone() />
                            <input type="hidden" name="delivery_id" value=d.id.clone() />
                            <button type="submit" class="whitespace-nowrap rounded-lg border border-indigo-600 px-3 py-1.5 font-semibold text-indigo-700">"Send again"</button>
                        </form>
                    </li>
                }.into_any()
            }).collect_view()}
        </ul>
    }.into_any()
}
