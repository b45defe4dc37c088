use super::{
    CreateWebhook, Delivery, DeliveryAttempt, DeliveryList, WebhookEndpoint, WebhookEndpointList, signature, ssrf,
};
use crate::caller::Caller;
use crate::entities::{events, principals, webhook_attempts, webhook_deliveries, webhook_endpoints};
use crate::events::EventType;
use crate::principals::Mode;
use crate::status::{DeliveryAction, DeliveryStatus, EndpointAction, EndpointStatus};
use crate::transition::{transition, transition_all};
use crate::{Error, ErrorCode, Services, audit, ids};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
    sea_query::Expr,
};
use serde_json::json;
use std::collections::HashMap;

/// How many deliveries `GET /v1/webhooks/:id/deliveries` shows, newest first.
const DELIVERIES_SHOWN: u64 = 100;

fn view(m: webhook_endpoints::Model, secret: Option<String>) -> WebhookEndpoint {
    WebhookEndpoint {
        events: serde_json::from_value(m.events).unwrap_or_default(),
        id: m.id,
        url: m.url,
        status: m.status,
        disabled_reason: m.disabled_reason,
        created_at: m.created_at,
        secret,
    }
}

async fn find(svc: &Services, caller: &Caller, id: &str) -> Result<webhook_endpoints::Model, Error> {
    let principal_id = caller.principal_id()?;
    webhook_endpoints::Entity::find_by_id(id.to_owned())
        .filter(webhook_endpoints::Column::PrincipalId.eq(principal_id))
        .filter(webhook_endpoints::Column::DeletedAt.is_null())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Webhook endpoint"))
}

/// Endpoints one account may have (as Stripe allows): each is a fan-out of every event, and
/// deliveries are shared fairly between tenants, not between endpoints.
pub const MAX_ENDPOINTS: u64 = 16;

/// Registers an endpoint. The URL must be https for live accounts and must resolve to public
/// addresses (unless the operator allows private ones). The secret is shown only now.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(svc: &Services, caller: &Caller, request: CreateWebhook) -> Result<WebhookEndpoint, Error> {
    let principal_id = caller.principal_id()?;
    let mut errors = Vec::new();
    let url = match ssrf::check_url(&request.url, caller.mode == Mode::Live) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.push(format!("/url: {e}"));
            None
        }
    };
    let mut types = Vec::new();
    if request.events.is_empty() {
        errors.push("/events: at least one event type, or \"*\"".into());
    }
    for (i, t) in request.events.iter().enumerate() {
        if t == "*" || EventType::parse(t).is_some() {
            if !types.contains(t) {
                types.push(t.clone());
            }
        } else {
            let all: Vec<&str> = EventType::ALL.iter().map(|e| e.as_str()).collect();
            errors.push(format!("/events/{i}: {t:?} is not an event type ({})", all.join(", ")));
        }
    }
    if let Some(secret) = &request.secret
        && (!(16..=256).contains(&secret.chars().count()) || secret.chars().any(char::is_whitespace))
    {
        errors.push("/secret: 16–256 characters without spaces".into());
    }
    let Some(url) = url.filter(|_| errors.is_empty()) else {
        return Err(Error::validation("Invalid webhook endpoint", errors));
    };
    if let Err(e) = ssrf::resolve(&url, svc.config.webhooks_allow_private).await {
        return Err(Error::validation("Invalid webhook endpoint", vec![format!("/url: {e}")]));
    }
    let secret = request.secret.unwrap_or_else(signature::new_secret);
    let id = ids::new_id("whe");
    let model = webhook_endpoints::Model {
        id: id.clone(),
        principal_id: principal_id.to_owned(),
        url: url.to_string(),
        events: json!(types),
        secret: secret.clone(),
        status: EndpointStatus::Enabled,
        disabled_reason: None,
        created_at: crate::time::now(),
        deleted_at: None,
    };
    let txn = svc.db.begin().await?;
    // One registration per account at a time (PostgreSQL holds the row until commit), so two
    // at once cannot both see room for one more.
    principals::Entity::find_by_id(principal_id.to_owned()).lock_exclusive().one(&txn).await?;
    let registered = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::PrincipalId.eq(principal_id))
        .filter(webhook_endpoints::Column::DeletedAt.is_null())
        .count(&txn)
        .await?;
    if registered >= MAX_ENDPOINTS {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("An account may have {MAX_ENDPOINTS} webhook endpoints; delete one first"),
        )
        .with_details(json!({ "endpoints": registered, "max_endpoints": MAX_ENDPOINTS })));
    }
    webhook_endpoints::Entity::insert(webhook_endpoints::ActiveModel::from(model.clone()))
        .exec_without_returning(&txn)
        .await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "webhook.created",
        "webhook_endpoint",
        &id,
        json!({ "url": model.url, "events": types }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(model, Some(secret)))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list(svc: &Services, caller: &Caller) -> Result<WebhookEndpointList, Error> {
    let principal_id = caller.principal_id()?;
    let rows = webhook_endpoints::Entity::find()
        .filter(webhook_endpoints::Column::PrincipalId.eq(principal_id))
        .filter(webhook_endpoints::Column::DeletedAt.is_null())
        .order_by_asc(webhook_endpoints::Column::Id)
        .all(&svc.db)
        .await?;
    Ok(WebhookEndpointList { data: rows.into_iter().map(|m| view(m, None)).collect() })
}

/// Removes an endpoint; its pending deliveries are abandoned.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn delete(svc: &Services, caller: &Caller, id: &str) -> Result<WebhookEndpoint, Error> {
    let principal_id = caller.principal_id()?;
    let endpoint = find(svc, caller, id).await?;
    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    if endpoint.status == EndpointStatus::Enabled {
        transition::<webhook_endpoints::Entity>(&txn, id, endpoint.status, EndpointAction::Disable, |u| {
            u.col_expr(webhook_endpoints::Column::DisabledReason, Expr::value("deleted"))
        })
        .await?;
    }
    webhook_endpoints::Entity::update_many()
        .col_expr(webhook_endpoints::Column::DeletedAt, Expr::value(now))
        .filter(webhook_endpoints::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    abandon_pending(&txn, id, now).await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "webhook.deleted",
        "webhook_endpoint",
        id,
        json!({ "url": endpoint.url }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(
        webhook_endpoints::Model {
            status: EndpointStatus::Disabled,
            disabled_reason: Some("deleted".into()),
            ..endpoint
        },
        None,
    ))
}

/// Gives an endpoint a new signing secret, shown only in this answer: every delivery sent from
/// now on (retries of older events too) is signed with it, and the old one stops verifying.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn rotate_secret(svc: &Services, caller: &Caller, id: &str) -> Result<WebhookEndpoint, Error> {
    let principal_id = caller.principal_id()?;
    let secret = signature::new_secret();
    let txn = svc.db.begin().await?;
    // Held until commit (PostgreSQL): two rotations at once take turns, and each answer's
    // secret was the one in force when it committed.
    let endpoint = webhook_endpoints::Entity::find_by_id(id.to_owned())
        .filter(webhook_endpoints::Column::PrincipalId.eq(principal_id))
        .filter(webhook_endpoints::Column::DeletedAt.is_null())
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("Webhook endpoint"))?;
    webhook_endpoints::Entity::update_many()
        .col_expr(webhook_endpoints::Column::Secret, Expr::value(secret.clone()))
        .filter(webhook_endpoints::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "webhook.secret_rotated",
        "webhook_endpoint",
        id,
        json!({ "url": endpoint.url }),
    )
    .await?;
    txn.commit().await?;
    Ok(view(webhook_endpoints::Model { secret: secret.clone(), ..endpoint }, Some(secret)))
}

async fn delivery_views(svc: &Services, rows: Vec<webhook_deliveries::Model>) -> Result<Vec<Delivery>, Error> {
    let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
    let mut attempts: HashMap<String, Vec<DeliveryAttempt>> = HashMap::new();
    for a in webhook_attempts::Entity::find()
        .filter(webhook_attempts::Column::DeliveryId.is_in(ids))
        .order_by_asc(webhook_attempts::Column::Id)
        .all(&svc.db)
        .await?
    {
        attempts.entry(a.delivery_id.clone()).or_default().push(DeliveryAttempt {
            id: a.id,
            attempted_at: a.attempted_at,
            status_code: a.status_code.and_then(|s| u16::try_from(s).ok()),
            latency_ms: u64::try_from(a.latency_ms).unwrap_or(0),
            response_excerpt: a.response_excerpt,
            error: a.error,
        });
    }
    let event_types: HashMap<String, String> = events::Entity::find()
        .filter(events::Column::Id.is_in(rows.iter().map(|d| d.event_id.clone())))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|e| (e.id, e.event_type))
        .collect();
    rows.into_iter()
        .map(|d| {
            let event_type = event_types
                .get(&d.event_id)
                .and_then(|t| EventType::parse(t))
                .ok_or_else(|| Error::internal(format!("delivery {} lost its event", d.id)))?;
            Ok(Delivery {
                attempt_log: attempts.remove(&d.id).unwrap_or_default(),
                next_attempt_at: (d.status == DeliveryStatus::Pending).then_some(d.next_attempt_at),
                id: d.id,
                event_id: d.event_id,
                event_type,
                status: d.status,
                attempts: u32::try_from(d.attempts).unwrap_or(0),
                created_at: d.created_at,
            })
        })
        .collect()
}

/// An endpoint's deliveries, newest first, with every attempt.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn deliveries(svc: &Services, caller: &Caller, endpoint_id: &str) -> Result<DeliveryList, Error> {
    find(svc, caller, endpoint_id).await?;
    let rows = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::EndpointId.eq(endpoint_id))
        .order_by_desc(webhook_deliveries::Column::Id)
        .limit(DELIVERIES_SHOWN)
        .all(&svc.db)
        .await?;
    Ok(DeliveryList { data: delivery_views(svc, rows).await? })
}

/// Sends a delivery again now, whatever became of it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn retry(svc: &Services, caller: &Caller, endpoint_id: &str, delivery_id: &str) -> Result<Delivery, Error> {
    let endpoint = find(svc, caller, endpoint_id).await?;
    if endpoint.status != EndpointStatus::Enabled {
        return Err(Error::new(ErrorCode::PolicyBlocked, "The endpoint is disabled")
            .with_details(json!({ "current_status": endpoint.status })));
    }
    let now = crate::time::now();
    let delivery = webhook_deliveries::Entity::find_by_id(delivery_id.to_owned())
        .filter(webhook_deliveries::Column::EndpointId.eq(endpoint_id))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Delivery"))?;
    let txn = svc.db.begin().await?;
    transition::<webhook_deliveries::Entity>(&txn, delivery_id, delivery.status, DeliveryAction::Redeliver, |u| {
        u.col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(now)).col_expr(
            webhook_deliveries::Column::CompletedAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
    })
    .await?;
    let job = crate::jobs::Job::DeliverWebhook {
        delivery_id: delivery_id.to_owned(),
        principal_id: endpoint.principal_id.clone(),
    };
    crate::jobs::enqueue(&txn, &job, now).await?;
    audit::record(
        &txn,
        caller,
        caller.principal_id()?,
        "webhook.delivery_retried",
        "webhook_delivery",
        delivery_id,
        json!({ "endpoint_id": endpoint_id }),
    )
    .await?;
    txn.commit().await?;
    let row = webhook_deliveries::Entity::find_by_id(delivery_id.to_owned())
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Delivery"))?;
    delivery_views(svc, vec![row]).await?.pop().ok_or_else(|| Error::not_found("Delivery"))
}

/// Gives up the endpoint's pending deliveries (it was deleted or disabled).
pub(super) async fn abandon_pending(
    conn: &impl ConnectionTrait,
    endpoint_id: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, Error> {
    transition_all::<webhook_deliveries::Entity>(conn, DeliveryStatus::Pending, DeliveryAction::Abandon, |u| {
        u.col_expr(webhook_deliveries::Column::CompletedAt, Expr::value(now))
            .filter(webhook_deliveries::Column::EndpointId.eq(endpoint_id))
    })
    .await
}
