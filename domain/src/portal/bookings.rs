use super::{LocalTimes, PortalBooking, written_in};
use crate::bookings::{self, Booking, CheckinRequest, Placement};
use crate::caller::Caller;
use crate::entities::{bookings as booking_rows, tasks};
use crate::escrow::{PLATFORM_FEE_PCT, Terms};
use crate::money::Cents;
use crate::status::BookingStatus;
use crate::talent::GeoPoint;
use crate::{Error, Services, ledger, templates};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The portal shows this many of the talent's bookings.
const BOOKINGS_SHOWN: u64 = 50;

/// A booking with its task, as the talent needs it on the day.
async fn portal_view(
    conn: &impl ConnectionTrait,
    row: booking_rows::Model,
    task: &tasks::Model,
    zone: Option<&str>,
) -> Result<PortalBooking, Error> {
    let amount = Cents(row.amount_cents);
    // In cents: the booking's view rounds to whole dollars.
    let held = ledger::booking_account_balance(conn, &row.id, &ledger::escrow(&row.id)).await?;
    let booking = bookings::view(conn, row).await?;
    let (site, radius_m) = bookings::geofence(task);
    let (checkin_opens, checkin_closes) = bookings::window(task);
    let end_at = task.start_at + chrono::Duration::minutes(i64::from(task.duration_minutes));
    let local = LocalTimes {
        start: written_in(task.start_at, zone),
        end: written_in(end_at, zone),
        checkin_opens: written_in(checkin_opens, zone),
        checkin_closes: written_in(checkin_closes, zone),
    };
    Ok(PortalBooking {
        booking_id: booking.id,
        task_id: task.id.clone(),
        title: task.title.clone(),
        task_type: task.task_type.clone(),
        address: task.address.clone(),
        site,
        radius_m,
        proof_of_place: templates::of_task(task)?.rules.requires_proof_of_place,
        start_at: task.start_at,
        end_at,
        checkin_opens,
        checkin_closes,
        local,
        status: booking.status,
        currency: booking.currency,
        amount_cents: amount.0,
        escrow_held_cents: held.0,
        payout_cents: Terms::accepted(amount)?.talent.0,
        platform_fee_pct: PLATFORM_FEE_PCT,
        checkin: booking.checkin,
        work_order_id: booking.work_order_id,
        cancellation: booking.cancellation,
    })
}

/// Where a booking stands in the talent's day: on now, coming, or over.
fn rank(status: BookingStatus) -> u8 {
    match status {
        BookingStatus::InProgress => 0,
        BookingStatus::Confirmed | BookingStatus::PendingEscrow => 1,
        BookingStatus::Completed | BookingStatus::Cancelled => 2,
    }
}

/// The talent's bookings: what is on, then what is coming (soonest first), then what is over
/// (latest first).
pub async fn bookings_of(svc: &Services, talent_id: &str) -> Result<Vec<PortalBooking>, Error> {
    let rows = booking_rows::Entity::find()
        .filter(booking_rows::Column::TalentId.eq(talent_id))
        .order_by_desc(booking_rows::Column::CreatedAt)
        .limit(BOOKINGS_SHOWN)
        .all(&svc.db)
        .await?;
    let task_ids: Vec<String> = rows.iter().map(|b| b.task_id.clone()).collect();
    let tasks: HashMap<String, tasks::Model> = tasks::Entity::find()
        .filter(tasks::Column::Id.is_in(task_ids))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    let zone = super::time_zone_of(&svc.db, talent_id).await?;
    let mut shown = Vec::with_capacity(rows.len());
    for row in rows {
        let task = tasks.get(&row.task_id).ok_or_else(|| Error::internal(format!("booking {} has no task", row.id)))?;
        shown.push(portal_view(&svc.db, row, task, zone.as_deref()).await?);
    }
    shown.sort_by(|a, b| {
        let over = rank(a.status) == 2;
        rank(a.status).cmp(&rank(b.status)).then(if over {
            b.start_at.cmp(&a.start_at)
        } else {
            a.start_at.cmp(&b.start_at)
        })
    });
    Ok(shown)
}

/// One of the signed-in talent's bookings (another talent's is not found).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn booking(svc: &Services, caller: &Caller, booking_id: &str) -> Result<PortalBooking, Error> {
    let zone = super::time_zone_of(&svc.db, caller.talent_id()?).await?;
    let row = bookings::find(&svc.db, caller, booking_id).await?;
    let task =
        tasks::Entity::find_by_id(row.task_id.clone()).one(&svc.db).await?.ok_or_else(|| Error::not_found("Task"))?;
    portal_view(&svc.db, row, &task, zone.as_deref()).await
}

/// A position as a form sends it: the text of its three fields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PositionForm {
    pub lat: String,
    pub lng: String,
    pub accuracy_m: String,
}

impl PositionForm {
    /// The position, or the API's problems with each field.
    fn read(&self) -> Result<(f64, f64, f64), Error> {
        let mut errors = Vec::new();
        let mut number = |name: &str, text: &str| match text.trim() {
            "" => {
                errors.push(format!("/{name}: required: use your location, or type it"));
                None
            }
            t => match t.parse::<f64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.push(format!("/{name}: {t:?} is not a number"));
                    None
                }
            },
        };
        let (lat, lng, accuracy) =
            (number("lat", &self.lat), number("lng", &self.lng), number("accuracy_m", &self.accuracy_m));
        match (lat, lng, accuracy) {
            (Some(lat), Some(lng), Some(accuracy)) => {
                let problems = bookings::position_problems(lat, lng, accuracy);
                if problems.is_empty() {
                    Ok((lat, lng, accuracy))
                } else {
                    Err(Error::validation("Invalid check-in", problems))
                }
            }
            _ => Err(Error::validation("Invalid check-in", errors)),
        }
    }
}

/// What a check-in from this position would say, before the talent commits to it (a booking
/// is checked in once): the distance to the site and whether it would be verified.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn locate(
    svc: &Services,
    caller: &Caller,
    booking_id: &str,
    form: &PositionForm,
) -> Result<Placement, Error> {
    let (lat, lng, accuracy) = form.read()?;
    let row = bookings::find(&svc.db, caller, booking_id).await?;
    let task = tasks::Entity::find_by_id(row.task_id).one(&svc.db).await?.ok_or_else(|| Error::not_found("Task"))?;
    let (site, radius_m) = bookings::geofence(&task);
    Ok(bookings::place(site, GeoPoint { lat, lng }, accuracy, radius_m))
}

/// The portal's check-in form: judged exactly as `POST /v1/bookings/:id/checkin` judges it,
/// at the server's time.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn check_in(
    svc: &Services,
    caller: &Caller,
    booking_id: &str,
    form: &PositionForm,
) -> Result<Booking, Error> {
    caller.talent_id()?;
    let (lat, lng, accuracy_m) = form.read()?;
    bookings::checkin(svc, caller, booking_id, CheckinRequest { lat, lng, accuracy_m, at: None }).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(lat: &str, lng: &str, accuracy_m: &str) -> PositionForm {
        PositionForm { lat: lat.into(), lng: lng.into(), accuracy_m: accuracy_m.into() }
    }

    #[test]
    fn a_typed_position_is_read_or_each_bad_field_is_named() {
        assert_eq!(form(" 43.2595 ", "-79.8753", "12").read().unwrap(), (43.2595, -79.8753, 12.0));
        let e = form("", "west", "12").read().unwrap_err();
        let problems = e.details.unwrap()["errors"].clone();
        assert_eq!(problems[0], "/lat: required: use your location, or type it");
        assert_eq!(problems[1], "/lng: \"west\" is not a number");
        let e = form("91", "0", "5").read().unwrap_err();
        assert_eq!(e.details.unwrap()["errors"][0], "/lat: must be between -90 and 90");
    }
}
