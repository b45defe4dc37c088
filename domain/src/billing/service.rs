use super::{AttachCardRequest, BillingSetup, BillingStatus, PaymentMethod, SpendCap, SpendCapUpdate, TestCardKind};
use crate::caller::Caller;
use crate::entities::{billing_setup_sessions, bookings, payment_methods, spend_caps};
use crate::money::{CURRENCIES, Cents};
use crate::payments::{CardOnFile, SandboxGateway, sandbox::TestCard};
use crate::principals::Mode;
use crate::status::BookingStatus;
use crate::{Error, ErrorCode, Services, audit, ids, secrets, test_helpers};
use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait, sea_query::Expr,
};
use serde_json::json;

const SETUP_TOKEN_PREFIX: &str = "hd_setup_";
const SETUP_VALIDITY_MINUTES: i64 = 60;

impl From<&payment_methods::Model> for PaymentMethod {
    fn from(m: &payment_methods::Model) -> Self {
        PaymentMethod {
            id: m.id.clone(),
            gateway: m.gateway.clone(),
            brand: m.brand.clone(),
            last4: m.last4.clone(),
            is_default: m.is_default,
            created_at: m.created_at,
        }
    }
}

/// Starts adding a card: a one-hour link to the gateway's page.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn start_setup(svc: &Services, caller: &Caller) -> Result<BillingSetup, Error> {
    let principal_id = caller.principal_id()?;
    let token = secrets::new_token(SETUP_TOKEN_PREFIX);
    let now = crate::time::now();
    let expires_at = now + Duration::minutes(SETUP_VALIDITY_MINUTES);
    let url = svc.gateway(caller.mode)?.setup_url(&token).await.map_err(|e| Error::internal(e.to_string()))?;
    let id = ids::new_id("bss");
    let txn = svc.db.begin().await?;
    billing_setup_sessions::Entity::insert(billing_setup_sessions::ActiveModel {
        id: Set(id.clone()),
        principal_id: Set(principal_id.to_owned()),
        token_hash: Set(secrets::hash_token(&token)),
        expires_at: Set(expires_at),
        completed_at: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "billing.setup_started",
        "billing_setup",
        &id,
        json!({ "expires_at": expires_at }),
    )
    .await?;
    txn.commit().await?;
    Ok(BillingSetup { url, expires_at })
}

/// Whether a sandbox setup link is still usable, and for which principal.
pub async fn sandbox_setup_session(svc: &Services, token: &str) -> Result<billing_setup_sessions::Model, Error> {
    let session = billing_setup_sessions::Entity::find()
        .filter(billing_setup_sessions::Column::TokenHash.eq(secrets::hash_token(token)))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Setup link"))?;
    if session.completed_at.is_some() {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This setup link was already used")
            .with_details(json!({ "current_status": "completed" })));
    }
    if session.expires_at <= crate::time::now() {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This setup link has expired; start again")
            .with_details(json!({ "current_status": "expired" })));
    }
    Ok(session)
}

/// Finishes a sandbox setup link by attaching the chosen test card.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn complete_sandbox_setup(svc: &Services, token: &str, card: TestCardKind) -> Result<PaymentMethod, Error> {
    let session = sandbox_setup_session(svc, token).await?;
    let caller = Caller::principal(session.principal_id.clone(), None, Mode::Sandbox);
    let txn = svc.db.begin().await?;
    let claimed = billing_setup_sessions::Entity::update_many()
        .col_expr(billing_setup_sessions::Column::CompletedAt, Expr::value(crate::time::now()))
        .filter(billing_setup_sessions::Column::Id.eq(&session.id))
        .filter(billing_setup_sessions::Column::CompletedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This setup link was already used")
            .with_details(json!({ "current_status": "completed" })));
    }
    let method = attach(&txn, &caller, card).await?;
    txn.commit().await?;
    Ok(method)
}

/// `POST /v1/test_helpers/billing/attach_card`.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn attach_test_card(
    svc: &Services,
    caller: &Caller,
    request: AttachCardRequest,
) -> Result<PaymentMethod, Error> {
    test_helpers::require_sandbox(caller)?;
    let txn = svc.db.begin().await?;
    let method = attach(&txn, caller, request.card).await?;
    txn.commit().await?;
    Ok(method)
}

/// Attaches a sandbox test card as the new default.
async fn attach(conn: &impl ConnectionTrait, caller: &Caller, card: TestCardKind) -> Result<PaymentMethod, Error> {
    let principal_id = caller.principal_id()?;
    let id = ids::new_id("pm");
    let kind = match card {
        TestCardKind::Ok => TestCard::Ok,
        TestCardKind::Decline => TestCard::Decline,
    };
    let CardOnFile { gateway_ref, brand, last4 } = SandboxGateway::test_card(kind, &id);
    payment_methods::Entity::update_many()
        .col_expr(payment_methods::Column::IsDefault, Expr::value(false))
        .filter(payment_methods::Column::PrincipalId.eq(principal_id))
        .exec(conn)
        .await?;
    let model = payment_methods::Model {
        id: id.clone(),
        principal_id: principal_id.to_owned(),
        gateway: "sandbox".into(),
        gateway_ref,
        brand,
        last4,
        is_default: true,
        created_at: crate::time::now(),
        detached_at: None,
    };
    let view = PaymentMethod::from(&model);
    payment_methods::Entity::insert(payment_methods::ActiveModel::from(model)).exec_without_returning(conn).await?;
    audit::record(
        conn,
        caller,
        caller.principal_id()?,
        "payment_method.attached",
        "payment_method",
        &id,
        json!({ "brand": view.brand, "last4": view.last4 }),
    )
    .await?;
    Ok(view)
}

/// The default card, healing a missing default by promoting the newest card.
pub async fn default_card(
    conn: &impl ConnectionTrait,
    principal_id: &str,
) -> Result<Option<payment_methods::Model>, Error> {
    let cards = payment_methods::Entity::find()
        .filter(payment_methods::Column::PrincipalId.eq(principal_id))
        .filter(payment_methods::Column::DetachedAt.is_null())
        .order_by_desc(payment_methods::Column::Id)
        .all(conn)
        .await?;
    if let Some(default) = cards.iter().find(|c| c.is_default) {
        return Ok(Some(default.clone()));
    }
    let Some(newest) = cards.into_iter().next() else { return Ok(None) };
    payment_methods::Entity::update_many()
        .col_expr(payment_methods::Column::IsDefault, Expr::value(true))
        .filter(payment_methods::Column::Id.eq(&newest.id))
        .exec(conn)
        .await?;
    Ok(Some(payment_methods::Model { is_default: true, ..newest }))
}

/// The calendar month (UTC) around `now`.
pub fn month_of(now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let start = Utc.with_ymd_and_hms(now.year(), now.month(), 1, 0, 0, 0).single().unwrap_or(now);
    let (y, m) = if now.month() == 12 { (now.year() + 1, 1) } else { (now.year(), now.month() + 1) };
    let end = Utc.with_ymd_and_hms(y, m, 1, 0, 0, 0).single().unwrap_or(now);
    (start, end)
}

/// What the principal has booked this month (bookings not cancelled), in `currency` or all.
pub async fn month_to_date(
    conn: &impl ConnectionTrait,
    principal_id: &str,
    currency: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Cents, Error> {
    let (start, end) = month_of(now);
    let mut query = bookings::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(amount_cents) AS BIGINT)"), "total")
        .filter(bookings::Column::PrincipalId.eq(principal_id))
        .filter(bookings::Column::CreatedAt.gte(start))
        .filter(bookings::Column::CreatedAt.lt(end))
        .filter(bookings::Column::Status.ne(BookingStatus::Cancelled.as_str()));
    if let Some(c) = currency {
        query = query.filter(bookings::Column::Currency.eq(c));
    }
    let total: Option<i64> = query.into_tuple::<Option<i64>>().one(conn).await?.flatten();
    Ok(Cents(total.unwrap_or(0)))
}

async fn spend_cap_view(conn: &impl ConnectionTrait, principal_id: &str) -> Result<SpendCap, Error> {
    let now = crate::time::now();
    let (period_start, period_end) = month_of(now);
    let cap = spend_caps::Entity::find_by_id(principal_id.to_owned()).one(conn).await?;
    let spent = month_to_date(conn, principal_id, cap.as_ref().map(|c| c.currency.as_str()), now).await?;
    Ok(SpendCap {
        monthly_cap: cap.as_ref().map(|c| Cents(c.monthly_cap_cents).whole_dollars()),
        currency: cap.as_ref().map(|c| c.currency.clone()),
        month_to_date: spent.whole_dollars(),
        remaining: cap.as_ref().map(|c| Cents((c.monthly_cap_cents - spent.0).max(0)).whole_dollars()),
        period_start,
        period_end,
    })
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get_spend_cap(svc: &Services, caller: &Caller) -> Result<SpendCap, Error> {
    let principal_id = caller.principal_id()?;
    spend_cap_view(&svc.db, principal_id).await
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_spend_cap(svc: &Services, caller: &Caller, update: SpendCapUpdate) -> Result<SpendCap, Error> {
    let principal_id = caller.principal_id()?;
    let cap = match (update.monthly_cap, update.currency) {
        (None, _) => None,
        (Some(dollars), Some(currency)) => Some((dollars.cents(), currency)),
        (Some(_), None) => {
            let one_of = CURRENCIES.join(", ");
            return Err(Error::validation(
                "Invalid spend cap",
                vec![format!("/currency: required with a cap, one of {one_of}")],
            ));
        }
    };
    let txn = svc.db.begin().await?;
    match cap {
        None => {
            spend_caps::Entity::delete_by_id(principal_id.to_owned()).exec(&txn).await?;
            audit::record(&txn, caller, principal_id, "spend_cap.removed", "spend_cap", principal_id, json!({}))
                .await?;
        }
        Some((cap, currency)) => {
            let currency = currency.as_str().to_owned();
            let now = crate::time::now();
            spend_caps::Entity::insert(spend_caps::ActiveModel {
                principal_id: Set(principal_id.to_owned()),
                monthly_cap_cents: Set(cap.0),
                currency: Set(currency.clone()),
                updated_at: Set(now),
            })
            .on_conflict(
                sea_orm::sea_query::OnConflict::column(spend_caps::Column::PrincipalId)
                    .update_columns([
                        spend_caps::Column::MonthlyCapCents,
                        spend_caps::Column::Currency,
                        spend_caps::Column::UpdatedAt,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
            audit::record(
                &txn,
                caller,
                principal_id,
                "spend_cap.set",
                "spend_cap",
                principal_id,
                json!({ "monthly_cap": cap.whole_dollars(), "currency": currency }),
            )
            .await?;
        }
    }
    let view = spend_cap_view(&txn, principal_id).await?;
    txn.commit().await?;
    Ok(view)
}

/// Refuses a booking of `amount` that would take the month past the cap.
pub async fn check_spend_cap(
    conn: &impl ConnectionTrait,
    principal_id: &str,
    amount: Cents,
    currency: &str,
) -> Result<(), Error> {
    let Some(cap) = spend_caps::Entity::find_by_id(principal_id.to_owned()).one(conn).await? else {
        return Ok(());
    };
    if cap.currency != currency {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            format!("The spend cap is in {}; this booking is in {currency}", cap.currency),
        )
        .with_details(json!({ "current_status": "spend_cap_currency_mismatch", "cap_currency": cap.currency })));
    }
    let spent = month_to_date(conn, principal_id, Some(currency), crate::time::now()).await?;
    let after = spent.checked_add(amount).ok_or_else(|| Error::internal("month-to-date overflows"))?;
    if after.0 > cap.monthly_cap_cents {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This booking would exceed the monthly spend cap")
            .with_details(json!({
                "current_status": "spend_cap_exceeded",
                "monthly_cap": Cents(cap.monthly_cap_cents).whole_dollars(),
                "month_to_date": spent.whole_dollars(),
                "booking_amount": amount.whole_dollars(),
                "currency": currency,
            })));
    }
    Ok(())
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn status(svc: &Services, caller: &Caller) -> Result<BillingStatus, Error> {
    let principal_id = caller.principal_id()?;
    let card = default_card(&svc.db, principal_id).await?;
    Ok(BillingStatus {
        has_payment_method: card.is_some(),
        payment_method: card.as_ref().map(PaymentMethod::from),
        gateway: svc.gateway(caller.mode)?.name().to_owned(),
        mode: caller.mode,
        spend_cap: spend_cap_view(&svc.db, principal_id).await?,
    })
}

/// The spend cap a form sets: whole dollars with a currency, or (the cap left empty) none. Each
/// problem names its field as `PUT /v1/billing/spend_cap` would.
pub fn spend_cap_from_form(cap: &str, currency: &str) -> Result<SpendCapUpdate, Error> {
    let mut errors = Vec::new();
    let monthly_cap = match cap.trim() {
        "" => None,
        text => crate::money::Dollars::parse(text).map_err(|e| errors.push(format!("/monthly_cap: {text:?} {e}"))).ok(),
    };
    let currency = match currency.trim() {
        "" => None,
        code => crate::money::Currency::parse(code)
            .ok_or_else(|| errors.push(format!("/currency: {code:?} is not one of {}", CURRENCIES.join(", "))))
            .ok(),
    };
    if !errors.is_empty() {
        return Err(Error::validation("Invalid spend cap", errors));
    }
    Ok(SpendCapUpdate { monthly_cap, currency })
}

#[cfg(test)]
mod tests {
    use super::month_of;
    use chrono::{TimeZone, Utc};

    #[test]
    fn months_run_from_the_first_to_the_first() {
        let (s, e) = month_of(Utc.with_ymd_and_hms(2026, 12, 15, 10, 0, 0).unwrap());
        assert_eq!(s, Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap());
        assert_eq!(e, Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).unwrap());
    }
}
