use crate::caller::Caller;
use crate::entities::{api_keys, principals, talent};
use crate::principals::Mode;
use crate::{Error, Services, secrets};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};

/// `last_used_at` is refreshed at most this often, so reads stay reads.
const LAST_USED_GRANULARITY_SECS: i64 = 60;

/// Resolves a bearer token (an API key or a talent token) to its caller. Unknown, revoked and
/// malformed tokens are all 401 `AUTH_SCOPE_DENIED`, each with its own message.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn resolve_token(svc: &Services, token: &str, request_id: Option<String>) -> Result<Caller, Error> {
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
    Ok(Caller::principal(principal.id, Some(key.id), mode).with_request_id(request_id))
}

async fn authenticate_talent(svc: &Services, token: &str, request_id: Option<String>) -> Result<Caller, Error> {
    let found =
        talent::Entity::find().filter(talent::Column::TokenHash.eq(secrets::hash_token(token))).one(&svc.db).await?;
    match found {
        Some(t) if t.token_hash.as_deref().is_some_and(|h| secrets::token_matches(token, h)) => {
            let mode = Mode::parse(&t.mode).ok_or_else(|| Error::internal(format!("talent {} has no mode", t.id)))?;
            Ok(Caller::talent(t.id, mode).with_request_id(request_id))
        }
        _ => Err(Error::auth("Unknown talent token")),
    }
}
