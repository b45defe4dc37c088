use super::{PortalTalent, SIGN_IN_LINK_MINUTES};
use crate::caller::Caller;
use crate::entities::talent;
use crate::principals::Mode;
use crate::rate_limit::{self, Policy};
use crate::sign_in_links as links;
use crate::{Error, Services, mail};
use chrono::Duration;
use sea_orm::sea_query::{Expr, Func};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait};

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
    let email = admit_sign_in_request(svc, email, client_addr, "sign_in").await?;
    crate::jobs::enqueue(&svc.db, &crate::jobs::Job::SignInLinks { email }, crate::time::now()).await
}

/// Checks a request for a sign-in link (`bucket`: the portal's or the dashboard's): the address
/// must be one, and neither it nor the network address may have asked too often. Returns the
/// address lower-cased, as accounts are looked up.
pub(crate) async fn admit_sign_in_request(
    svc: &Services,
    email: &str,
    client_addr: &str,
    bucket: &'static str,
) -> Result<String, Error> {
    let email = email.trim();
    if !crate::principals::is_email(email) {
        return Err(Error::validation(
            "Invalid sign-in request",
            vec![format!("/email: {email:?} is not an email address")],
        ));
    }
    let email = email.to_lowercase();
    for (key, quota, whose) in [
        (format!("ip:{client_addr}:{bucket}"), svc.config.sign_ins_per_hour, "from this network address"),
        (format!("email:{email}:{bucket}"), REQUESTS_PER_EMAIL_PER_HOUR, "for this email address"),
    ] {
        let policy = Policy { name: bucket, quota, window_secs: 3600 };
        let message = format!("Too many sign-in requests {whose}: {quota} per hour");
        rate_limit::enforce(&svc.db, &key, &policy, &message).await?;
    }
    Ok(email)
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
        let link = links::mint(&txn, links::PORTAL, &svc.config.public_url, &profile.id, now, expires_at).await?;
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
    let talent_id = links::spend(&svc.db, links::PORTAL, token).await?.ok_or_else(refused)?;
    let profile = talent::Entity::find_by_id(talent_id).one(&svc.db).await?.ok_or_else(refused)?;
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

/// Deletes portal sign-in links that can no longer be used (spent or expired).
pub async fn sweep(db: &sea_orm::DatabaseConnection) -> Result<u64, Error> {
    links::sweep(db, links::PORTAL).await
}
