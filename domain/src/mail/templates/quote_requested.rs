use crate::entities::{talent, tasks};
use crate::mail::{Rendered, render};
use crate::money::{Cents, format_dollars};

/// To a talent invited to quote; the link opens the invitation in the portal.
pub fn quote_requested(public_url: &str, task: &tasks::Model, talent: &talent::Model, invitation_id: &str) -> Rendered {
    let link = format!("{}/portal/invitations/{invitation_id}", public_url.trim_end_matches('/'));
    render(
        &format!("📸 You're invited to quote: {}", task.title),
        &format!("Hi {}, an agent would like your quote for this job.", talent.name),
        &[
            ("Task", task.title.clone()),
            ("Task ID", task.id.clone()),
            ("Type", task.task_type.clone()),
            ("Where", task.address.clone().unwrap_or_else(|| "Remote".into())),
            ("When", super::when(task.start_at)),
            ("Duration", format!("{:.1} h", f64::from(task.duration_minutes) / 60.0)),
            ("Budget", format_dollars(Cents(task.budget_cents).whole_dollars(), &task.currency)),
        ],
        Some(("Send your quote", &link)),
    )
}
