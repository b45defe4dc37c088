//! The work on a booking: the uploads (Uppy over tus, in the page's own script), the delivery,
//! QA's result and the agent's change requests.

use crate::api::portal::{DeliverWork, get_portal_files, get_portal_work};
use crate::assets::{Assets, get_assets};
use crate::components::buttons::SubmitButton;
use crate::components::dates::written;
use crate::components::errors::ErrorNotice;
use crate::components::files::{size, thumbnail_url};
use domain::Error;
use domain::portal::{PortalFile, PortalWork};
use domain::qa::{QaCheck, QaStatus};
use domain::status::{Machine, WorkOrderAction, WorkOrderStatus};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The upload script's event when a file has arrived (`frontend/uploads/uploads.js`).
const UPLOADED_EVENT: &str = "hd-uploaded";

fn status_words(status: WorkOrderStatus) -> &'static str {
    match status {
        WorkOrderStatus::AwaitingDelivery => "Upload your work, then submit it.",
        WorkOrderStatus::Delivered => "Delivered: QA is checking it.",
        WorkOrderStatus::QaPassed => "QA passed: the agent reviews your work.",
        WorkOrderStatus::QaFailed => "QA found problems: fix them below and submit again.",
        WorkOrderStatus::ChangesRequested => "The agent asked for changes: upload again and submit.",
        WorkOrderStatus::Accepted => "Accepted: you are paid.",
        WorkOrderStatus::Disputed => "In dispute: the agent and HumanDispatch are looking at it.",
        WorkOrderStatus::Cancelled => "Cancelled.",
    }
}

/// One of QA's checks in plain words, with the template's description and the file it is about.
fn check_words(check: &QaCheck, work: &PortalWork) -> String {
    let about = work.checks.iter().find(|t| t.name == check.name).map_or(check.name.as_str(), |t| &t.description);
    let file = check
        .deliverable_id
        .as_ref()
        .and_then(|d| work.files.iter().find(|f| f.deliverable_id.as_ref() == Some(d)))
        .map(|f| f.filename.as_str());
    crate::components::qa::check_words(check, about, file)
}

#[component]
pub fn WorkSection(booking_id: String) -> impl IntoView {
    // Its refusal comes back with the page the form posted from (the delivery form is plain).
    let deliver = ServerAction::<DeliverWork>::new();
    let id = booking_id.clone();
    let work = Resource::new(move || id.clone(), get_portal_work);
    let assets = Resource::new(|| (), |()| get_assets());
    view! {
        <Suspense fallback=|| ()>
            {move || work.get().map(|r| match r {
                Err(e) => view! { <p role="alert" class="mt-6 text-red-800">{e.message}</p> }.into_any(),
                Ok(None) => ().into_any(),
                Ok(Some(w)) => view! { <Work w booking_id=booking_id.clone() deliver assets /> }.into_any(),
            })}
        </Suspense>
    }
}

/// Whether the talent can deliver (again): as the work order's state machine says.
fn open(status: WorkOrderStatus) -> bool {
    status.next(WorkOrderAction::Deliver).is_ok()
}

#[component]
fn Work(
    w: PortalWork,
    booking_id: String,
    deliver: ServerAction<DeliverWork>,
    assets: Resource<Result<Assets, Error>>,
) -> impl IntoView {
    let qa = w.qa.clone().filter(|q| q.delivery_set == w.delivery_set);
    let error = Signal::derive(move || deliver.value().get().and_then(Result::err));
    view! {
        <section id="work" class="mt-8">
            <h2 class="text-lg font-semibold">"Your work"</h2>
            <p id="work-status" class="mt-1 font-medium">{status_words(w.status)}</p>
            <div class="mt-3 rounded-xl border border-slate-200 bg-white p-4 text-sm">
                <h3 class="font-semibold">"What to deliver"</h3>
                <ul class="mt-1 list-disc pl-5">{w.asks.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}</ul>
                <h3 class="mt-3 font-semibold">"What QA checks"</h3>
                <ul class="mt-1 list-disc pl-5">{w.checks.iter().map(|t| view! { <li>{t.description.clone()}</li> }).collect_view()}</ul>
            </div>
            {w.changes_reason.clone().filter(|_| w.status == WorkOrderStatus::ChangesRequested).map(|why| view! {
                <div id="changes-requested" role="status" class="mt-4 rounded-xl border border-amber-300 bg-amber-50 p-4">
                    <p class="font-semibold">"The agent asked for changes"</p>
                    <p class="mt-1 whitespace-pre-line">{why}</p>
                </div>
            })}
            {qa.map(|q| {
                let passed = q.status == QaStatus::Passed;
                view! {
                    <div id="qa-result" class="mt-4 rounded-xl border p-4" class=("border-emerald-300", passed) class=("bg-emerald-50", passed) class=("border-red-300", !passed) class=("bg-red-50", !passed)>
                        <p class="font-semibold">{if passed { "QA passed" } else { "QA failed" }} " · delivery " {q.delivery_set} " · " {written(q.created_at)}</p>
                        <ul class="mt-2 grid gap-1 text-sm">
                            {q.checks.iter().map(|c| view! { <li class:font-semibold=!c.passed>{check_words(c, &w)}</li> }).collect_view()}
                        </ul>
                    </div>
                }
            })}
            {open(w.status).then(|| view! { <Uploader w=w.clone() assets /> })}
            {view! { <Files booking_id work_order_id=w.work_order_id.clone() open=open(w.status) files=w.files.clone() /> }.into_any()}
            {move || error.get().map(|e| view! { <ErrorNotice id="deliver-error" error=e /> })}
        </section>
    }
}

/// The uploaded files, and the form that delivers the checked ones. The list is read again
/// each time the upload script says a file has arrived; the form posts as it is.
#[island]
fn Files(booking_id: String, work_order_id: String, open: bool, files: Vec<PortalFile>) -> impl IntoView {
    let files = RwSignal::new(files);
    let problem = RwSignal::new(None::<String>);
    let handle = window_event_listener_untyped(UPLOADED_EVENT, move |_| {
        let booking_id = booking_id.clone();
        leptos::task::spawn_local(async move {
            match get_portal_files(booking_id).await {
                Ok(listed) => {
                    problem.set(None);
                    files.set(listed);
                }
                Err(e) => problem.set(Some(e.message)),
            }
        });
    });
    on_cleanup(move || handle.remove());
    view! {
        <h3 class="mt-6 font-semibold">"Uploaded files"</h3>
        {move || files.with(Vec::is_empty).then(|| view! { <p class="mt-1 text-sm text-slate-500">"Nothing uploaded yet."</p> })}
        <form method="post" action=DeliverWork::url() id="deliver-form" class="mt-2 grid gap-3">
            <input type="hidden" name="work_order_id" value=work_order_id />
            <ul id="uploaded-files" class="grid gap-2">
                {move || files.get().into_iter().map(|f| view! { <FileRow f open /> }).collect_view()}
            </ul>
            {move || (open && !files.with(Vec::is_empty)).then(|| view! {
                <SubmitButton id="deliver" label="Submit the checked files" busy="Submitting…" pending=Signal::stored(false) />
            })}
        </form>
        {move || problem.get().map(|p| view! { <p role="alert" class="mt-2 text-sm text-red-800">{p}</p> })}
    }
}

#[component]
fn FileRow(f: PortalFile, open: bool) -> impl IntoView {
    let label = format!("{} · {}", f.filename, size(f.size_bytes));
    // Made on the server, small: the phone never downloads its own full-size photo again.
    let thumbnail = thumbnail_url(&f.id, &f.content_type);
    view! {
        <li class="rounded-lg border border-slate-200 bg-white p-3 text-sm">
            <label class="flex items-start gap-3">
                <input type="checkbox" name="file_ids[]" value=f.id.clone() checked=open || f.deliverable_id.is_some() disabled=!open class="mt-1 size-5" />
                {thumbnail.map(|src| view! { <img src=src alt="" width="64" height="64" loading="lazy" class="size-16 shrink-0 rounded object-cover" /> })}
                <span>
                    <span class="block font-medium break-all">{label}</span>
                    <span class="block text-slate-500">
                        {written(f.created_at)}
                        {f.deliverable_id.is_some().then_some(" · in your last delivery")}
                    </span>
                    {f.sha256.map(|h| view! { <span class="block font-mono text-xs text-slate-500">{format!("SHA-256 {}…", &h[..16.min(h.len())])}</span> })}
                </span>
            </label>
        </li>
    }
}

/// The upload widget: the upload script mounts Uppy here (pick or take photos and video,
/// progress per file, pause and resume, resumed after a dropped connection or a reload).
/// What it holds before the script runs is what a browser without scripts shows.
#[component]
fn Uploader(w: PortalWork, assets: Resource<Result<Assets, Error>>) -> impl IntoView {
    view! {
        <h3 class="mt-6 font-semibold">"Upload"</h3>
        <Suspense fallback=|| ()>
            {move || assets.get().map(|r| match r {
                Ok(Assets { uploads_js: Some(js), uploads_css: Some(css), .. }) => view! {
                    <leptos_meta::Stylesheet id="uploads-css" href=css />
                    <leptos_meta::Script id="uploads-js" src=js defer="defer" />
                }.into_any(),
                Ok(_) => view! { <p role="alert" class="text-red-800">"This build has no upload script (scripts/build-release.sh builds it)."</p> }.into_any(),
                Err(e) => view! { <p role="alert" class="text-red-800">{e.message}</p> }.into_any(),
            })}
        </Suspense>
        <div
            id="uploader"
            data-uploader=""
            data-work-order-id=w.work_order_id.clone()
            data-endpoint="/v1/uploads"
            data-accept=w.accept.join(",")
            data-max-bytes=w.max_file_bytes.to_string()
            class="mt-2"
        >
            <p class="rounded-lg border border-slate-300 bg-white p-3 text-sm text-slate-600">
                "Uploading needs JavaScript: uploads resume where they stopped when the connection drops. Turn JavaScript on for this site to upload."
            </p>
        </div>
    }
}
