use crate::caller::{PrincipalCaller, TalentCaller};
use crate::entities::{api_keys, principals, talent};
use crate::principals::Mode;
use crate::{Error, Services, secrets};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// A resolved bearer token.
#[derive(Debug, Clone, PartialEq)]
pub enum Actor {
    Principal(PrincipalCaller),
    Talent(TalentCaller),
}

/// `last_used_at` is refreshed at most this often, so reads stay reads.
const LAST_USED_GRANULARITY_SECS: i64 = 60;

/// Resolves an `Authorization` header value. Missing, malformed, unknown and revoked tokens
/// are all 401 `AUTH_SCOPE_DENIED`, each with its own message.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn authenticate(
    svc: &Services,
    authorization: Option<&str>,
    request_id: Option<String>,
) -> Result<Actor, Error> {
    let header = authorization.ok_or_else(|| Error::auth("Missing `Authorization: Bearer <api key>` header"))?;
    let token = header
        .strip_prefix("Bearer ")
        .or_else(|| header.strip_prefix("bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::auth("Malformed Authorization header: expected `Bearer <api key>`"))?;
    if token.starts_with(crate::talent::TOKEN_PREFIX) {
        return authenticate_talent(svc, token, request_id).await;
    }
    let mode = if token.starts_with(Mode::Sandbox.key_prefix()) {
        Mode::Sandbox
    } else if token.starts_with(Mode::Live.key_prefix()) {
        Mode::Live
    } else {
        return Err(Error::auth("Malformed token: expected an hd_test_…, hd_live_… or hd_talent_… token"));
    };

    let hash = secrets::hash_token(token);
    let found = api_keys::Entity::find()
        .filter(api_keys::Column::KeyHash.eq(&hash))
        .find_also_related(principals::Entity)
        .one(&svc.db)
        .await?;
    let (key, principal) = match found {
        Some((key, Some(principal))) if secrets::token_matches(token, &key.key_hash) => (key, principal),
        _ => return Err(Error::auth("Unknown API key")),
    };
    if key.revoked_at.is_some() {
        return Err(Error::auth("This API key has been revoked"));
    }
    if Mode::parse(&principal.mode) != Some(mode) {
        return Err(Error::auth("Unknown API key"));
    }

    let now = crate::time::now();
    let stale = key.last_used_at.is_none_or(|t| (now - t).num_seconds() >= LAST_USED_GRANULARITY_SECS);
    if stale {
        api_keys::Entity::update(api_keys::ActiveModel {
            id: Set(key.id.clone()),
            last_used_at: Set(Some(now)),
            ..Default::default()
        })
        .exec(&svc.db)
        .await?;
    }
    Ok(Actor::Principal(PrincipalCaller { principal_id: principal.id, mode, api_key_id: Some(key.id), request_id }))
}

async fn authenticate_talent(svc: &Services, token: &str, request_id: Option<String>) -> Result<Actor, Error> {
    let found =
        talent::Entity::find().filter(talent::Column::TokenHash.eq(secrets::hash_token(token))).one(&svc.db).await?;
    match found {
        Some(t) if t.token_hash.as_deref().is_some_and(|h| secrets::token_matches(token, h)) => {
            let mode = Mode::parse(&t.mode).ok_or_else(|| Error::internal(format!("talent {} has no mode", t.id)))?;
            Ok(Actor::Talent(TalentCaller { talent_id: t.id, mode, request_id }))
        }
        _ => Err(Error::auth("Unknown talent token")),
    }
}
