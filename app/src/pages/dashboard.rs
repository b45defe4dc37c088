use crate::api::system::get_system_status;
use domain::system::SystemStatus;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/dashboard`: the principal's view. For now: the service's status, read through a server
/// function, refreshable once the page is interactive.
#[component]
pub fn Dashboard() -> impl IntoView {
    let status = Resource::new(|| (), |()| get_system_status());
    view! {
        <Title text="Dashboard" />
        <Suspense fallback=|| view! { <p class="mt-2 text-slate-500">"Checking…"</p> }>
            {move || status.get().map(|result| match result {
                Ok(s) => view! { <ServiceStatus initial=s /> }.into_any(),
                Err(e) => view! {
                    <h1 class="text-2xl font-bold">"Dashboard"</h1>
                    <p id="status-error" class="mt-2 text-red-700">{e.code.as_str()} ": " {e.message}</p>
                }.into_any(),
            })}
        </Suspense>
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
        <div class="flex items-center justify-between gap-4">
            <h1 class="text-2xl font-bold">"Dashboard"</h1>
            <button
                type="button"
                id="refresh-status"
                class="rounded-lg bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700"
                on:click=refresh
            >
                "Refresh"
            </button>
        </div>
        <section class="mt-6 rounded-xl border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="status-heading">
            <h2 id="status-heading" class="text-lg font-semibold">"Service status"</h2>
            {move || match status.get() {
                Ok(s) => view! {
                    <dl id="status" class="mt-3 grid grid-cols-2 gap-x-4 gap-y-2 text-sm" data-refreshes=move || refreshes.get().to_string()>
                        <dt class="text-slate-500">"Status"</dt><dd id="status-value" class="font-medium">{s.status}</dd>
                        <dt class="text-slate-500">"Database"</dt><dd id="status-database" class="font-medium">{s.database}</dd>
                        <dt class="text-slate-500">"Database time"</dt><dd id="status-time" class="font-mono">{s.database_time}</dd>
                        <dt class="text-slate-500">"Version"</dt><dd class="font-medium">{s.version}</dd>
                    </dl>
                }.into_any(),
                Err(e) => view! { <p id="status-error" class="mt-2 text-red-700">{e.code.as_str()} ": " {e.message}</p> }.into_any(),
            }}
        </section>
    }
}
