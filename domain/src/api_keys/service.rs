use super::{ApiKey, ApiKeyList, CreateApiKeyRequest, CreatedApiKey};
use crate::caller::Caller;
use crate::entities::{api_keys, principals};
use crate::{Error, ErrorCode, Services, audit, ids, secrets};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use serde_json::json;

impl From<api_keys::Model> for ApiKey {
    fn from(m: api_keys::Model) -> Self {
        ApiKey {
            id: m.id,
            name: m.name,
            prefix: m.prefix,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            revoked_at: m.revoked_at,
        }
    }
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(svc: &Services, caller: &Caller, request: CreateApiKeyRequest) -> Result<CreatedApiKey, Error> {
    let principal_id = caller.principal_id()?;
    let name = request.name.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty());
    if name.as_ref().is_some_and(|n| n.chars().count() > 100) {
        return Err(Error::validation("Invalid API key", vec!["/name: must be at most 100 characters".into()]));
    }
    let id = ids::new_id("key");
    let token = secrets::new_token(caller.mode.key_prefix());
    let now = crate::time::now();
    let txn = svc.db.begin().await?;
    api_keys::Entity::insert(api_keys::ActiveModel {
        id: Set(id.clone()),
        principal_id: Set(principal_id.to_owned()),
        name: Set(name.clone()),
        prefix: Set(secrets::display_prefix(&token)),
        key_hash: Set(secrets::hash_token(&token)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    })
    .exec_without_returning(&txn)
    .await?;
    audit::record(&txn, caller, principal_id, "api_key.created", "api_key", &id, json!({ "name": name })).await?;
    txn.commit().await?;
    Ok(CreatedApiKey { id, name, prefix: secrets::display_prefix(&token), created_at: now, api_key: token })
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn list(svc: &Services, caller: &Caller) -> Result<ApiKeyList, Error> {
    let principal_id = caller.principal_id()?;
    let rows = api_keys::Entity::find()
        .filter(api_keys::Column::PrincipalId.eq(principal_id))
        .order_by_asc(api_keys::Column::Id)
        .all(&svc.db)
        .await?;
    Ok(ApiKeyList { data: rows.into_iter().map(ApiKey::from).collect() })
}

/// Revokes one of the caller's keys. The last active key cannot be revoked: that would lock
/// the account out of the API.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn revoke(svc: &Services, caller: &Caller, key_id: &str) -> Result<ApiKey, Error> {
    let principal_id = caller.principal_id()?;
    let txn = svc.db.begin().await?;
    // One revocation per account at a time (PostgreSQL holds the row until commit), so two at
    // once cannot each see another active key and together revoke the last one.
    principals::Entity::find_by_id(principal_id.to_owned()).lock_exclusive().one(&txn).await?;
    let key = api_keys::Entity::find_by_id(key_id.to_owned())
        .filter(api_keys::Column::PrincipalId.eq(principal_id))
        .one(&txn)
        .await?
        .ok_or_else(|| Error::not_found("API key"))?;
    if key.revoked_at.is_some() {
        return Ok(key.into());
    }
    let active = api_keys::Entity::find()
        .filter(api_keys::Column::PrincipalId.eq(principal_id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .count(&txn)
        .await?;
    if active <= 1 {
        return Err(Error::new(
            ErrorCode::PolicyBlocked,
            "This is the account's last active API key; create another first",
        )
        .with_details(json!({ "current_status": "active", "active_keys": active })));
    }
    let mut model: api_keys::ActiveModel = key.into();
    model.revoked_at = Set(Some(crate::time::now()));
    let key = model.update(&txn).await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "api_key.revoked",
        "api_key",
        key_id,
        json!({ "revoked_at": key.revoked_at }),
    )
    .await?;
    txn.commit().await?;
    Ok(key.into())
}
