//! One-time sign-in links, for the portal (talent) and the dashboard (accounts' owners): each
//! side keeps its links in a table of its own, of one shape. Only a hash of a link's token is
//! stored; a link signs in once, within its lifetime.

use crate::{Error, ids, secrets};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Condition, Expr, Query};
use sea_orm::{ConnectionTrait, DatabaseConnection};

/// Whose links a table keeps, and how they look.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Side {
    table: &'static str,
    /// The column naming the link's owner.
    owner: &'static str,
    id_prefix: &'static str,
    /// What a token starts with: a token of the other side is refused before any lookup.
    pub token_prefix: &'static str,
    /// The page the link opens (it spends nothing by itself: its button does).
    path: &'static str,
}

pub(crate) const PORTAL: Side = Side {
    table: "sign_in_links",
    owner: "talent_id",
    id_prefix: "sil",
    token_prefix: "hd_signin_",
    path: "/portal/sign_in/complete",
};

pub(crate) const DASHBOARD: Side = Side {
    table: "principal_sign_in_links",
    owner: "principal_id",
    id_prefix: "psl",
    token_prefix: "hd_dashin_",
    path: "/dashboard/sign_in/complete",
};

/// A new link for `owner_id`, written on `conn` (the transaction that mails it); returns it.
/// The token travels in the query string: request logs record only the path.
pub(crate) async fn mint(
    conn: &impl ConnectionTrait,
    side: Side,
    public_url: &str,
    owner_id: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<String, Error> {
    let token = secrets::new_token(side.token_prefix);
    let insert = Query::insert()
        .into_table(Alias::new(side.table))
        .columns(["id", side.owner, "token_hash", "created_at", "expires_at"].map(Alias::new))
        .values([
            ids::new_id(side.id_prefix).into(),
            owner_id.into(),
            secrets::hash_token(&token).into(),
            now.into(),
            expires_at.into(),
        ])
        .map_err(Error::internal)?
        .to_owned();
    conn.execute(conn.get_database_backend().build(&insert)).await?;
    Ok(format!("{}{}?token={token}", public_url.trim_end_matches('/'), side.path))
}

/// Spends a link: its owner's id when this is the link's first use within its lifetime, and
/// `None` for any other token (unknown, used, expired, or the other side's).
pub(crate) async fn spend(db: &DatabaseConnection, side: Side, token: &str) -> Result<Option<String>, Error> {
    let token = token.trim();
    if !token.starts_with(side.token_prefix) {
        return Ok(None);
    }
    let hash = secrets::hash_token(token);
    let now = crate::time::now();
    let table = Alias::new(side.table);
    let spent = Query::update()
        .table(table.clone())
        .value(Alias::new("used_at"), now)
        .and_where(Expr::col(Alias::new("token_hash")).eq(hash.clone()))
        .and_where(Expr::col(Alias::new("used_at")).is_null())
        .and_where(Expr::col(Alias::new("expires_at")).gt(now))
        .to_owned();
    let backend = db.get_database_backend();
    if db.execute(backend.build(&spent)).await?.rows_affected() != 1 {
        return Ok(None);
    }
    let owner = Query::select()
        .column(Alias::new(side.owner))
        .from(table)
        .and_where(Expr::col(Alias::new("token_hash")).eq(hash))
        .to_owned();
    match db.query_one(backend.build(&owner)).await? {
        Some(row) => row.try_get_by_index::<String>(0).map(Some).map_err(|e| Error::internal(format!("{e:?}"))),
        None => Ok(None),
    }
}

/// Deletes the side's links that can no longer be used (spent or expired).
pub(crate) async fn sweep(db: &DatabaseConnection, side: Side) -> Result<u64, Error> {
    let delete = Query::delete()
        .from_table(Alias::new(side.table))
        .cond_where(
            Condition::any()
                .add(Expr::col(Alias::new("expires_at")).lte(crate::time::now()))
                .add(Expr::col(Alias::new("used_at")).is_not_null()),
        )
        .to_owned();
    Ok(db.execute(db.get_database_backend().build(&delete)).await?.rows_affected())
}
