use crate::api::portal::get_invitation;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/portal/invitations/:id`: where an invitation email leads the talent.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let invitation = Resource::new(move || params.read().get("id").unwrap_or_default(), get_invitation);
    view! {
        <Title text="Invitation to quote" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || invitation.get().map(|r| match r {
                Err(e) => view! { <p id="invitation-error" role="alert" class="text-red-800">{e.message}</p> }.into_any(),
                Ok(i) => view! {
                    <h1 class="text-2xl font-bold">{i.title.clone()}</h1>
                    <dl id="invitation" class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
                        <dt class="text-slate-500">"Type"</dt><dd>{i.task_type.clone()}</dd>
                        <dt class="text-slate-500">"Where"</dt><dd>{i.address.clone().unwrap_or_else(|| "Remote".into())}</dd>
                        <dt class="text-slate-500">"When"</dt><dd>{i.start_at.to_rfc3339()}</dd>
                        <dt class="text-slate-500">"Duration"</dt><dd>{format!("{:.1} h", i.duration_hours)}</dd>
                        <dt class="text-slate-500">"Budget"</dt><dd id="invitation-budget">{format!("${} {}", i.budget, i.currency)}</dd>
                        <dt class="text-slate-500">"Status"</dt><dd>{i.task_status.clone()}</dd>
                    </dl>
                    <p class="mt-6 text-slate-600">
                        "Quote from the talent app with your talent token: "
                        <code class="break-all">{format!("POST /v1/talent/{}/quote", i.talent_id)}</code>
                        " with " <code>{format!("{{\"task_id\": \"{}\", \"amount\": …, \"message\": …}}", i.task_id)}</code>
                    </p>
                }.into_any(),
            })}
        </Suspense>
    }
}
