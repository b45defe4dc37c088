use crate::entities::talent;
use crate::mail::{Rendered, render};

/// To a talent (or, for a sandbox profile, the principal who made it): a one-time link to the
/// portal.
pub fn sign_in_link(
    profile: &talent::Model,
    link: &str,
    valid_minutes: i64,
    expires_at: chrono::DateTime<chrono::Utc>,
) -> Rendered {
    render(
        "🔑 Your HumanDispatch sign-in link",
        &format!(
            "Hi {}, here is your link to the talent portal. It works once, within {valid_minutes} minutes. If you \
             did not ask for it, ignore this email.",
            profile.name
        ),
        &[
            ("Profile", profile.name.clone()),
            ("Talent ID", profile.id.clone()),
            ("Mode", profile.mode.clone()),
            ("Expires", super::when(expires_at)),
        ],
        Some(("Sign in", link)),
    )
}
