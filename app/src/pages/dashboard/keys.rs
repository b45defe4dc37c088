//! `/dashboard/keys`: the account's API keys. Create one (shown once), see when each was last
//! used, revoke one; the last active key cannot be revoked, as on `/v1`.

use super::DashboardNav;
use crate::api::dashboard::keys::{CreateDashboardKey, RevokeDashboardKey, get_dashboard_keys};
use crate::api::flash::use_flashed;
use crate::components::buttons::SubmitButton;
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::secrets::ShownOnce;
use crate::components::tables::{ScrollTable, col};
use domain::api_keys::ApiKey;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[component]
pub fn KeysPage() -> impl IntoView {
    let create = ServerAction::<CreateDashboardKey>::new();
    let revoke = ServerAction::<RevokeDashboardKey>::new();
    let keys = Resource::new(move || (create.version().get(), revoke.version().get()), |_| get_dashboard_keys());
    let created = use_flashed::<CreateDashboardKey>();
    let error = Signal::derive(move || create.value().get().and_then(Result::err));
    view! {
        <Title text="API keys" />
        <DashboardNav current="keys" />
        <h1 class="mt-4 text-2xl font-bold">"API keys"</h1>
        <p class="mt-2 max-w-2xl text-slate-600">"Your agents call the API with these. Give each agent its own key, so that one can be revoked without stopping the others."</p>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || keys.get().map(|r| match r {
                Err(e) => view! { <ErrorNotice id="keys-error" error=e /> }.into_any(),
                Ok(list) => view! { <KeyTable keys=list.data /> }.into_any(),
            })}
            {move || revoke.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice id="revoke-error" error=e /> })}
            {move || create.value().get().or_else(|| created.get().flatten()).map(|r| match r {
                Ok(k) => view! { <ShownOnce id="created-key" value_id="new-api-key" heading="Your new API key" secret=k.api_key /> }.into_any(),
                Err(e) => view! { <ErrorNotice id="create-key-error" error=e fields=&["name"] /> }.into_any(),
            })}
        </Suspense>
        <ActionForm action=create attr:id="create-key-form" attr:class="mt-8 grid max-w-md gap-4">
            <h2 class="text-lg font-semibold">"Create a key"</h2>
            <Field label="Name (such as the agent that uses it)".into() name="name" error />
            <SubmitButton label="Create key" busy="Creating…" pending=create.pending() />
        </ActionForm>
    }
}

#[component]
fn KeyTable(keys: Vec<ApiKey>) -> impl IntoView {
    let revoke_url = RevokeDashboardKey::url();
    view! {
        <ScrollTable id="keys" label="Your API keys" min_width="min-w-[40rem]" columns=vec![col("Name"), col("Key"), col("Created"), col("Last used"), col("Status")]>
                <tbody>
                    {keys.into_iter().map(|k| {
                        let name = k.name.clone().unwrap_or_else(|| "Unnamed".into());
                        let status = match k.revoked_at {
                            Some(at) => view! { "Revoked " <When at /> }.into_any(),
                            None => view! {
                                <form method="post" action=revoke_url>
                                    <input type="hidden" name="key_id" value=k.id.clone() />
                                    <button type="submit" class="rounded-lg border border-red-700 px-3 py-1 font-semibold text-red-800 hover:bg-red-50">
                                        {format!("Revoke {name}")}
                                    </button>
                                </form>
                            }.into_any(),
                        };
                        view! {
                            <tr class="border-b border-slate-100 align-middle last:border-0" data-key=k.id.clone() data-revoked=k.revoked_at.is_some().to_string()>
                                <td class="px-4 py-2 font-medium">{name.clone()}</td>
                                <td class="px-4 py-2 font-mono text-xs">{format!("{}…", k.prefix)}</td>
                                <td class="px-4 py-2 whitespace-nowrap"><When at=k.created_at /></td>
                                <td class="px-4 py-2 whitespace-nowrap" data-last-used="">{match k.last_used_at {
                                    Some(at) => view! { <When at /> }.into_any(),
                                    None => "Never".into_any(),
                                }}</td>
                                <td class="px-4 py-2">{status}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
        </ScrollTable>
    }
}
