use super::{PortalInvitation, PortalInvitationDetail, PortalQuote, SpecItem};
use crate::caller::Caller;
use crate::entities::{quote_requests, quotes, talent, tasks};
use crate::money::Cents;
use crate::quotes::{DeclineRequest, DeclinedInvitation};
use crate::templates::DeliverableSpec;
use crate::{Error, Services, templates};
use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;

/// `Tue 8 Dec 2026, 10:00 EST` in the talent's time zone, or in UTC when they have not set one.
pub fn written_in(at: DateTime<Utc>, zone: Option<&str>) -> String {
    match zone.and_then(|z| super::time_zone(z).ok()) {
        Some(tz) => at.with_timezone(&tz).format("%a %-d %b %Y, %H:%M %Z").to_string(),
        None => at.format("%a %-d %b %Y, %H:%M UTC").to_string(),
    }
}

/// The invitation as the talent's lists show it.
pub(super) fn summary(
    invitation: &quote_requests::Model,
    task: &tasks::Model,
    quote: Option<&quotes::Model>,
    zone: Option<&str>,
) -> PortalInvitation {
    PortalInvitation {
        invitation_id: invitation.id.clone(),
        task_id: task.id.clone(),
        title: task.title.clone(),
        task_type: task.task_type.clone(),
        start_at: task.start_at,
        start_local: written_in(task.start_at, zone),
        budget: Cents(task.budget_cents).whole_dollars(),
        currency: task.currency.clone(),
        task_status: task.status,
        quote: quote.map(|q| PortalQuote {
            id: q.id.clone(),
            amount: Cents(q.amount_cents).whole_dollars(),
            status: q.status,
        }),
        declined_at: invitation.declined_at,
        decline_reason: invitation.decline_reason.clone(),
    }
}

/// `background` → `Background`.
fn label(key: &str) -> String {
    let words = key.replace('_', " ");
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn written(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(written).collect::<Vec<_>>().join(", "),
        Value::Bool(true) => "yes".into(),
        Value::Bool(false) => "no".into(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// The task's spec as rows a person reads, each with what the template says the field means.
fn spec_items(spec: &Value, schema: &Value) -> Vec<SpecItem> {
    let Some(fields) = spec.as_object() else {
        return Vec::new();
    };
    fields
        .iter()
        .map(|(key, value)| SpecItem {
            label: label(key),
            value: written(value),
            help: schema.pointer(&format!("/properties/{key}/description")).and_then(Value::as_str).map(str::to_owned),
        })
        .collect()
}

/// One of the signed-in talent's invitations in full: the task in plain words, where on a map,
/// when in their time zone, what the spec asks and what QA will check.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn invitation(svc: &Services, caller: &Caller, invitation_id: &str) -> Result<PortalInvitationDetail, Error> {
    let talent_id = caller.talent_id()?;
    let invitation = quote_requests::Entity::find_by_id(invitation_id.to_owned())
        .one(&svc.db)
        .await?
        .filter(|i| i.talent_id == talent_id)
        .ok_or_else(|| Error::not_found("Invitation"))?;
    let task = tasks::Entity::find_by_id(invitation.task_id.clone())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Task"))?;
    let profile = talent::Entity::find_by_id(talent_id.to_owned())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Talent"))?;
    let quote = quotes::Entity::find()
        .filter(quotes::Column::TaskId.eq(&task.id))
        .filter(quotes::Column::TalentId.eq(talent_id))
        .order_by_desc(quotes::Column::CreatedAt)
        .one(&svc.db)
        .await?;
    let template = templates::of_task(&task)?;
    let specs: Vec<DeliverableSpec> = serde_json::from_value(task.deliverables.clone()).map_err(Error::internal)?;
    let (site, radius_m) = crate::bookings::geofence(&task);
    let max_quote = crate::escrow::share(Cents(task.budget_cents), template.rules.max_quote_pct_of_budget)?;
    Ok(PortalInvitationDetail {
        invitation: summary(&invitation, &task, quote.as_ref(), profile.time_zone.as_deref()),
        template_name: template.name.clone(),
        description: task.description.clone(),
        address: task.address.clone(),
        site,
        radius_m,
        duration_hours: f64::from(task.duration_minutes) / 60.0,
        time_zone: profile.time_zone.clone(),
        spec: spec_items(&task.task_spec, &template.spec_schema),
        asks: specs.iter().map(super::work::ask).collect(),
        checks: template.acceptance_tests.clone(),
        max_quote: max_quote.whole_dollars(),
        counter_offers: template.rules.allows_counter_offers,
    })
}

/// The portal's decline form: the talent turns down one of their own invitations, judged as
/// `POST /v1/talent/:id/decline` judges it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn decline_invitation(
    svc: &Services,
    caller: &Caller,
    invitation_id: &str,
    reason: String,
) -> Result<DeclinedInvitation, Error> {
    let invitation = own_invitation(svc, caller, invitation_id).await?;
    let request = DeclineRequest { task_id: invitation.task_id, reason };
    crate::quotes::decline(svc, caller, &invitation.talent_id, request).await
}

/// One of the calling talent's invitations; another talent's is not found.
pub(super) async fn own_invitation(
    svc: &Services,
    caller: &Caller,
    invitation_id: &str,
) -> Result<crate::quotes::InvitationSummary, Error> {
    let talent_id = caller.talent_id()?;
    let invitation = crate::quotes::invitation_summary(svc, invitation_id).await?;
    if invitation.talent_id != talent_id {
        return Err(Error::not_found("Invitation"));
    }
    Ok(invitation)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_spec_reads_as_labelled_rows_with_the_templates_help() {
        let schema = json!({ "properties": { "background": { "description": "white = seamless white" } } });
        let rows = spec_items(&json!({ "background": "white", "angles": ["front", "back"], "props": false }), &schema);
        let find = |l: &str| rows.iter().find(|r| r.label == l).map(|r| (r.value.as_str(), r.help.as_deref()));
        assert_eq!(find("Background"), Some(("white", Some("white = seamless white"))));
        assert_eq!(find("Angles"), Some(("front, back", None)));
        assert_eq!(find("Props"), Some(("no", None)));
    }

    #[test]
    fn times_are_written_in_the_talents_zone() {
        let at = DateTime::parse_from_rfc3339("2026-12-08T15:00:00Z").map(|t| t.with_timezone(&Utc));
        let at = at.expect("a valid time");
        assert_eq!(written_in(at, Some("America/Toronto")), "Tue 8 Dec 2026, 10:00 EST");
        assert_eq!(written_in(at, Some("Asia/Kolkata")), "Tue 8 Dec 2026, 20:30 IST");
        assert_eq!(written_in(at, None), "Tue 8 Dec 2026, 15:00 UTC");
    }
}
