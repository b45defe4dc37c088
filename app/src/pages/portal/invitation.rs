use crate::api::portal::{SubmitQuote, get_invitation, get_portal_home};
use crate::components::buttons::SubmitButton;
use crate::components::dates::When;
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::money::Dollars;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/portal/invitations/:id`: where an invitation email leads the talent. Anyone with the link
/// sees what the email said; the invited talent, signed in, quotes here.
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
                        <dt class="text-slate-500">"When"</dt><dd><When at=i.start_at /></dd>
                        <dt class="text-slate-500">"Duration"</dt><dd>{format!("{:.1} h", i.duration_hours)}</dd>
                        <dt class="text-slate-500">"Budget"</dt><dd id="invitation-budget"><Dollars amount=i.budget currency=i.currency.clone() /></dd>
                        <dt class="text-slate-500">"Status"</dt><dd>{i.task_status.as_str()}</dd>
                    </dl>
                    <QuoteSection invitation_id=i.invitation_id.clone() />
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The signed-in talent's quote on this invitation: the form, or the quote they sent.
#[component]
fn QuoteSection(invitation_id: String) -> impl IntoView {
    let submit = ServerAction::<SubmitQuote>::new();
    let home = Resource::new(move || submit.version().get(), |_| get_portal_home());
    view! {
        <section class="mt-8 max-w-md">
            <Suspense fallback=|| ()>
                {move || home.get().map(|r| match r {
                    Err(e) => view! { <p role="alert" class="text-red-800">{e.message}</p> }.into_any(),
                    Ok(None) => view! {
                        <p id="quote-sign-in" class="text-slate-600">
                            <a href="/portal" class="font-semibold text-indigo-700 underline">"Sign in"</a>
                            " with the email address this invitation was sent to, then quote here."
                        </p>
                    }.into_any(),
                    Ok(Some(home)) => {
                        let name = home.talent.name;
                        match home.invitations.into_iter().find(|x| x.invitation_id == invitation_id) {
                            None => view! {
                                <p class="text-slate-600">"You are signed in as " {name} ", who was not invited to this job."</p>
                            }.into_any(),
                            Some(mine) => match mine.quote {
                                Some(q) => view! {
                                    <p id="my-quote" class="rounded-lg border border-emerald-300 bg-emerald-50 p-3">
                                        {format!("Your quote: {} — {}", domain::money::format_dollars(q.amount, &mine.currency), q.status)}
                                    </p>
                                }.into_any(),
                                None => view! { <QuoteForm invitation_id=mine.invitation_id currency=mine.currency submit /> }.into_any(),
                            },
                        }
                    }
                })}
            </Suspense>
            {move || submit.value().get().and_then(Result::err).map(|e| view! {
                <ErrorNotice id="quote-error" error=e fields=&["amount", "message"] />
            })}
        </section>
    }
}

#[component]
fn QuoteForm(invitation_id: String, currency: String, submit: ServerAction<SubmitQuote>) -> impl IntoView {
    let error = Signal::derive(move || submit.value().get().and_then(Result::err));
    view! {
        <ActionForm action=submit attr:id="quote-form" attr:class="grid gap-4">
            <input type="hidden" name="invitation_id" value=invitation_id />
            <Field label=format!("Your price ({currency}, whole dollars)") name="amount" error required=true inputmode="numeric" pattern="[0-9]*" />
            <Field label="Message to the agent".into() name="message" error multiline=true required=true />
            <SubmitButton label="Send quote" busy="Sending…" pending=submit.pending() />
        </ActionForm>
    }
}
