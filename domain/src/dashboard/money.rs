//! The dashboard's money page: the card, the spend cap, and a month of the ledger as the
//! account's owner reads it.

use super::{MoneyPage, MonthTotals, Movement, SpendDay, Sums};
use crate::caller::Caller;
use crate::entities::{bookings, ledger_entries, tasks};
use crate::{Error, Services};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::{BTreeMap, HashMap};

/// `YYYY-MM` → the month's first instant and the next month's (UTC).
pub fn parse_month(text: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), Error> {
    let bad = || Error::validation("Invalid month", vec![format!("/month: {text:?} is not a month as YYYY-MM")]);
    let day = NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").map_err(|_| bad())?;
    if text.len() != 7 {
        return Err(bad());
    }
    let start = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).ok_or_else(bad)?);
    Ok((start, crate::billing::month_of(start).1))
}

fn month_text(at: DateTime<Utc>) -> String {
    format!("{:04}-{:02}", at.year(), at.month())
}

/// Sorts one movement's entries into what the owner sees of it. Accounts: the escrow of a
/// booking takes holds and gives them up; the talent, the platform and the owner's card get
/// what a settlement gives up; a payout moves the talent's share on to their bank.
fn movement(entries: &[ledger_entries::Model], titles: &HashMap<String, String>) -> Movement {
    let first = &entries[0];
    let mut m = Movement {
        transaction_id: first.transaction_id.clone(),
        at: first.created_at,
        booking_id: first.booking_id.clone(),
        task_title: first.booking_id.as_ref().and_then(|b| titles.get(b).cloned()),
        currency: first.currency.clone(),
        kind: first.kind.clone(),
        sums: Sums::default(),
    };
    let sums = &mut m.sums;
    for e in entries {
        let a = e.amount_cents;
        let account = e.account.as_str();
        if account.starts_with("escrow:") {
            if a > 0 { sums.held_cents += a } else { sums.released_cents -= a }
        } else if account.starts_with("talent:") && a > 0 {
            sums.to_talent_cents += a;
        } else if account == crate::ledger::PLATFORM_FEES {
            sums.fees_cents += a;
        } else if account.starts_with("principal:") && a > 0 {
            sums.refunded_cents += a;
        } else if account == crate::ledger::PAYOUTS_IN_TRANSIT {
            sums.paid_out_cents += a;
        }
    }
    if m.sums.held_cents > 0 {
        m.kind = crate::ledger::Kind::EscrowHold.as_str().to_owned();
    } else if m.sums.released_cents > 0 {
        m.kind = "settlement".to_owned();
    }
    m
}

/// The money page for `month` (`YYYY-MM`, UTC; none: this month).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn money_page(svc: &Services, caller: &Caller, month: Option<&str>) -> Result<MoneyPage, Error> {
    let principal_id = caller.principal_id()?;
    let now = crate::time::now();
    let (start, end) = match month.filter(|m| !m.is_empty()) {
        Some(m) => parse_month(m)?,
        None => crate::billing::month_of(now),
    };
    let billing = crate::billing::status(svc, caller).await?;
    let entries = ledger_entries::Entity::find()
        .filter(ledger_entries::Column::PrincipalId.eq(principal_id))
        .filter(ledger_entries::Column::CreatedAt.gte(start))
        .filter(ledger_entries::Column::CreatedAt.lt(end))
        .order_by_asc(ledger_entries::Column::CreatedAt)
        .order_by_asc(ledger_entries::Column::TransactionId)
        .all(&svc.db)
        .await?;

    let booking_ids: Vec<String> = entries.iter().filter_map(|e| e.booking_id.clone()).collect();
    let bookings = bookings::Entity::find()
        .filter(bookings::Column::Id.is_in(booking_ids))
        .filter(bookings::Column::PrincipalId.eq(principal_id))
        .all(&svc.db)
        .await?;
    let task_ids: Vec<String> = bookings.iter().map(|b| b.task_id.clone()).collect();
    let task_titles: HashMap<String, String> = tasks::Entity::find()
        .filter(tasks::Column::Id.is_in(task_ids))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.title))
        .collect();
    let titles: HashMap<String, String> =
        bookings.into_iter().filter_map(|b| task_titles.get(&b.task_id).map(|t| (b.id, t.clone()))).collect();

    // Entries in order, grouped by the movement they belong to.
    let mut order: Vec<String> = Vec::new();
    let mut groups: HashMap<String, Vec<ledger_entries::Model>> = HashMap::new();
    for e in entries {
        if !groups.contains_key(&e.transaction_id) {
            order.push(e.transaction_id.clone());
        }
        groups.entry(e.transaction_id.clone()).or_default().push(e);
    }
    let movements: Vec<Movement> = order.iter().filter_map(|id| groups.get(id)).map(|g| movement(g, &titles)).collect();

    let mut totals: BTreeMap<String, MonthTotals> = BTreeMap::new();
    let mut days: BTreeMap<(String, NaiveDate), i64> = BTreeMap::new();
    for m in &movements {
        let t = totals
            .entry(m.currency.clone())
            .or_insert_with(|| MonthTotals { currency: m.currency.clone(), ..MonthTotals::default() });
        t.sums.add(&m.sums);
        *days.entry((m.currency.clone(), m.at.date_naive())).or_default() += m.sums.net_charged_cents();
    }
    let spend = days.into_iter().map(|((currency, day), net_cents)| SpendDay { currency, day, net_cents }).collect();
    let previous = month_text(start - chrono::Duration::days(1));
    let next = (end <= now).then(|| month_text(end));
    Ok(MoneyPage {
        billing,
        month: month_text(start),
        previous_month: previous,
        next_month: next,
        movements,
        totals: totals.into_values().collect(),
        spend,
    })
}
