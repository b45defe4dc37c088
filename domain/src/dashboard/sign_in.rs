use super::{DashboardPrincipal, SIGN_IN_LINK_MINUTES};
use crate::caller::Caller;
use crate::entities::principals;
use crate::principals::Mode;
use crate::sign_in_links as links;
use crate::{Error, Services, audit, mail};
use chrono::Duration;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

/// One address may own several accounts (a sandbox and a live one, say): each gets a link.
const MAX_ACCOUNTS_PER_EMAIL: u64 = 5;

/// Emails a one-time dashboard sign-in link to each account with this address (compared
/// without case). The answer and the work behind it are the same whether or not an account uses
/// the address, as for the portal, so neither tells anyone who has an account.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn request_sign_in(svc: &Services, email: &str, client_addr: &str) -> Result<(), Error> {
    let email = crate::portal::admit_sign_in_request(svc, email, client_addr, "dashboard_sign_in").await?;
    crate::jobs::enqueue(&svc.db, &crate::jobs::Job::DashboardSignInLinks { email }, crate::time::now()).await
}

/// The sign-in job: a link for each account with this address (lower-cased), mailed.
pub async fn mail_sign_in_links(svc: &Services, email: &str) -> Result<(), Error> {
    let accounts = principals::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(principals::Column::Email))).eq(email))
        .order_by_asc(principals::Column::CreatedAt)
        .limit(MAX_ACCOUNTS_PER_EMAIL)
        .all(&svc.db)
        .await?;
    if accounts.is_empty() {
        tracing::info!("dashboard sign-in requested for an address no account uses");
        return Ok(());
    }
    let now = crate::time::now();
    let expires_at = now + Duration::minutes(SIGN_IN_LINK_MINUTES);
    let txn = svc.db.begin().await?;
    for account in &accounts {
        let link = links::mint(&txn, links::DASHBOARD, &svc.config.public_url, &account.id, now, expires_at).await?;
        mail::enqueue(
            &txn,
            mail::Recipient { address: account.email.clone(), principal_id: Some(account.id.clone()), talent_id: None },
            mail::templates::dashboard_sign_in_link(account, &link, SIGN_IN_LINK_MINUTES, expires_at),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// An account's owner signed in: who, and the session generation the session is of.
pub struct SignedIn {
    pub principal: DashboardPrincipal,
    pub generation: i32,
}

fn view(p: principals::Model) -> Result<DashboardPrincipal, Error> {
    let mode = Mode::parse(&p.mode).ok_or_else(|| Error::internal(format!("principal {} has no mode", p.id)))?;
    Ok(DashboardPrincipal { principal_id: p.id, name: p.name, email: p.email, mode })
}

fn signed_in(p: principals::Model) -> Result<SignedIn, Error> {
    Ok(SignedIn { generation: p.session_generation, principal: view(p)? })
}

/// Spends a dashboard sign-in link: the first use within its lifetime wins, every other is
/// refused.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn complete_sign_in(svc: &Services, token: &str) -> Result<SignedIn, Error> {
    let refused = || Error::auth("This sign-in link is unknown, already used or expired: ask for a new one");
    let principal_id = links::spend(&svc.db, links::DASHBOARD, token).await?.ok_or_else(refused)?;
    signed_in(principals::Entity::find_by_id(principal_id).one(&svc.db).await?.ok_or_else(refused)?)
}

/// Signs an account's owner in with a passkey: the ceremony [`crate::passkeys::start_sign_in`]
/// began, finished with the browser's answer. A talent's passkey does not sign in here.
pub async fn passkey_sign_in(svc: &Services, state: Option<&str>, credential: &str) -> Result<SignedIn, Error> {
    match crate::passkeys::finish_sign_in(svc, state, credential).await? {
        crate::passkeys::Owner::Principal(id) => signed_in(
            principals::Entity::find_by_id(id)
                .one(&svc.db)
                .await?
                .ok_or_else(|| Error::auth("Passkey sign-in refused: this passkey's account no longer exists"))?,
        ),
        crate::passkeys::Owner::Talent(_) => {
            Err(Error::auth("This passkey signs in to the talent portal, not to the dashboard"))
        }
    }
}

/// A dashboard session's owner as a caller of the services (a principal without a key);
/// `None` when the account is gone or its owner signed out everywhere after this session began.
pub async fn session_caller(
    svc: &Services,
    principal_id: &str,
    generation: i32,
    request_id: Option<String>,
) -> Result<Option<Caller>, Error> {
    let Some(p) = principals::Entity::find_by_id(principal_id.to_owned()).one(&svc.db).await? else {
        return Ok(None);
    };
    if p.session_generation != generation {
        return Ok(None);
    }
    let mode = Mode::parse(&p.mode).ok_or_else(|| Error::internal(format!("principal {} has no mode", p.id)))?;
    Ok(Some(Caller::principal(p.id, None, mode).with_request_id(request_id)))
}

/// The account behind a dashboard session.
pub async fn principal(svc: &Services, caller: &Caller) -> Result<DashboardPrincipal, Error> {
    let id = caller.principal_id()?;
    view(
        principals::Entity::find_by_id(id.to_owned())
            .one(&svc.db)
            .await?
            .ok_or_else(|| Error::not_found("Principal"))?,
    )
}

/// Ends every dashboard session of the caller's account (its agents' keys keep working).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn sign_out_everywhere(svc: &Services, caller: &Caller) -> Result<(), Error> {
    let id = caller.principal_id()?;
    let txn = svc.db.begin().await?;
    principals::Entity::update_many()
        .col_expr(principals::Column::SessionGeneration, Expr::col(principals::Column::SessionGeneration).add(1))
        .filter(principals::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    audit::record(&txn, caller, id, "principal.signed_out_everywhere", "principal", id, serde_json::json!({})).await?;
    txn.commit().await?;
    Ok(())
}

/// Deletes dashboard sign-in links that can no longer be used (spent or expired).
pub async fn sweep(db: &sea_orm::DatabaseConnection) -> Result<u64, Error> {
    links::sweep(db, links::DASHBOARD).await
}
