use super::work::WorkSection;
use crate::api::flash::use_refused;
use crate::api::portal::{CheckIn, get_portal_booking};
use crate::components::buttons::SubmitButton;
use crate::components::dates::{WhenWritten, written};
use crate::components::errors::ErrorNotice;
use crate::components::fields::Field;
use crate::components::maps::{Fix, GeofenceMap, distance};
use crate::components::money::Amount;
use domain::bookings::{Checkin, Placement};
use domain::portal::PortalBooking;
use domain::status::BookingStatus;
use domain::talent::GeoPoint;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// A booking's status in the talent's words.
pub fn status_words(status: BookingStatus) -> &'static str {
    match status {
        BookingStatus::PendingEscrow => "Waiting for the agent's payment to be held",
        BookingStatus::Confirmed => "Booked: check in on site",
        BookingStatus::InProgress => "Checked in: the job is on",
        BookingStatus::Completed => "Done: the work was accepted",
        BookingStatus::Cancelled => "Cancelled",
    }
}

/// `/portal/bookings/:id`: a booked job on the day: where and when, the money, and the GPS
/// check-in.
#[component]
pub fn BookingPage() -> impl IntoView {
    let params = use_params_map();
    let check_in = ServerAction::<CheckIn>::new();
    // A refused check-in's position, shown again in its fields.
    let typed = use_refused::<CheckIn, CheckIn>();
    let booking = Resource::new(
        move || (params.read().get("id").unwrap_or_default(), check_in.version().get()),
        |(id, _)| get_portal_booking(id),
    );
    view! {
        <Title text="Booking" />
        <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
            {move || booking.get().zip(typed.get()).map(|(r, typed)| match r.and_then(|b| Ok((b, typed?))) {
                Err(e) => view! {
                    <p id="booking-error" role="alert" class="text-red-800">
                        {e.message} " " <a href="/portal" class="font-semibold text-indigo-700 underline">"Go to the portal"</a>
                    </p>
                }.into_any(),
                Ok((b, typed)) => view! { <Booked b typed check_in /> }.into_any(),
            })}
        </Suspense>
    }
}

#[component]
fn Booked(b: PortalBooking, typed: Option<CheckIn>, check_in: ServerAction<CheckIn>) -> impl IntoView {
    let fix = b
        .checkin
        .as_ref()
        .map(|c| Fix { at: domain::talent::GeoPoint { lat: c.lat, lng: c.lng }, accuracy_m: c.accuracy_m });
    view! {
        <p><a href="/portal" class="text-sm text-indigo-700 underline">"← Portal"</a></p>
        <h1 class="mt-2 text-2xl font-bold">{b.title.clone()}</h1>
        <p id="booking-status" class="mt-1 font-medium text-slate-700">{status_words(b.status)}</p>
        <dl class="mt-4 grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            <dt class="text-slate-500">"Type"</dt><dd>{b.task_type.clone()}</dd>
            <dt class="text-slate-500">"Where"</dt><dd>{b.address.clone().unwrap_or_else(|| "Remote".into())}</dd>
            <dt class="text-slate-500">"Starts"</dt><dd><WhenWritten at=b.start_at written=b.local.start.clone() /></dd>
            <dt class="text-slate-500">"Ends"</dt><dd><WhenWritten at=b.end_at written=b.local.end.clone() /></dd>
        </dl>
        // Each part rendered through `AnyView`: as one nested type, the page's HTML took more
        // stack than a thread has in a debug build.
        {view! { <Money b=b.clone() /> }.into_any()}
        {match (&b.checkin, b.status) {
            (Some(c), _) => view! { <Recorded b=b.clone() checkin=c.clone() fix /> }.into_any(),
            (None, BookingStatus::Confirmed) => view! { <CheckInSection b=b.clone() typed=typed.clone() check_in /> }.into_any(),
            (None, _) => ().into_any(),
        }}
        {view! { <WorkSection booking_id=b.booking_id.clone() /> }.into_any()}
    }
}

/// What is held for the talent and what they will receive.
#[component]
fn Money(b: PortalBooking) -> impl IntoView {
    let cancelled = b.cancellation.clone();
    view! {
        <section id="booking-money" class="mt-6 rounded-xl border border-slate-200 bg-white p-4">
            <h2 class="font-semibold">"Your pay"</h2>
            <dl class="mt-2 grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 text-sm">
                <dt>"Booked at"</dt><dd><Amount cents=b.amount_cents currency=b.currency.clone() /></dd>
                <dt>"Held in escrow on the agent's card"</dt><dd id="escrow-held"><Amount cents=b.escrow_held_cents currency=b.currency.clone() /></dd>
                <dt>{format!("You receive when the work is accepted (the booked amount less the {} % platform fee)", b.platform_fee_pct)}</dt>
                <dd id="payout" class="font-semibold"><Amount cents=b.payout_cents currency=b.currency.clone() /></dd>
            </dl>
            {cancelled.map(|c| view! {
                <p id="cancellation" class="mt-3 text-sm">
                    "The agent cancelled on " {written(c.at)} ". "
                    {if c.show_up_fee_cents > 0 {
                        format!("You were paid {} for showing up.", domain::money::format(domain::money::Cents(c.show_up_fee_cents), &b.currency))
                    } else {
                        "Nothing was owed: you had not checked in.".to_owned()
                    }}
                </p>
            })}
        </section>
    }
}

/// The check-in that was recorded, in plain words, on the map.
#[component]
fn Recorded(b: PortalBooking, checkin: Checkin, fix: Option<Fix>) -> impl IntoView {
    let words = match (checkin.verified, checkin.distance_m) {
        (true, Some(d)) => {
            format!("{} from the site, inside its {} m radius: verified.", distance(d), checkin.radius_m)
        }
        (true, None) => "Verified.".to_owned(),
        (false, _) => format!(
            "Not verified: {}. The agent sees this check-in as it is; the job goes on.",
            checkin.note.clone().unwrap_or_else(|| "no reason was recorded".into())
        ),
    };
    view! {
        <section class="mt-6">
            <h2 class="text-lg font-semibold">"Check-in"</h2>
            <p id="checkin" role="status" class="mt-2 rounded-lg border p-3" class=("border-emerald-300", checkin.verified) class=("bg-emerald-50", checkin.verified) class=("border-amber-300", !checkin.verified) class=("bg-amber-50", !checkin.verified)>
                "Checked in " {written(checkin.at)} ", " {format!("GPS accuracy {:.0} m", checkin.accuracy_m)} ". " {words}
            </p>
            {b.site.map(|site| view! { <div class="mt-3"><GeofenceMap id="checkin-map" site radius_m=b.radius_m fix=Signal::stored(fix) /></div> })}
        </section>
    }
}

/// What the position just found would give, in plain words.
fn placement_words(p: &Placement, proof_of_place: bool, radius_m: u32) -> String {
    match (p.verified, p.distance_m) {
        (true, Some(d)) => format!(
            "You are {} from the site, inside its {radius_m} m radius: this check-in will be verified.",
            distance(d)
        ),
        (true, None) => "This check-in will be verified.".to_owned(),
        (false, _) => {
            let why = p.note.clone().unwrap_or_default();
            if proof_of_place {
                format!(
                    "This check-in would be refused: {why}. This job needs proof that you are on site: move closer, or wait for a better GPS fix, and try again."
                )
            } else {
                format!(
                    "This check-in would not be verified: {why}. The agent will see that. Move closer or wait for a better GPS fix and try again, or check in anyway."
                )
            }
        }
    }
}

#[component]
fn CheckInSection(b: PortalBooking, typed: Option<CheckIn>, check_in: ServerAction<CheckIn>) -> impl IntoView {
    let typed = typed.map(|t| (t.lat, t.lng, t.accuracy_m)).unwrap_or_default();
    let error = Signal::derive(move || check_in.value().get().and_then(Result::err));
    view! {
        <section class="mt-6">
            <h2 class="text-lg font-semibold">"Check in on site"</h2>
            <p class="mt-2 text-sm text-slate-600">
                "Check-ins are taken from " <WhenWritten at=b.checkin_opens written=b.local.checkin_opens.clone() /> " to " <WhenWritten at=b.checkin_closes written=b.local.checkin_closes.clone() /> ". "
                {format!("Within {} m of the site counts as on site.", b.radius_m)}
                {b.proof_of_place.then_some(" This job needs proof of place: a check-in farther away is refused.")}
            </p>
            {view! { <Locator booking_id=b.booking_id.clone() site=b.site radius_m=b.radius_m proof_of_place=b.proof_of_place /> }.into_any()}
            <ActionForm action=check_in attr:id="checkin-form" attr:class="mt-4 grid gap-4">
                <input type="hidden" name="booking_id" value=b.booking_id.clone() />
                <Field label="Latitude".into() name="lat" error required=true inputmode="decimal" value=typed.0 />
                <Field label="Longitude".into() name="lng" error required=true inputmode="decimal" value=typed.1 />
                <Field label="GPS accuracy (metres)".into() name="accuracy_m" error required=true inputmode="decimal" value=typed.2 />
                <SubmitButton label="Check in here" busy="Checking in…" pending=check_in.pending() />
            </ActionForm>
            {move || error.get().map(|e| view! { <ErrorNotice id="checkin-error" error=e fields=&["lat", "lng", "accuracy_m"] /> })}
        </section>
    }
}

/// The geofence's map, and "Use my location": the phone's GPS fix on the map and what a
/// check-in from there would give, before anything is recorded; the fix fills the form's
/// fields. Without the island the map shows the site alone and the fields are typed.
#[island]
fn Locator(booking_id: String, site: Option<GeoPoint>, radius_m: u32, proof_of_place: bool) -> impl IntoView {
    let fix = RwSignal::new(None::<Fix>);
    let preview = RwSignal::new(None::<Result<Placement, String>>);
    let locating = RwSignal::new(false);
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let find_me = move |_| {
        locating.set(true);
        preview.set(None);
        #[cfg(feature = "hydrate")]
        {
            let booking_id = booking_id.clone();
            crate::geolocation::locate(move |found| match found {
                Err(why) => {
                    locating.set(false);
                    preview.set(Some(Err(why)));
                }
                Ok(found) => {
                    crate::geolocation::fill(
                        "checkin-form",
                        &[("lat", found.at.lat), ("lng", found.at.lng), ("accuracy_m", found.accuracy_m)],
                    );
                    fix.set(Some(found));
                    leptos::task::spawn_local(async move {
                        use crate::api::portal::locate_position;
                        let (lat, lng, acc) =
                            (found.at.lat.to_string(), found.at.lng.to_string(), found.accuracy_m.to_string());
                        let placed =
                            locate_position(booking_id, lat, lng, acc).await.map_err(|e: domain::Error| e.message);
                        locating.set(false);
                        preview.set(Some(placed));
                    });
                }
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = &booking_id;
    };
    view! {
        {site.map(|site| view! { <div class="mt-3"><GeofenceMap id="geofence-map" site radius_m fix /></div> }.into_any())}
        <Show when=move || hydrated.get()>
            <button id="locate" type="button" on:click=find_me.clone() disabled=move || locating.get()
                class="mt-4 w-full rounded-lg border border-indigo-600 bg-white px-5 py-3 font-semibold text-indigo-700 disabled:opacity-50">
                {move || if locating.get() { "Finding your position…" } else { "Use my location" }}
            </button>
        </Show>
        <p id="placement" role="status" class="mt-3 text-sm">
            {move || preview.get().map(|r| match r {
                Ok(p) => view! {
                    <span class="block rounded-lg border p-3" class=("border-emerald-300", p.verified) class=("bg-emerald-50", p.verified) class=("border-amber-300", !p.verified) class=("bg-amber-50", !p.verified)>
                        {fix.get().map(|f| format!("GPS accuracy {:.0} m. ", f.accuracy_m))}
                        {placement_words(&p, proof_of_place, radius_m)}
                    </span>
                }.into_any(),
                Err(why) => view! { <span class="block rounded-lg border border-red-300 bg-red-50 p-3 text-red-900">{why}</span> }.into_any(),
            })}
        </p>
    }
}
