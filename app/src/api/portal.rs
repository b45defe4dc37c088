use domain::Error;
use domain::quotes::InvitationSummary;
use leptos::prelude::*;

/// The task an invitation link points at.
#[server(endpoint = "portal/invitation")]
pub async fn get_invitation(invitation_id: String) -> Result<InvitationSummary, Error> {
    super::answer(
        async {
            let services = super::services()?;
            domain::quotes::invitation_summary(&services, &invitation_id).await
        }
        .await,
    )
}
