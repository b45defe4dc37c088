use crate::bookings::Booking;
use crate::mail::{Rendered, render};
use crate::money::format_dollars;

fn rows(booking: &Booking, task_title: &str, talent_name: &str, start: &str) -> Vec<(&'static str, String)> {
    vec![
        ("Task", task_title.to_owned()),
        ("Booking ID", booking.id.clone()),
        ("Work order ID", booking.work_order_id.clone().unwrap_or_default()),
        ("Talent", talent_name.to_owned()),
        ("Amount held in escrow", format_dollars(booking.amount, &booking.currency)),
        ("When", start.to_owned()),
    ]
}

/// To the principal: the booking holds the money until they accept the work.
pub fn booking_confirmed(
    booking: &Booking,
    task_title: &str,
    talent_name: &str,
    start: chrono::DateTime<chrono::Utc>,
) -> Rendered {
    render(
        "🔒 Booking confirmed",
        "Your booking is confirmed and the amount is held in escrow until you accept the work.",
        &rows(booking, task_title, talent_name, &super::when(start)),
        None,
    )
}

/// To the talent: their quote was booked and the payment is secured.
pub fn booked_for_talent(
    booking: &Booking,
    task_title: &str,
    talent_name: &str,
    start: chrono::DateTime<chrono::Utc>,
) -> Rendered {
    render(
        &format!("🔒 You're booked: {task_title}"),
        "Your quote was accepted and the payment is secured. Check in from the portal when you arrive.",
        &rows(booking, task_title, talent_name, &super::when(start)),
        None,
    )
}
