use super::{Booking, CheckinRequest, Placement};
use crate::caller::Caller;
use crate::entities::{bookings, tasks};
use crate::events::{self, DomainEvent};
use crate::principals::Mode;
use crate::status::{BookingAction, Machine};
use crate::talent::GeoPoint;
use crate::templates;
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, geo_distance};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{EntityTrait, TransactionTrait, sea_query::Expr};
use serde_json::json;

/// Check-ins are taken from two hours before the start to two hours after the end.
const WINDOW_SLACK_HOURS: i64 = 2;
/// How far a live device's clock may be from ours.
const CLOCK_SKEW_MINUTES: i64 = 5;

/// When check-ins on the task are taken: from two hours before its start to two hours after
/// its end.
pub fn window(task: &tasks::Model) -> (DateTime<Utc>, DateTime<Utc>) {
    let slack = Duration::hours(WINDOW_SLACK_HOURS);
    (task.start_at - slack, task.start_at + Duration::minutes(i64::from(task.duration_minutes)) + slack)
}

/// Where a task's check-ins are measured from, and how close counts: its point and radius.
pub fn geofence(task: &tasks::Model) -> (Option<GeoPoint>, u32) {
    let radius_m = task.radius_m.and_then(|r| u32::try_from(r).ok()).unwrap_or(0);
    (task.lat.zip(task.lng).map(|(lat, lng)| GeoPoint { lat, lng }), radius_m)
}

/// What is wrong with a reported position, as the API words it.
pub fn position_problems(lat: f64, lng: f64, accuracy_m: f64) -> Vec<String> {
    let mut errors = Vec::new();
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        errors.push("/lat: must be between -90 and 90".to_owned());
    }
    if !lng.is_finite() || !(-180.0..=180.0).contains(&lng) {
        errors.push("/lng: must be between -180 and 180".to_owned());
    }
    if !accuracy_m.is_finite() || !(0.0..=10_000.0).contains(&accuracy_m) {
        errors.push("/accuracy_m: must be between 0 and 10000".to_owned());
    }
    errors
}

/// Verified when the position is within `radius_m` of the task's point and the device's
/// accuracy is no worse than the radius. Without a point there is nothing to verify against.
pub fn place(task_point: Option<GeoPoint>, at: GeoPoint, accuracy_m: f64, radius_m: u32) -> Placement {
    let Some(point) = task_point else {
        return Placement {
            distance_m: None,
            verified: false,
            note: Some("The task has no coordinates to verify against".into()),
        };
    };
    let distance = (geo_distance::metres(point, at) * 10.0).round() / 10.0;
    let radius = f64::from(radius_m);
    if distance > radius {
        return Placement {
            distance_m: Some(distance),
            verified: false,
            note: Some(format!("{distance:.0} m from the task, outside its {radius_m} m radius")),
        };
    }
    if accuracy_m > radius {
        return Placement {
            distance_m: Some(distance),
            verified: false,
            note: Some(format!("GPS accuracy {accuracy_m:.0} m is coarser than the {radius_m} m radius")),
        };
    }
    Placement { distance_m: Some(distance), verified: true, note: None }
}

/// The talent's GPS check-in on a confirmed booking. Outside the radius it is recorded as
/// unverified, or refused for templates that need proof of place; the booking becomes
/// `in_progress` and `booking.checkin_recorded` is written.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn checkin(
    svc: &Services,
    caller: &Caller,
    booking_id: &str,
    request: CheckinRequest,
) -> Result<Booking, Error> {
    caller.talent_id()?;
    let mut errors = position_problems(request.lat, request.lng, request.accuracy_m);
    let now = crate::time::now();
    let at = match request.at.as_deref() {
        None => Some(now),
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(e) => {
                errors.push(format!("/at: {e}"));
                None
            }
        },
    };
    let Some(at) = at.filter(|_| errors.is_empty()) else {
        return Err(Error::validation("Invalid check-in", errors));
    };
    if caller.mode == Mode::Live && (at - now).num_minutes().abs() > CLOCK_SKEW_MINUTES {
        return Err(Error::validation(
            "Invalid check-in",
            vec![format!("/at: more than {CLOCK_SKEW_MINUTES} minutes from the server's clock")],
        ));
    }

    let booking = super::find(&svc.db, caller, booking_id).await?;
    // Refuse early what the guarded write below would refuse anyway, with the same answer.
    booking.status.next(BookingAction::CheckIn)?;
    let task = tasks::Entity::find_by_id(booking.task_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Task"))?;
    let (window_start, window_end) = window(&task);
    if at < window_start || at > window_end {
        return Err(Error::new(ErrorCode::PolicyBlocked, "Check-in is outside the booking's window").with_details(
            json!({
                "current_status": booking.status,
                "window_start": window_start,
                "window_end": window_end,
                "at": at,
            }),
        ));
    }
    let rules = &templates::of_task(&task)?.rules;
    let (task_point, radius_m) = geofence(&task);
    let placement = place(task_point, GeoPoint { lat: request.lat, lng: request.lng }, request.accuracy_m, radius_m);
    if !placement.verified && rules.requires_proof_of_place {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("{} needs proof of place: {}", task.task_type, placement.note.clone().unwrap_or_default()),
        )
        .with_details(json!({
            "current_status": booking.status,
            "distance_m": placement.distance_m,
            "radius_m": radius_m,
            "accuracy_m": request.accuracy_m,
        })));
    }

    let txn = svc.db.begin().await?;
    transition::<bookings::Entity>(&txn, &booking.id, booking.status, BookingAction::CheckIn, |u| {
        u.col_expr(bookings::Column::CheckedInAt, Expr::value(at))
            .col_expr(bookings::Column::CheckinLat, Expr::value(request.lat))
            .col_expr(bookings::Column::CheckinLng, Expr::value(request.lng))
            .col_expr(bookings::Column::CheckinAccuracyM, Expr::value(request.accuracy_m))
            .col_expr(bookings::Column::CheckinDistanceM, Expr::value(placement.distance_m))
            .col_expr(bookings::Column::CheckinVerified, Expr::value(placement.verified))
            .col_expr(bookings::Column::CheckinNote, Expr::value(placement.note.clone()))
    })
    .await?;
    crate::tasks::refresh_status(&txn, &task.id).await?;
    let row =
        bookings::Entity::find_by_id(booking.id.clone()).one(&txn).await?.ok_or_else(|| Error::not_found("Booking"))?;
    let result = super::view(&txn, row).await?;
    let recorded = events::BookingCheckinRecorded { booking: result.clone() };
    events::emit_audited(
        &txn,
        caller,
        &booking.principal_id,
        DomainEvent::BookingCheckinRecorded(recorded),
        "booking.checked_in",
        json!({ "verified": placement.verified, "distance_m": placement.distance_m, "note": placement.note }),
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: GeoPoint = GeoPoint { lat: 43.2557, lng: -79.8711 };

    #[test]
    fn the_geofence_verifies_close_precise_positions_only() {
        let near = GeoPoint { lat: 43.2560, lng: -79.8711 }; // ~33 m north
        let p = place(Some(SHOP), near, 10.0, 100);
        assert!(p.verified && p.note.is_none());
        assert!((30.0..36.0).contains(&p.distance_m.unwrap()));

        let far = GeoPoint { lat: 43.2657, lng: -79.8711 }; // ~1.1 km
        let p = place(Some(SHOP), far, 10.0, 100);
        assert!(!p.verified && p.note.unwrap().contains("outside its 100 m radius"));

        let p = place(Some(SHOP), near, 500.0, 100);
        assert!(!p.verified && p.note.unwrap().contains("accuracy"));

        let p = place(None, near, 5.0, 100);
        assert!(!p.verified && p.distance_m.is_none());
    }
}
