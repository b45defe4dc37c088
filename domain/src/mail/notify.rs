//! Which emails an event sends, to whom: read by the worker that sequences committed events
//! (`events::sequence`), so a service never queues a notification itself and an email never
//! reports a change that rolled back.

use super::{Recipient, Rendered, templates};
use crate::Error;
use crate::entities::{principals, talent, tasks, work_orders};
use crate::events::DomainEvent;
use sea_orm::{ConnectionTrait, EntityTrait};

/// The emails of one stored event (none for most types). A row that no longer exists (a task
/// deleted meanwhile) means no email, not an error that would hold up the stream.
pub async fn for_event(
    conn: &impl ConnectionTrait,
    public_url: &str,
    event: &crate::entities::events::Model,
) -> Result<Vec<(Recipient, Rendered)>, Error> {
    let parsed = DomainEvent::parse(&event.event_type, event.data.clone())
        .map_err(|e| Error::internal(format!("event {} cannot be read: {e}", event.id)))?;
    let owner = || async {
        Ok::<_, Error>(principals::Entity::find_by_id(event.principal_id.clone()).one(conn).await?.map(|p| Recipient {
            address: p.email,
            principal_id: Some(p.id),
            ..Default::default()
        }))
    };
    let task = |id: String| async move { Ok::<_, Error>(tasks::Entity::find_by_id(id).one(conn).await?) };
    let profile = |id: String| async move { Ok::<_, Error>(talent::Entity::find_by_id(id).one(conn).await?) };
    let to_talent =
        |t: &talent::Model| Recipient { address: t.email.clone(), talent_id: Some(t.id.clone()), ..Default::default() };
    let mut mails = Vec::new();
    match parsed {
        DomainEvent::QuoteRequested(e) => {
            if let (Some(task), Some(t)) = (task(e.task_id.clone()).await?, profile(e.talent_id.clone()).await?) {
                mails.push((to_talent(&t), templates::quote_requested(public_url, &task, &t, &e.invitation_id)));
            }
        }
        DomainEvent::QuoteReceived(e) => {
            if let (Some(to), Some(task)) = (owner().await?, task(e.quote.task_id.clone()).await?) {
                mails.push((to, templates::quote_received(&task.title, &e.quote)));
            }
        }
        DomainEvent::QuoteDeclined(e) => {
            if let (Some(to), Some(task), Some(t)) =
                (owner().await?, task(e.task_id.clone()).await?, profile(e.talent_id.clone()).await?)
            {
                mails.push((to, templates::quote_declined(&task.title, &t.name, &e)));
            }
        }
        DomainEvent::BookingConfirmed(e) => {
            let b = &e.booking;
            if let (Some(task), Some(t)) = (task(b.task_id.clone()).await?, profile(b.talent_id.clone()).await?) {
                if let Some(to) = owner().await? {
                    mails.push((to, templates::booking_confirmed(b, &task.title, &t.name, task.start_at)));
                }
                mails.push((to_talent(&t), templates::booked_for_talent(b, &task.title, &t.name, task.start_at)));
            }
        }
        DomainEvent::DeliverableRegistered(e) => {
            let wo = work_orders::Entity::find_by_id(e.work_order_id.clone()).one(conn).await?;
            if let Some(wo) = wo
                && let (Some(task), Some(t)) = (task(e.task_id.clone()).await?, profile(wo.talent_id).await?)
                && let Some(to) = owner().await?
            {
                mails.push((to, templates::deliverables_ready(&task.title, &t.name, &e)));
            }
        }
        DomainEvent::QaCompleted(e) => {
            let wo = work_orders::Entity::find_by_id(e.work_order_id.clone()).one(conn).await?;
            if let Some(wo) = wo
                && let Some(task) = task(wo.task_id).await?
                && let Some(to) = owner().await?
            {
                mails.push((to, templates::qa_completed(&task.title, &e)));
            }
        }
        DomainEvent::WorkOrderChangesRequested(e) => {
            let wo = work_orders::Entity::find_by_id(e.work_order_id.clone()).one(conn).await?;
            if let Some(wo) = wo
                && let Some(t) = profile(wo.talent_id).await?
            {
                mails.push((to_talent(&t), templates::changes_requested(&e)));
            }
        }
        DomainEvent::PayoutInitiated(e) => {
            if let Some(t) = profile(e.talent_id.clone()).await? {
                mails.push((to_talent(&t), templates::payout_initiated(&e)));
            }
        }
        DomainEvent::TaskCreated(_)
        | DomainEvent::TaskPolicyBlocked(_)
        | DomainEvent::BookingCheckinRecorded(_)
        | DomainEvent::WorkOrderAccepted(_)
        | DomainEvent::DisputeOpened(_) => {}
    }
    Ok(mails)
}

/// Queues the emails of `event` on `conn` (the sequencer's transaction: each event's emails are
/// queued exactly once, when it gets its position).
pub async fn enqueue_for(
    conn: &impl ConnectionTrait,
    public_url: &str,
    event: &crate::entities::events::Model,
) -> Result<(), Error> {
    for (to, message) in for_event(conn, public_url, event).await? {
        super::enqueue(conn, to, message).await?;
    }
    Ok(())
}
