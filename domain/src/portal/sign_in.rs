use super::{PortalTalent, SIGN_IN_LINK_MINUTES};
use crate::caller::Caller;
use crate::entities::{sign_in_links, talent};
use crate::principals::Mode;
use crate::rate_limit::{self, Policy};
use crate::{Error, Services, ids, mail, secrets};
use chrono::Duration;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

/// What a sign-in link carries; only its hash is stored.
pub const LINK_TOKEN_PREFIX: &str = "hd_signin_";
/// One address may belong to several sandbox profiles (one per principal that made one).
const MAX_PROFILES_PER_EMAIL: usize = 5;
/// How many profiles of one address are looked at to find its live ones.
const PROFILES_CONSIDERED: u64 = 100;
const REQUESTS_PER_EMAIL_PER_HOUR: u32 = 5;

/// Emails a one-time sign-in link to each talent profile with this address (compared without
/// case). The answer is the same whether or not a profile uses it, and so is the work behind
/// it (the limits, then one queued job that looks the address up later), so neither the answer
/// nor its timing tells anyone who works here.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn request_sign_in(svc: &Services, email: &str, client_addr: &str) -> Result<(), Error> {
    let email = email.trim();
    if !crate::principals::is_email(email) {
        return Err(Error::validation(
            "Invalid sign-in request",
            vec![format!("/email: {email:?} is not an email address")],
        ));
    }
    let email = email.to_lowercase();
    for (bucket, quota, whose) in [
        (format!("ip:{client_addr}:sign_in"), svc.config.sign_ins_per_hour, "from this network address"),
        (format!("email:{email}:sign_in"), REQUESTS_PER_EMAIL_PER_HOUR, "for this email address"),
    ] {
        let policy = Policy { name: "sign_in", quota, window_secs: 3600 };
        let message = format!("Too many sign-in requests {whose}: {quota} per hour");
        rate_limit::enforce(&svc.db, &bucket, &policy, &message).await?;
    }

    crate::jobs::enqueue(&svc.db, &crate::jobs::Job::SignInLinks { email }, crate::time::now()).await
}

/// The sign-in job: a link for each talent profile with this address (lower-cased), mailed.
pub async fn mail_sign_in_links(svc: &Services, email: &str) -> Result<(), Error> {
    // The person's own (live) profiles first: sandbox profiles anyone made with this address
    // must not crowd them out (their links go to the principals who made them anyway).
    let mut profiles = talent::Entity::find()
        .filter(Expr::expr(Func::lower(Expr::col(talent::Column::Email))).eq(email))
        .order_by_asc(talent::Column::CreatedAt)
        .limit(PROFILES_CONSIDERED)
        .all(&svc.db)
        .await?;
    profiles.sort_by_key(|p| Mode::parse(&p.mode) != Some(Mode::Live));
    profiles.truncate(MAX_PROFILES_PER_EMAIL);
    if profiles.is_empty() {
        tracing::info!("sign-in requested for an address no talent uses");
        return Ok(());
    }
    let now = crate::time::now();
    let expires_at = now + Duration::minutes(SIGN_IN_LINK_MINUTES);
    let txn = svc.db.begin().await?;
    for profile in &profiles {
        let token = secrets::new_token(LINK_TOKEN_PREFIX);
        sign_in_links::Entity::insert(sign_in_links::ActiveModel {
            id: Set(ids::new_id("sil")),
            talent_id: Set(profile.id.clone()),
            token_hash: Set(secrets::hash_token(&token)),
            created_at: Set(now),
            expires_at: Set(expires_at),
            used_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await?;
        // The token travels in the query string: request logs record only the path.
        let link = format!("{}/portal/sign_in/complete?token={token}", svc.config.public_url.trim_end_matches('/'));
        mail::enqueue(
            &txn,
            mail::Recipient {
                address: profile.email.clone(),
                talent_id: Some(profile.id.clone()),
                ..Default::default()
            },
            mail::templates::sign_in_link(profile, &link, SIGN_IN_LINK_MINUTES, expires_at),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// A talent signed in: who, and the session generation the session is of.
pub struct SignedIn {
    pub talent: PortalTalent,
    pub generation: i32,
}

/// Spends a sign-in link: the first use within its lifetime wins, every other is refused.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn complete_sign_in(svc: &Services, token: &str) -> Result<SignedIn, Error> {
    let refused = || Error::auth("This sign-in link is unknown, already used or expired: ask for a new one");
    let token = token.trim();
    if !token.starts_with(LINK_TOKEN_PREFIX) {
        return Err(refused());
    }
    let hash = secrets::hash_token(token);
    let now = crate::time::now();
    let spent = sign_in_links::Entity::update_many()
        .col_expr(sign_in_links::Column::UsedAt, Expr::value(Some(now)))
        .filter(sign_in_links::Column::TokenHash.eq(&hash))
        .filter(sign_in_links::Column::UsedAt.is_null())
        .filter(sign_in_links::Column::ExpiresAt.gt(now))
        .exec(&svc.db)
        .await?;
    if spent.rows_affected != 1 {
        return Err(refused());
    }
    let link = sign_in_links::Entity::find()
        .filter(sign_in_links::Column::TokenHash.eq(&hash))
        .one(&svc.db)
        .await?
        .ok_or_else(refused)?;
    let profile = talent::Entity::find_by_id(link.talent_id).one(&svc.db).await?.ok_or_else(refused)?;
    Ok(SignedIn { generation: profile.session_generation, talent: portal_view(profile) })
}

/// Signs a talent in with a passkey: the ceremony [`crate::passkeys::start_sign_in`] began,
/// finished with the browser's answer. A principal's passkey does not sign in to the portal.
pub async fn passkey_sign_in(svc: &Services, state: Option<&str>, credential: &str) -> Result<SignedIn, Error> {
    match crate::passkeys::finish_sign_in(svc, state, credential).await? {
        crate::passkeys::Owner::Talent(id) => {
            let profile = talent::Entity::find_by_id(id)
                .one(&svc.db)
                .await?
                .ok_or_else(|| Error::auth("Passkey sign-in refused: this passkey's profile no longer exists"))?;
            Ok(SignedIn { generation: profile.session_generation, talent: portal_view(profile) })
        }
        crate::passkeys::Owner::Principal(_) => {
            Err(Error::auth("This passkey signs in to the dashboard, not to the talent portal"))
        }
    }
}

fn portal_view(t: talent::Model) -> PortalTalent {
    PortalTalent { talent_id: t.id, name: t.name, mode: t.mode }
}

/// The talent behind a portal session, or `None` when the profile no longer exists.
pub async fn portal_talent(svc: &Services, talent_id: &str) -> Result<Option<PortalTalent>, Error> {
    Ok(talent::Entity::find_by_id(talent_id.to_owned()).one(&svc.db).await?.map(portal_view))
}

/// A portal session's talent as a caller of the services; `None` when the profile is gone or
/// the talent signed out everywhere after this session began (it is of an older generation).
pub async fn session_caller(
    svc: &Services,
    talent_id: &str,
    generation: i32,
    request_id: Option<String>,
) -> Result<Option<Caller>, Error> {
    let Some(t) = talent::Entity::find_by_id(talent_id.to_owned()).one(&svc.db).await? else {
        return Ok(None);
    };
    if t.session_generation != generation {
        return Ok(None);
    }
    let mode = Mode::parse(&t.mode).ok_or_else(|| Error::internal(format!("talent {} has no mode", t.id)))?;
    Ok(Some(Caller::talent(t.id, mode).with_request_id(request_id)))
}

/// Deletes sign-in links that can no longer be used (spent or expired).
pub async fn sweep(db: &sea_orm::DatabaseConnection) -> Result<u64, Error> {
    use sea_orm::sea_query::Condition;
    let now = crate::time::now();
    Ok(sign_in_links::Entity::delete_many()
        .filter(
            Condition::any()
                .add(sign_in_links::Column::ExpiresAt.lte(now))
                .add(sign_in_links::Column::UsedAt.is_not_null()),
        )
        .exec(db)
        .await?
        .rows_affected)
}
