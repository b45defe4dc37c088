use crate::caller::Caller;
use crate::money::Dollars;
use crate::quotes::{Quote, SubmitQuoteRequest};
use crate::{Error, Services};

/// The portal's quote form: the talent's quote on the task of one of their own invitations
/// (another talent's is not found). `amount` is the form's text, whole dollars; the quote is
/// then judged exactly as `POST /v1/talent/:id/quote` judges it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn quote_invitation(
    svc: &Services,
    caller: &Caller,
    invitation_id: &str,
    amount: &str,
    message: String,
) -> Result<Quote, Error> {
    let invitation = super::invitation::own_invitation(svc, caller, invitation_id).await?;
    let amount = Dollars::parse(amount)
        .map_err(|e| Error::validation("Invalid quote", vec![format!("/amount: {amount:?} {e}")]))?;
    let request = SubmitQuoteRequest { task_id: invitation.task_id, amount, message, proposed_start: None };
    crate::quotes::submit(svc, caller, &invitation.talent_id, request).await
}
