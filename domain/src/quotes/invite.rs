use super::{Invitation, QuoteRequestInput, QuoteRequestResult, SkippedInvitation};
use crate::caller::Caller;
use crate::entities::{quote_requests, talent, tasks};
use crate::events::{self, DomainEvent};
use crate::status::TaskStatus;
use crate::talent::{Criteria, GeoPoint, rank};
use crate::templates::TaskType;
use crate::{Error, ErrorCode, Services, audit, ids, money::Cents};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;
use std::collections::HashSet;

const DEFAULT_INVITES: u32 = 5;
const MAX_INVITES: u32 = 20;

/// Invites talent to quote: the ones named, or the best matches near the task. Each invited
/// talent gets an email with a link to quote (from the `quote.requested` event). Nobody is invited to the same task twice.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn request_quotes(
    svc: &Services,
    caller: &Caller,
    task_id: &str,
    input: QuoteRequestInput,
) -> Result<QuoteRequestResult, Error> {
    let principal_id = caller.principal_id()?;
    let max = input.max_invites.unwrap_or(DEFAULT_INVITES);
    if !(1..=MAX_INVITES).contains(&max) {
        return Err(Error::validation(
            "Invalid quote request",
            vec![format!("/max_invites: must be between 1 and {MAX_INVITES}")],
        ));
    }
    if input.talent_ids.as_ref().is_some_and(|ids| ids.is_empty() || ids.len() > MAX_INVITES as usize) {
        return Err(Error::validation(
            "Invalid quote request",
            vec![format!("/talent_ids: between 1 and {MAX_INVITES} ids")],
        ));
    }
    let txn = svc.db.begin().await?;
    let task = crate::tasks::find(&txn, caller, task_id).await?;
    if !matches!(task.status, TaskStatus::OpenForQuotes | TaskStatus::Quoted) || task.accepted_quote_id.is_some() {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            "Quotes can be requested only while the task is open for quotes",
        )
        .with_details(json!({ "current_status": task.status })));
    }
    let already: HashSet<String> = quote_requests::Entity::find()
        .filter(quote_requests::Column::TaskId.eq(task_id))
        .all(&txn)
        .await?
        .into_iter()
        .map(|r| r.talent_id)
        .collect();

    let mut skipped = Vec::new();
    let chosen: Vec<talent::Model> = match &input.talent_ids {
        Some(wanted) => {
            let mut chosen = Vec::new();
            let mut seen = HashSet::new();
            for id in wanted {
                if !seen.insert(id.clone()) {
                    continue;
                }
                let t = crate::talent::find_visible(&txn, caller, id).await.map_err(|_| {
                    Error::new(ErrorCode::NotFound, format!("Talent {id} not found"))
                        .with_details(json!({ "talent_id": id }))
                })?;
                if already.contains(id) {
                    skipped.push(SkippedInvitation { talent_id: id.clone(), reason: "already_invited".into() });
                } else {
                    chosen.push(t);
                }
            }
            chosen.truncate(max as usize);
            chosen
        }
        None => {
            let near = task.lat.zip(task.lng).map(|(lat, lng)| GeoPoint { lat, lng });
            let criteria = Criteria {
                skills: Vec::new(),
                task_type: TaskType::parse(&task.task_type),
                near,
                radius_km: 100.0,
                limit: 100,
            };
            let candidates = crate::talent::candidates(&txn, caller, near, criteria.radius_km).await?;
            let ranked = rank(&candidates, &criteria)?;
            let by_id: std::collections::HashMap<&str, &talent::Model> =
                candidates.iter().map(|c| (c.id.as_str(), c)).collect();
            ranked
                .iter()
                .filter(|m| !already.contains(&m.talent.id))
                .filter_map(|m| by_id.get(m.talent.id.as_str()).map(|t| (*t).clone()))
                .take(max as usize)
                .collect()
        }
    };

    let now = crate::time::now();
    let mut invited = Vec::new();
    for t in &chosen {
        let id = ids::new_id("qrq");
        quote_requests::Entity::insert(quote_requests::ActiveModel {
            id: Set(id.clone()),
            principal_id: Set(principal_id.to_owned()),
            task_id: Set(task.id.clone()),
            talent_id: Set(t.id.clone()),
            created_at: Set(now),
            declined_at: Set(None),
            decline_reason: Set(None),
        })
        .exec_without_returning(&txn)
        .await?;
        let requested =
            events::QuoteRequested { invitation_id: id.clone(), task_id: task.id.clone(), talent_id: t.id.clone() };
        events::emit(&txn, principal_id, DomainEvent::QuoteRequested(requested)).await?;
        invited.push(Invitation { id, talent_id: t.id.clone(), created_at: now });
    }
    audit::record(
        &txn,
        caller,
        principal_id,
        "task.quotes_requested",
        "task",
        &task.id,
        json!({ "invited": invited.iter().map(|i| &i.talent_id).collect::<Vec<_>>(), "skipped": skipped.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(QuoteRequestResult { task_id: task.id, invited, skipped })
}

/// The task behind an invitation link. The link's id is the capability (unguessable), so the
/// page shows only what the invitation email already said.
pub async fn invitation_summary(svc: &Services, invitation_id: &str) -> Result<super::InvitationSummary, Error> {
    let invitation = quote_requests::Entity::find_by_id(invitation_id.to_owned())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Invitation"))?;
    let task = tasks::Entity::find_by_id(invitation.task_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Task"))?;
    Ok(super::InvitationSummary {
        invitation_id: invitation.id,
        task_id: task.id,
        talent_id: invitation.talent_id,
        title: task.title,
        task_type: task.task_type,
        address: task.address,
        start_at: task.start_at,
        duration_hours: f64::from(task.duration_minutes) / 60.0,
        budget: Cents(task.budget_cents).whole_dollars(),
        currency: task.currency,
        task_status: task.status,
    })
}
