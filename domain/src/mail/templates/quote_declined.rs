use crate::mail::{Rendered, render};
use crate::quotes::DeclinedInvitation;

/// To the principal: an invited talent will not quote, and why.
pub fn quote_declined(task_title: &str, talent_name: &str, declined: &DeclinedInvitation) -> Rendered {
    render(
        &format!("Declined: {talent_name} — {task_title}"),
        "A talent you invited will not quote on your task.",
        &[
            ("Task", task_title.to_owned()),
            ("Task ID", declined.task_id.clone()),
            ("Talent", talent_name.to_owned()),
            ("Talent ID", declined.talent_id.clone()),
            ("Reason", declined.reason.clone()),
            ("Declined", super::when(declined.declined_at)),
        ],
        None,
    )
}
