use crate::api::flash::use_refused;
use crate::api::portal::{DeclineInvitation, SubmitQuote, get_invitation, get_portal_invitation};
use crate::components::buttons::SubmitButton;
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::maps::GeofenceMap;
use crate::components::money::Dollars;
use domain::portal::PortalInvitationDetail;
use domain::quotes::InvitationSummary;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/portal/invitations/:id`: where an invitation email leads the talent. Anyone with the link
/// sees what the email said; the invited talent, signed in, sees the job in full and quotes or
/// declines here.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let submit = ServerAction::<SubmitQuote>::new();
    let decline = ServerAction::<DeclineInvitation>::new();
    let detail = Resource::new(
        move || (id(), submit.version().get(), decline.version().get()),
        |(id, _, _)| get_portal_invitation(id),
    );
    let public = Resource::new(id, get_invitation);
    // What a refused quote or decline said, shown again in its form.
    let quoted = use_refused::<SubmitQuote, SubmitQuote>();
    let declined = use_refused::<DeclineInvitation, DeclineInvitation>();
    view! {
        <Title text="Invitation to quote" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || detail.get().zip(quoted.get()).zip(declined.get()).map(|((r, q), d)| match r.and_then(|r| Ok((r, Typed { quote: q?, decline: d? }))) {
                Err(e) => view! { <p id="invitation-error" role="alert" class="text-red-800">{e.message}</p> }.into_any(),
                Ok((Some(d), typed)) => view! { <Detailed d typed submit decline /> }.into_any(),
                Ok((None, _)) => view! {
                    {move || public.get().map(|r| match r {
                        Err(e) => view! { <p id="invitation-error" role="alert" class="text-red-800">{e.message}</p> }.into_any(),
                        Ok(i) => view! { <Public i /> }.into_any(),
                    })}
                }.into_any(),
            })}
        </Suspense>
    }
}

/// What the invitation email said, for anyone with the link.
#[component]
fn Public(i: InvitationSummary) -> impl IntoView {
    view! {
        <h1 class="text-2xl font-bold">{i.title.clone()}</h1>
        <dl id="invitation" class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt class="text-slate-500">"Type"</dt><dd>{i.task_type.clone()}</dd>
            <dt class="text-slate-500">"Where"</dt><dd>{i.address.clone().unwrap_or_else(|| "Remote".into())}</dd>
            <dt class="text-slate-500">"When"</dt><dd><When at=i.start_at /></dd>
            <dt class="text-slate-500">"Duration"</dt><dd>{format!("{:.1} h", i.duration_hours)}</dd>
            <dt class="text-slate-500">"Budget"</dt><dd id="invitation-budget"><Dollars amount=i.budget currency=i.currency.clone() /></dd>
            <dt class="text-slate-500">"Status"</dt><dd>{i.task_status.as_str()}</dd>
        </dl>
        <p id="quote-sign-in" class="mt-8 max-w-md text-slate-600">
            <a href="/portal" class="font-semibold text-indigo-700 underline">"Sign in"</a>
            " with the email address this invitation was sent to, then quote here."
        </p>
    }
}

/// The job in full for the invited talent, with their answer: the quote form and the decline
/// form, or what they answered.
/// What the talent sent in a form that was refused.
#[derive(Clone)]
struct Typed {
    quote: Option<SubmitQuote>,
    decline: Option<DeclineInvitation>,
}

#[component]
fn Detailed(
    d: PortalInvitationDetail,
    typed: Typed,
    submit: ServerAction<SubmitQuote>,
    decline: ServerAction<DeclineInvitation>,
) -> impl IntoView {
    let i = d.invitation.clone();
    let open = matches!(i.task_status, domain::status::TaskStatus::OpenForQuotes | domain::status::TaskStatus::Quoted);
    let zone = d.time_zone.clone().unwrap_or_else(|| "UTC: set your time zone in your profile".into());
    let answer = match (&i.quote, &i.declined_at) {
        (Some(q), _) => view! {
            <p id="my-quote" class="rounded-lg border border-emerald-300 bg-emerald-50 p-3">
                {format!("Your quote: {} — {}", domain::money::format_dollars(q.amount, &i.currency), q.status)}
            </p>
        }
        .into_any(),
        (None, Some(_)) => view! {
            <p id="declined" class="rounded-lg border border-slate-300 bg-slate-100 p-3">
                "You declined this job: " {i.decline_reason.clone().unwrap_or_default()}
            </p>
        }
        .into_any(),
        (None, None) if !open => view! {
            <p class="rounded-lg border border-slate-300 bg-slate-100 p-3">"This job no longer takes quotes."</p>
        }
        .into_any(),
        (None, None) => view! {
            <QuoteForm invitation_id=i.invitation_id.clone() currency=i.currency.clone() max_quote=d.max_quote counter_offers=d.counter_offers typed=typed.quote submit />
            <DeclineForm invitation_id=i.invitation_id.clone() typed=typed.decline decline />
        }
        .into_any(),
    };
    view! {
        <p><a href="/portal" class="text-sm text-indigo-700 underline">"← Portal"</a></p>
        <h1 class="mt-2 text-2xl font-bold">{i.title.clone()}</h1>
        <p class="mt-1 text-slate-600">{d.template_name.clone()}</p>
        {d.description.clone().map(|t| view! { <p class="mt-3">{t}</p> })}
        <dl id="invitation" class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt class="text-slate-500">"Where"</dt><dd>{d.address.clone().unwrap_or_else(|| "Remote".into())}</dd>
            <dt class="text-slate-500">"When"</dt>
            <dd><time id="invitation-when" datetime=i.start_at.to_rfc3339()>{i.start_local.clone()}</time><span class="block text-slate-500">{zone}</span></dd>
            <dt class="text-slate-500">"Duration"</dt><dd>{format!("{:.1} h", d.duration_hours)}</dd>
            <dt class="text-slate-500">"Budget"</dt><dd id="invitation-budget"><Dollars amount=i.budget currency=i.currency.clone() /></dd>
        </dl>
        {d.site.map(|site| view! {
            <div class="mt-4">
                <GeofenceMap id="invitation-map" site radius_m=d.radius_m fix=Signal::stored(None) />
                <p class="mt-1 text-sm text-slate-600">{format!("On the day you check in within {} m of the site.", d.radius_m)}</p>
            </div>
        })}
        <section class="mt-6">
            <h2 class="text-lg font-semibold">"What the job asks"</h2>
            <ul id="invitation-asks" class="mt-2 list-disc pl-5 text-sm">
                {d.asks.iter().map(|a| view! { <li>{a.clone()}</li> }).collect_view()}
            </ul>
            <dl id="invitation-spec" class="mt-3 grid gap-2 text-sm">
                {d.spec.iter().map(|s| view! {
                    <div>
                        <dt class="font-medium">{s.label.clone()}</dt>
                        <dd>{s.value.clone()}{s.help.clone().map(|h| view! { <span class="block text-slate-500">{h}</span> })}</dd>
                    </div>
                }).collect_view()}
            </dl>
        </section>
        <section class="mt-6">
            <h2 class="text-lg font-semibold">"What QA will check"</h2>
            <ul id="invitation-checks" class="mt-2 grid gap-2 text-sm">
                {d.checks.iter().map(|c| view! { <li>{c.description.clone()} " " <span class="text-xs text-slate-500">{format!("({})", c.name)}</span></li> }).collect_view()}
            </ul>
        </section>
        <section class="mt-8 grid max-w-md gap-6">{answer}</section>
        {move || submit.value().get().and_then(Result::err).map(|e| view! {
            <ErrorNotice id="quote-error" error=e fields=&["amount", "message"] />
        })}
        {move || decline.value().get().and_then(Result::err).map(|e| view! {
            <ErrorNotice id="decline-error" error=e fields=&["reason"] />
        })}
    }
}

#[component]
fn QuoteForm(
    invitation_id: String,
    currency: String,
    max_quote: i64,
    counter_offers: bool,
    typed: Option<SubmitQuote>,
    submit: ServerAction<SubmitQuote>,
) -> impl IntoView {
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    let ceiling = if counter_offers {
        format!("up to {}", domain::money::format_dollars(max_quote, &currency))
    } else {
        format!("at most the budget, {}", domain::money::format_dollars(max_quote, &currency))
    };
    view! {
        <ActionForm action=submit attr:id="quote-form" attr:class="grid gap-4">
            <h2 class="text-lg font-semibold">"Quote"</h2>
            <input type="hidden" name="invitation_id" value=invitation_id />
            <Field label=format!("Your price ({currency}, whole dollars, {ceiling})") name="amount" error required=true inputmode="numeric" pattern="[0-9]*" value=typed.as_ref().map(|t| t.amount.clone()).unwrap_or_default() />
            <Field label="Message to the agent".into() name="message" error multiline=true required=true value=typed.map(|t| t.message).unwrap_or_default() />
            <SubmitButton label="Send quote" busy="Sending…" pending=submit.pending() />
        </ActionForm>
    }
}

#[component]
fn DeclineForm(
    invitation_id: String,
    typed: Option<DeclineInvitation>,
    decline: ServerAction<DeclineInvitation>,
) -> impl IntoView {
    let error = Signal::derive(move || decline.value().get().and_then(Result::err));
    view! {
        <ActionForm action=decline attr:id="decline-form" attr:class="grid gap-4 border-t border-slate-200 pt-6">
            <h2 class="text-lg font-semibold">"Can't take it?"</h2>
            <input type="hidden" name="invitation_id" value=invitation_id />
            <Field label="Why not (the agent sees this)".into() name="reason" error multiline=true required=true value=typed.map(|t| t.reason).unwrap_or_default() />
            <button id="decline" type="submit" class="rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold" disabled=move || decline.pending().get()>
                {move || if decline.pending().get() { "Declining…" } else { "Decline the job" }}
            </button>
        </ActionForm>
    }
}
