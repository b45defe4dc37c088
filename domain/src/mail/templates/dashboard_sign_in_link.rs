use crate::entities::principals;
use crate::mail::{Rendered, render};

/// To an account's owner: a one-time link to the dashboard.
pub fn dashboard_sign_in_link(
    account: &principals::Model,
    link: &str,
    valid_minutes: i64,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> Rendered {
    render(
        "🔑 Your HumanDispatch dashboard sign-in link",
        &format!(
            "Hi {}, here is your link to the dashboard. It works once, within {valid_minutes} minutes. If you did \
             not ask for it, ignore this email.",
            account.name
        ),
        &[
            ("Account", account.name.clone()),
            ("Principal ID", account.id.clone()),
            ("Mode", account.mode.clone()),
            ("Expires", super::when(expires_at)),
        ],
        Some(("Sign in", link)),
    )
}
