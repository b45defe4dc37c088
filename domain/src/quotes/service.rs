use super::{AcceptedQuote, DeclineRequest, DeclinedInvitation, Quote, QuoteList, SubmitQuoteRequest};
use crate::caller::Caller;
use crate::entities::{quote_requests, quotes, talent, tasks};
use crate::events::{self, DomainEvent};
use crate::money::Cents;
use crate::status::{QuoteAction, QuoteStatus, TaskStatus};
use crate::templates;
use crate::transition::{transition, transition_all};
use crate::{Error, ErrorCode, Services, audit, ids};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait, sea_query::Expr};
use serde_json::json;
use std::collections::HashMap;

/// How long a quote stands, unless the task starts sooner.
const VALIDITY_HOURS: i64 = 72;

/// A pending quote past its time reads as expired even before the sweeper marks it.
fn effective_status(m: &quotes::Model, now: DateTime<Utc>) -> Result<QuoteStatus, Error> {
    Ok(if m.status == QuoteStatus::Pending && m.expires_at <= now { QuoteStatus::Expired } else { m.status })
}

fn view(m: quotes::Model, talent_name: String, now: DateTime<Utc>) -> Result<Quote, Error> {
    Ok(Quote {
        status: effective_status(&m, now)?,
        id: m.id,
        task_id: m.task_id,
        talent_id: m.talent_id,
        talent_name,
        amount: Cents(m.amount_cents).whole_dollars(),
        currency: m.currency,
        message: m.message,
        proposed_start: m.proposed_start,
        expires_at: m.expires_at,
        created_at: m.created_at,
    })
}

async fn talent_names(conn: &impl ConnectionTrait, ids: Vec<String>) -> Result<HashMap<String, String>, Error> {
    Ok(talent::Entity::find()
        .filter(talent::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t.name))
        .collect())
}

/// The task and the talent's invitation to it: 404 without the task, 401 without the invitation.
async fn task_and_invitation(
    conn: &impl ConnectionTrait,
    task_id: &str,
    talent_id: &str,
) -> Result<(tasks::Model, quote_requests::Model), Error> {
    let task =
        tasks::Entity::find_by_id(task_id.to_owned()).one(conn).await?.ok_or_else(|| Error::not_found("Task"))?;
    let invited = quote_requests::Entity::find()
        .filter(quote_requests::Column::TaskId.eq(&task.id))
        .filter(quote_requests::Column::TalentId.eq(talent_id))
        .one(conn)
        .await?
        .ok_or_else(|| Error::auth("You were not invited to quote on this task"))?;
    Ok((task, invited))
}

/// A talent's quote on a task they were invited to.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn submit(
    svc: &Services,
    caller: &Caller,
    talent_id: &str,
    request: SubmitQuoteRequest,
) -> Result<Quote, Error> {
    if talent_id != caller.talent_id()? {
        return Err(Error::auth("This token belongs to another talent"));
    }
    let mut errors = Vec::new();
    let amount = if request.amount.get() < 1 {
        errors.push("/amount: must be at least 1".to_owned());
        None
    } else {
        Some(request.amount.cents())
    };
    let message = crate::text::tidy(&request.message);
    if !crate::text::fits(&request.message, 2000) {
        errors.push("/message: 1–2000 characters".into());
    }
    let proposed_start = match request.proposed_start.as_deref() {
        None => None,
        Some(text) => match DateTime::parse_from_rfc3339(text) {
            Ok(t) => Some(t.with_timezone(&Utc)),
            Err(e) => {
                errors.push(format!("/proposed_start: {e}"));
                None
            }
        },
    };
    let Some(amount) = amount.filter(|_| errors.is_empty()) else {
        return Err(Error::validation("Invalid quote", errors));
    };

    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let (task, invited) = task_and_invitation(&txn, &request.task_id, talent_id).await?;
    // A write on the invitation's row, so that a decline and this quote wait for each other
    // and cannot both stand.
    let open = quote_requests::Entity::update_many()
        .col_expr(quote_requests::Column::DeclinedAt, Expr::col(quote_requests::Column::DeclinedAt).into())
        .filter(quote_requests::Column::Id.eq(&invited.id))
        .filter(quote_requests::Column::DeclinedAt.is_null())
        .exec(&txn)
        .await?;
    if open.rows_affected != 1 {
        return Err(Error::new(ErrorCode::PolicyBlocked, "You declined this invitation")
            .with_details(json!({ "current_status": "declined", "invitation_id": invited.id })));
    }
    if !matches!(task.status, TaskStatus::OpenForQuotes | TaskStatus::Quoted) || task.accepted_quote_id.is_some() {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This task no longer takes quotes")
            .with_details(json!({ "current_status": task.status })));
    }
    if let Some(existing) = quotes::Entity::find()
        .filter(quotes::Column::TaskId.eq(&task.id))
        .filter(quotes::Column::TalentId.eq(talent_id))
        .one(&txn)
        .await?
    {
        return Err(Error::new(ErrorCode::PolicyBlocked, "You already quoted on this task")
            .with_details(json!({ "current_status": effective_status(&existing, now)?, "quote_id": existing.id })));
    }
    let rules = &templates::of_task(&task)?.rules;
    let ceiling = crate::escrow::share(Cents(task.budget_cents), rules.max_quote_pct_of_budget)?;
    if amount > ceiling {
        let why = if rules.allows_counter_offers {
            format!(
                "at most {}% of the budget ({} {}) for {}",
                rules.max_quote_pct_of_budget,
                ceiling.whole_dollars(),
                task.currency,
                task.task_type
            )
        } else {
            format!(
                "{} takes no counter-offers: at most the budget, {} {}",
                task.task_type,
                ceiling.whole_dollars(),
                task.currency
            )
        };
        return Err(Error::validation("Quote above the budget", vec![format!("/amount: {why}")]));
    }

    let id = ids::new_id("quo");
    let expires_at = (now + Duration::hours(VALIDITY_HOURS)).min(task.start_at);
    let model = quotes::Model {
        id: id.clone(),
        principal_id: task.principal_id.clone(),
        task_id: task.id.clone(),
        talent_id: talent_id.to_owned(),
        amount_cents: amount.0,
        currency: task.currency.clone(),
        message,
        proposed_start,
        status: QuoteStatus::Pending,
        expires_at,
        created_at: now,
        updated_at: now,
    };
    let talent = talent::Entity::find_by_id(talent_id.to_owned())
        .one(&txn)
        .await?
        .ok_or_else(|| Error::internal("authenticated talent missing"))?;
    let quote = view(model.clone(), talent.name.clone(), now)?;
    quotes::Entity::insert(quotes::ActiveModel::from(model)).exec_without_returning(&txn).await?;
    crate::tasks::refresh_status(&txn, &task.id).await?;
    events::emit_audited(
        &txn,
        caller,
        &task.principal_id,
        DomainEvent::QuoteReceived(events::QuoteReceived { quote: quote.clone() }),
        "quote.submitted",
        json!({ "task_id": task.id, "amount": quote.amount, "currency": quote.currency }),
    )
    .await?;
    txn.commit().await?;
    Ok(quote)
}

/// The talent turns an invitation down, with a reason the agent is told (`quote.declined`).
/// Once declined the talent cannot quote on the task; once quoted, they cannot decline.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn decline(
    svc: &Services,
    caller: &Caller,
    talent_id: &str,
    request: DeclineRequest,
) -> Result<DeclinedInvitation, Error> {
    if talent_id != caller.talent_id()? {
        return Err(Error::auth("This token belongs to another talent"));
    }
    if !crate::text::fits(&request.reason, 1000) {
        return Err(Error::validation("Invalid decline", vec!["/reason: 1–1000 characters".to_owned()]));
    }
    let reason = crate::text::tidy(&request.reason);
    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    let (task, invited) = task_and_invitation(&txn, &request.task_id, talent_id).await?;
    let declined = quote_requests::Entity::update_many()
        .col_expr(quote_requests::Column::DeclinedAt, Expr::value(Some(now)))
        .col_expr(quote_requests::Column::DeclineReason, Expr::value(Some(reason.clone())))
        .filter(quote_requests::Column::Id.eq(&invited.id))
        .filter(quote_requests::Column::DeclinedAt.is_null())
        .exec(&txn)
        .await?;
    if declined.rows_affected != 1 {
        return Err(Error::new(ErrorCode::PolicyBlocked, "You already declined this invitation")
            .with_details(json!({ "current_status": "declined", "invitation_id": invited.id })));
    }
    // Read after the write above: a quote that committed first is seen here.
    if let Some(existing) = quotes::Entity::find()
        .filter(quotes::Column::TaskId.eq(&task.id))
        .filter(quotes::Column::TalentId.eq(talent_id))
        .one(&txn)
        .await?
    {
        return Err(Error::new(ErrorCode::PolicyBlocked, "You already quoted on this task: it cannot be declined")
            .with_details(json!({ "current_status": effective_status(&existing, now)?, "quote_id": existing.id })));
    }
    let result = DeclinedInvitation {
        invitation_id: invited.id,
        task_id: task.id.clone(),
        talent_id: talent_id.to_owned(),
        reason,
        declined_at: now,
    };
    events::emit_audited(
        &txn,
        caller,
        &task.principal_id,
        DomainEvent::QuoteDeclined(result.clone()),
        "quote.declined",
        json!({ "task_id": task.id, "invitation_id": result.invitation_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(result)
}

/// The quotes on one of the caller's tasks, oldest first.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list_for_task(svc: &Services, caller: &Caller, task_id: &str) -> Result<QuoteList, Error> {
    let task = crate::tasks::find(&svc.db, caller, task_id).await?;
    let rows = quotes::Entity::find()
        .filter(quotes::Column::TaskId.eq(&task.id))
        .order_by_asc(quotes::Column::Id)
        .all(&svc.db)
        .await?;
    let names = talent_names(&svc.db, rows.iter().map(|q| q.talent_id.clone()).collect()).await?;
    let now = crate::time::now();
    let data = rows
        .into_iter()
        .map(|q| {
            let name = names.get(&q.talent_id).cloned().unwrap_or_default();
            view(q, name, now)
        })
        .collect::<Result<_, _>>()?;
    Ok(QuoteList { data })
}

/// Accepts a quote. Exactly one caller wins, even when many try at once from several server
/// processes: the task can take one accepted quote (an update filtered on "none accepted yet")
/// and the quote must still be pending (an update filtered on its status). Everyone else gets
/// 403 `POLICY_BLOCKED` with the quote's `current_status`. The task's other quotes are rejected.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn accept(svc: &Services, caller: &Caller, quote_id: &str) -> Result<AcceptedQuote, Error> {
    let principal_id = caller.principal_id()?;
    let now = crate::time::now();
    let find = || quotes::Entity::find_by_id(quote_id.to_owned()).filter(quotes::Column::PrincipalId.eq(principal_id));
    let quote = find().one(&svc.db).await?.ok_or_else(|| Error::not_found("Quote"))?;
    let blocked = |status: &str| {
        Error::new(ErrorCode::PolicyBlocked, format!("This quote is {status} and cannot be accepted"))
            .with_details(json!({ "current_status": status }))
    };
    match effective_status(&quote, now)? {
        QuoteStatus::Pending => {}
        QuoteStatus::Expired => {
            expire(&svc.db, Some(&quote.id)).await?;
            return Err(blocked("expired"));
        }
        other => return Err(blocked(other.as_str())),
    }

    let txn = svc.db.begin().await?;
    let task_claimed = tasks::Entity::update_many()
        .col_expr(tasks::Column::AcceptedQuoteId, Expr::value(quote.id.clone()))
        .col_expr(tasks::Column::UpdatedAt, Expr::value(now))
        .filter(tasks::Column::Id.eq(&quote.task_id))
        .filter(tasks::Column::AcceptedQuoteId.is_null())
        .filter(tasks::Column::Status.is_in([TaskStatus::OpenForQuotes, TaskStatus::Quoted]))
        .exec(&txn)
        .await?;
    let quote_claimed = task_claimed.rows_affected == 1
        && match transition::<quotes::Entity>(&txn, &quote.id, QuoteStatus::Pending, QuoteAction::Accept, |u| {
            u.filter(quotes::Column::ExpiresAt.gt(now))
        })
        .await
        {
            Ok(_) => true,
            Err(e) if e.code == ErrorCode::PolicyBlocked => false,
            Err(e) => return Err(e),
        };
    if !quote_claimed {
        txn.rollback().await?;
        let current = find().one(&svc.db).await?.ok_or_else(|| Error::not_found("Quote"))?;
        let status = effective_status(&current, now)?;
        let mut error = blocked(status.as_str());
        if status == QuoteStatus::Pending {
            // Another quote of the task won.
            let task = tasks::Entity::find_by_id(quote.task_id.clone()).one(&svc.db).await?;
            error = Error::new(ErrorCode::PolicyBlocked, "Another quote on this task was already accepted")
                .with_details(json!({
                    "current_status": "pending",
                    "task_status": task.as_ref().map(|t| t.status),
                    "accepted_quote_id": task.and_then(|t| t.accepted_quote_id),
                }));
        }
        return Err(error);
    }
    let others = quotes::Entity::find()
        .filter(quotes::Column::TaskId.eq(&quote.task_id))
        .filter(quotes::Column::Id.ne(&quote.id))
        .filter(quotes::Column::Status.eq(QuoteStatus::Pending))
        .all(&txn)
        .await?;
    let rejected_quote_ids: Vec<String> = others.into_iter().map(|q| q.id).collect();
    if !rejected_quote_ids.is_empty() {
        transition_all::<quotes::Entity>(&txn, QuoteStatus::Pending, QuoteAction::Reject, |u| {
            u.filter(quotes::Column::Id.is_in(rejected_quote_ids.clone()))
        })
        .await?;
    }
    audit::record(
        &txn,
        caller,
        principal_id,
        "quote.accepted",
        "quote",
        &quote.id,
        json!({ "task_id": quote.task_id, "rejected": rejected_quote_ids }),
    )
    .await?;
    txn.commit().await?;

    let accepted = find().one(&svc.db).await?.ok_or_else(|| Error::not_found("Quote"))?;
    let name =
        talent_names(&svc.db, vec![accepted.talent_id.clone()]).await?.remove(&accepted.talent_id).unwrap_or_default();
    Ok(AcceptedQuote { quote: view(accepted, name, now)?, rejected_quote_ids })
}

/// Marks pending quotes past their time as expired (all of them, or one). Returns how many.
pub async fn expire(conn: &impl ConnectionTrait, only: Option<&str>) -> Result<u64, Error> {
    let now = crate::time::now();
    transition_all::<quotes::Entity>(conn, QuoteStatus::Pending, QuoteAction::Expire, |u| {
        let u = u.filter(quotes::Column::ExpiresAt.lte(now));
        match only {
            Some(id) => u.filter(quotes::Column::Id.eq(id)),
            None => u,
        }
    })
    .await
}
