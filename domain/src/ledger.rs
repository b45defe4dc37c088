//! The ledger: double-entry, integer cents. Every movement is one transaction of entries whose
//! amounts sum to zero, so every account's history — and every booking's — balances.
//!
//! Accounts: `principal:<id>:funding` (the card), `escrow:<booking>`, `talent:<id>:payable`,
//! `platform:fees`, `gateway:payouts_in_transit`.

use crate::entities::ledger_entries;
use crate::money::Cents;
use crate::{Error, ids};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, sea_query::Expr};

pub fn funding(principal_id: &str) -> String {
    format!("principal:{principal_id}:funding")
}

pub fn escrow(booking_id: &str) -> String {
    format!("escrow:{booking_id}")
}

pub fn talent_payable(talent_id: &str) -> String {
    format!("talent:{talent_id}:payable")
}

pub const PLATFORM_FEES: &str = "platform:fees";

/// Money sent to talent through the gateway and not yet confirmed arrived.
pub const PAYOUTS_IN_TRANSIT: &str = "gateway:payouts_in_transit";

/// What a movement is, for reading the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    EscrowHold,
    EscrowRelease,
    ShowUpFee,
    Payout,
    PlatformFee,
    Refund,
}

impl Kind {
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::EscrowHold => "escrow_hold",
            Kind::EscrowRelease => "escrow_release",
            Kind::ShowUpFee => "show_up_fee",
            Kind::Payout => "payout",
            Kind::PlatformFee => "platform_fee",
            Kind::Refund => "refund",
        }
    }
}

/// One movement: its entries must sum to zero, or nothing is written.
pub async fn post(
    conn: &impl ConnectionTrait,
    principal_id: &str,
    booking_id: Option<&str>,
    currency: &str,
    entries: &[(String, Cents, Kind)],
) -> Result<String, Error> {
    let sum: i64 = entries.iter().map(|(_, c, _)| c.0).sum();
    if sum != 0 || entries.is_empty() {
        return Err(Error::internal(format!(
            "unbalanced ledger transaction ({sum} cents over {} entries)",
            entries.len()
        )));
    }
    let transaction_id = ids::new_id("ltx");
    let now = crate::time::now();
    let models =
        entries.iter().filter(|(_, c, _)| c.0 != 0).map(|(account, amount, kind)| ledger_entries::ActiveModel {
            id: Set(ids::new_id("led")),
            transaction_id: Set(transaction_id.clone()),
            principal_id: Set(principal_id.to_owned()),
            booking_id: Set(booking_id.map(str::to_owned)),
            account: Set(account.clone()),
            amount_cents: Set(amount.0),
            currency: Set(currency.to_owned()),
            kind: Set(kind.as_str().to_owned()),
            created_at: Set(now),
        });
    ledger_entries::Entity::insert_many(models).exec_without_returning(conn).await?;
    Ok(transaction_id)
}

/// The balance of one account within one booking's entries.
pub async fn booking_account_balance(
    conn: &impl ConnectionTrait,
    booking_id: &str,
    account: &str,
) -> Result<Cents, Error> {
    let total: Option<i64> = ledger_entries::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(amount_cents) AS BIGINT)"), "total")
        .filter(ledger_entries::Column::BookingId.eq(booking_id))
        .filter(ledger_entries::Column::Account.eq(account))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten();
    Ok(Cents(total.unwrap_or(0)))
}
