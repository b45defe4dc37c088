use crate::api::flash::{use_flashed, use_refused};
use crate::api::passkeys::RemovePasskey;
use crate::api::portal::{RevokeToken, RotateToken, SignOutEverywhere, UpdateProfile, get_portal_profile};
use crate::components::buttons::SubmitButton;
use crate::components::dates::When;
use crate::components::errors::{ErrorNotice, problems_for};
use crate::components::fields::Field;
use crate::components::passkeys::PasskeyAdd;
use domain::passkeys::SavedPasskey;
use domain::portal::PortalProfile;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/portal/profile`: what agents see of the talent and what they edit, their API token, and
/// signing out on every device.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let update = ServerAction::<UpdateProfile>::new();
    let rotate = ServerAction::<RotateToken>::new();
    let revoke = ServerAction::<RevokeToken>::new();
    let remove = ServerAction::<RemovePasskey>::new();
    let profile = Resource::new(
        move || (update.version().get(), rotate.version().get(), revoke.version().get(), remove.version().get()),
        |_| get_portal_profile(),
    );
    let saved = use_flashed::<UpdateProfile>();
    let made = use_flashed::<RotateToken>();
    let removed = use_flashed::<RemovePasskey>();
    let refused = use_refused::<UpdateProfile, domain::portal::ProfileForm>();
    view! {
        <Title text="Your profile" />
        <p><a href="/portal" class="text-sm text-indigo-700 underline">"← Portal"</a></p>
        <h1 class="mt-2 text-2xl font-bold">"Your profile"</h1>
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || profile.get().zip(refused.get()).map(|(r, typed)| match r.and_then(|p| Ok((p, typed?))) {
                Err(e) => view! {
                    <p id="profile-error" role="alert" class="mt-4 text-red-800">
                        {e.message} " " <a href="/portal" class="font-semibold text-indigo-700 underline">"Sign in"</a>
                    </p>
                }.into_any(),
                Ok((p, typed)) => view! {
                    <ProfileForm p=p.clone() typed update saved />
                    <PasskeysSection passkeys=p.passkeys.clone() remove removed />
                    <TokenSection has_token=p.has_token rotate revoke made />
                    <SessionsSection />
                }.into_any(),
            })}
        </Suspense>
    }
}

/// The profile as saved, as the form shows it.
fn as_typed(p: &PortalProfile) -> domain::portal::ProfileForm {
    domain::portal::ProfileForm {
        name: p.name.clone(),
        skills: p.skills.join(", "),
        task_types: Some(p.task_types.iter().map(|t| t.as_str().to_owned()).collect()),
        home_lat: p.home.lat.to_string(),
        home_lng: p.home.lng.to_string(),
        travel_radius_km: p.travel_radius_km.to_string(),
        portfolio_links: p.portfolio_links.join("\n"),
        time_zone: p.time_zone.clone().unwrap_or_default(),
    }
}

#[component]
fn ProfileForm(
    p: PortalProfile,
    /// What the talent sent that was refused: shown again in place of the saved profile.
    typed: Option<domain::portal::ProfileForm>,
    update: ServerAction<UpdateProfile>,
    saved: Resource<Option<Result<PortalProfile, domain::Error>>>,
) -> impl IntoView {
    let error = Signal::derive(move || update.value().get().and_then(Result::err));
    let task_problems = Signal::derive(move || error.get().map(|e| problems_for(&e, "task_types")).unwrap_or_default());
    let shown = typed.unwrap_or_else(|| as_typed(&p));
    let mine = shown.task_types.clone().unwrap_or_default();
    view! {
        <p class="mt-1 break-all text-sm text-slate-500">{p.email.clone()} " · " <span id="profile-talent-id">{p.talent_id.clone()}</span> " · " {p.mode.clone()}</p>
        <ActionForm action=update attr:id="profile-form" attr:class="mt-6 grid max-w-xl gap-4">
            <Field label="Name".into() name="name" error required=true autocomplete="name" value=shown.name.clone() />
            <Field label="Skills (separated by commas)".into() name="skills" error value=shown.skills.clone() />
            <fieldset class="grid gap-2" aria-describedby="task_types-problems">
                <legend class="text-sm font-medium">"Jobs you take"</legend>
                {p.task_type_choices.into_iter().map(|c| {
                    let checked = mine.iter().any(|t| t == c.task_type.as_str());
                    view! {
                        <label class="flex items-start gap-3 text-sm">
                            <input type="checkbox" name="task_types[]" value=c.task_type.as_str() checked=checked class="mt-0.5 size-5" />
                            <span>{c.name}</span>
                        </label>
                    }
                }).collect_view()}
                <span id="task_types-problems" class="text-sm text-red-800">
                    {move || task_problems.get().into_iter().map(|p| view! { <span class="block">{p}</span> }).collect_view()}
                </span>
            </fieldset>
            <fieldset class="grid gap-3">
                <legend class="text-sm font-medium">"Home"</legend>
                <p class="text-sm text-slate-600">
                    "Agents see it rounded to about a kilometre: now "
                    <span id="home-area">{format!("{:.2}, {:.2}", p.home_area.lat, p.home_area.lng)}</span> "."
                </p>
                <LocateHome />
                <Field label="Latitude".into() name="home_lat" error required=true inputmode="decimal" value=shown.home_lat.clone() />
                <Field label="Longitude".into() name="home_lng" error required=true inputmode="decimal" value=shown.home_lng.clone() />
            </fieldset>
            <Field label="How far you travel (km)".into() name="travel_radius_km" error required=true inputmode="numeric" pattern="[0-9]*" value=shown.travel_radius_km.clone() />
            <Field label="Portfolio links (one per line)".into() name="portfolio_links" error multiline=true value=shown.portfolio_links.clone() />
            <Field label="Time zone (such as America/Toronto; empty for UTC)".into() name="time_zone" error autocomplete="off" value=shown.time_zone.clone() />
            <SubmitButton label="Save profile" busy="Saving…" pending=update.pending() />
        </ActionForm>
        {move || update.value().get().or_else(|| saved.get().flatten()).map(|r| match r {
            Ok(_) => view! { <p id="profile-saved" role="status" class="mt-4 max-w-xl rounded-lg border border-emerald-300 bg-emerald-50 p-3">"Profile saved."</p> }.into_any(),
            Err(e) => view! {
                <ErrorNotice id="profile-form-error" error=e fields=&["name", "skills", "task_types", "home_lat", "home_lng", "travel_radius_km", "portfolio_links", "time_zone"] />
            }.into_any(),
        })}
    }
}

/// The passkeys the talent signs in with: each named, when it was added and last used, and a
/// form to remove it; and adding another.
#[component]
fn PasskeysSection(
    passkeys: Vec<SavedPasskey>,
    remove: ServerAction<RemovePasskey>,
    removed: Resource<Option<Result<SavedPasskey, domain::Error>>>,
) -> impl IntoView {
    let none = passkeys.is_empty();
    view! {
        <section id="passkeys" class="mt-10 max-w-xl">
            <h2 class="text-lg font-semibold">"Passkeys"</h2>
            <p class="mt-2 text-sm text-slate-600">"Sign in with your fingerprint, face or screen lock instead of an emailed link. Add one on each phone or computer you use."</p>
            {none.then(|| view! { <p id="no-passkeys" class="mt-3 text-sm">"No passkeys yet."</p> })}
            <ul id="passkey-list" class="mt-3 grid gap-2">
                {passkeys.into_iter().map(|k| view! {
                    <li class="flex items-center justify-between gap-3 rounded-lg border border-slate-200 bg-white p-3">
                        <span class="min-w-0 text-sm">
                            <span class="passkey-name block font-medium break-words">{k.name.clone()}</span>
                            <span class="block text-slate-600">"Added " <When at=k.created_at /></span>
                            <span class="block text-slate-600">
                                {match k.last_used_at {
                                    Some(at) => view! { "Last used " <When at=at /> }.into_any(),
                                    None => view! { "Not used yet" }.into_any(),
                                }}
                            </span>
                        </span>
                        <ActionForm action=remove>
                            <input type="hidden" name="passkey_id" value=k.id />
                            <button type="submit" class="shrink-0 rounded-lg border border-red-300 bg-white px-3 py-2 text-sm font-semibold text-red-800">
                                "Remove " <span class="sr-only">{k.name}</span>
                            </button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            {move || remove.value().get().or_else(|| removed.get().flatten()).map(|r| match r {
                Ok(k) => view! { <p id="passkey-removed" role="status" class="mt-3 text-sm">{format!("Removed the passkey {:?}: it no longer signs you in.", k.name)}</p> }.into_any(),
                Err(e) => view! { <ErrorNotice id="passkey-error" error=e /> }.into_any(),
            })}
            <PasskeyAdd label="Add a passkey" />
        </section>
    }
}

/// "Use my location": fills the home's fields from the phone's GPS (a button only once the
/// island runs; without it the fields are typed).
#[island]
fn LocateHome() -> impl IntoView {
    let locating = RwSignal::new(false);
    let located = RwSignal::new(None::<String>);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let find_me = move |_| {
        locating.set(true);
        #[cfg(feature = "hydrate")]
        crate::geolocation::locate(move |found| {
            locating.set(false);
            match found {
                Ok(f) => {
                    crate::geolocation::fill("profile-form", &[("home_lat", f.at.lat), ("home_lng", f.at.lng)]);
                    located.set(Some(format!(
                        "Filled in from your phone's position (GPS accuracy {:.0} m).",
                        f.accuracy_m
                    )));
                }
                Err(why) => located.set(Some(why)),
            }
        });
    };
    view! {
        <Show when=move || hydrated.get()>
            <button id="locate-home" type="button" on:click=find_me disabled=move || locating.get()
                class="rounded-lg border border-indigo-600 bg-white px-5 py-3 font-semibold text-indigo-700 disabled:opacity-50">
                {move || if locating.get() { "Finding your position…" } else { "Use my location" }}
            </button>
        </Show>
        <p id="home-located" role="status" class="text-sm">{move || located.get()}</p>
    }
}

/// The talent's API token (`hd_talent_…`), for calling `/v1` as themself.
#[component]
fn TokenSection(
    has_token: bool,
    rotate: ServerAction<RotateToken>,
    revoke: ServerAction<RevokeToken>,
    made: Resource<Option<Result<String, domain::Error>>>,
) -> impl IntoView {
    view! {
        <section id="token" class="mt-10 max-w-xl">
            <h2 class="text-lg font-semibold">"API token"</h2>
            <p id="token-state" class="mt-2 text-sm text-slate-600">
                {if has_token {
                    "A token works now. It is shown only when it is made: making a new one stops the old one."
                } else {
                    "No token works now. Make one to quote, check in and deliver through the API."
                }}
            </p>
            {move || rotate.value().get().or_else(|| made.get().flatten()).map(|r| match r {
                Ok(token) => view! {
                    <div class="mt-3 rounded-lg border border-amber-300 bg-amber-50 p-3">
                        <p class="text-sm font-semibold">"Your new token. Copy it now: it is not shown again."</p>
                        <output id="new-token" class="mt-2 block break-all font-mono text-sm">{token}</output>
                    </div>
                }.into_any(),
                Err(e) => view! { <ErrorNotice id="token-error" error=e /> }.into_any(),
            })}
            <div class="mt-4 flex flex-wrap gap-3">
                <ActionForm action=rotate>
                    <SubmitButton id="rotate-token" label=if has_token { "Make a new token" } else { "Make a token" } busy="Making…" pending=rotate.pending() />
                </ActionForm>
                {has_token.then(|| view! {
                    <ActionForm action=revoke>
                        <button id="revoke-token" type="submit" class="rounded-lg border border-red-300 bg-white px-5 py-3 font-semibold text-red-800">"Revoke the token"</button>
                    </ActionForm>
                })}
            </div>
        </section>
    }
}

#[component]
fn SessionsSection() -> impl IntoView {
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <section class="mt-10 max-w-xl">
            <h2 class="text-lg font-semibold">"Devices"</h2>
            <p class="mt-2 text-sm text-slate-600">"Lost a phone, or signed in on a shared one? Sign out on every device, this one too."</p>
            <ActionForm action=everywhere attr:class="mt-3">
                <button id="sign-out-everywhere" type="submit" class="rounded-lg border border-slate-300 bg-white px-5 py-3 font-semibold">"Sign out on every device"</button>
            </ActionForm>
            {move || everywhere.value().get().and_then(Result::err).map(|e| view! { <ErrorNotice id="sign-out-everywhere-error" error=e /> })}
        </section>
    }
}
