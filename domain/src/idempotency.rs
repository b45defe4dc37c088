//! `Idempotency-Key` on every `/v1` POST (Stripe's semantics): the first request with a key
//! runs and its response is stored for 24 hours; the same key with the same request replays
//! that response; the same key with another request is 409 `CONFLICT_IDEMPOTENCY`; the same
//! key while the first request still runs is 409 with `Retry-After`. Keys are per principal.

use crate::entities::idempotency_keys;
use crate::{Error, ErrorCode};
use chrono::{Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, sea_query::OnConflict};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// How long a stored response is replayed.
pub const RETENTION_HOURS: i64 = 24;
/// A request still "running" after this long has crashed; the next retry takes over.
const STALE_AFTER_SECS: i64 = 60;

pub enum Begin {
    /// First use of the key: run the request, then [`complete`] or [`abandon`].
    Proceed,
    /// The stored response of the first request.
    Replay { status: u16, headers: Vec<(String, String)>, body: String },
}

/// Checks the key's syntax: 1–255 printable ASCII characters.
pub fn check_key(key: &str) -> Result<(), Error> {
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(Error::validation(
            "Invalid Idempotency-Key header",
            vec!["Idempotency-Key: must be 1–255 printable ASCII characters without spaces".into()],
        ));
    }
    Ok(())
}

/// A fingerprint of the request. JSON bodies are compared by content, not by spelling: key
/// order and whitespace do not make two requests different.
pub fn request_hash(method: &str, path: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => hasher.update(canonical(&value).as_bytes()),
        Err(_) => hasher.update(body),
    }
    hex::encode(hasher.finalize())
}

fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            let inner: Vec<String> =
                entries.into_iter().map(|(k, v)| format!("{}:{}", Value::String(k.clone()), canonical(v))).collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

/// Claims `key` for this request, or says what to answer instead.
pub async fn begin(db: &DatabaseConnection, principal_id: &str, key: &str, hash: &str) -> Result<Begin, Error> {
    for _ in 0..3 {
        let now = crate::time::now();
        let inserted = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
            principal_id: Set(principal_id.to_owned()),
            idempotency_key: Set(key.to_owned()),
            request_hash: Set(hash.to_owned()),
            state: Set("in_progress".to_owned()),
            response_status: Set(None),
            response_body: Set(None),
            response_headers: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .on_conflict(
            OnConflict::columns([idempotency_keys::Column::PrincipalId, idempotency_keys::Column::IdempotencyKey])
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
        if inserted == 1 {
            return Ok(Begin::Proceed);
        }
        let this = || {
            idempotency_keys::Entity::find()
                .filter(idempotency_keys::Column::PrincipalId.eq(principal_id))
                .filter(idempotency_keys::Column::IdempotencyKey.eq(key))
        };
        let Some(row) = this().one(db).await? else { continue };
        if row.created_at < now - Duration::hours(RETENTION_HOURS) {
            idempotency_keys::Entity::delete_many()
                .filter(idempotency_keys::Column::PrincipalId.eq(principal_id))
                .filter(idempotency_keys::Column::IdempotencyKey.eq(key))
                .filter(idempotency_keys::Column::CreatedAt.eq(row.created_at))
                .exec(db)
                .await?;
            continue;
        }
        if row.request_hash != hash {
            return Err(Error::new(
                ErrorCode::ConflictIdempotency,
                "This Idempotency-Key was already used with a different request",
            )
            .with_details(json!({ "idempotency_key": key })));
        }
        if row.state == "done" {
            let status = row.response_status.and_then(|s| u16::try_from(s).ok()).unwrap_or(200);
            let headers = row
                .response_headers
                .and_then(|h| serde_json::from_value::<Vec<(String, String)>>(h).ok())
                .unwrap_or_default();
            return Ok(Begin::Replay { status, headers, body: row.response_body.unwrap_or_default() });
        }
        if row.updated_at < now - Duration::seconds(STALE_AFTER_SECS) {
            // The first request died without an answer; this retry takes the key over.
            let taken = idempotency_keys::Entity::update_many()
                .col_expr(idempotency_keys::Column::UpdatedAt, sea_orm::sea_query::Expr::value(now))
                .filter(idempotency_keys::Column::PrincipalId.eq(principal_id))
                .filter(idempotency_keys::Column::IdempotencyKey.eq(key))
                .filter(idempotency_keys::Column::UpdatedAt.eq(row.updated_at))
                .exec(db)
                .await?;
            if taken.rows_affected == 1 {
                return Ok(Begin::Proceed);
            }
        }
        return Err(Error::new(
            ErrorCode::ConflictIdempotency,
            "A request with this Idempotency-Key is still being processed; retry after a moment",
        )
        .with_details(json!({ "idempotency_key": key, "current_status": "in_progress" }))
        .with_retry_after(1));
    }
    Err(Error::new(ErrorCode::ConflictIdempotency, "This Idempotency-Key is contended; retry after a moment")
        .with_retry_after(1))
}

/// Stores the response to replay: status, headers and body.
pub async fn complete(
    db: &DatabaseConnection,
    principal_id: &str,
    key: &str,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
) -> Result<(), Error> {
    idempotency_keys::Entity::update_many()
        .col_expr(idempotency_keys::Column::ResponseHeaders, sea_orm::sea_query::Expr::value(json!(headers)))
        .col_expr(idempotency_keys::Column::State, sea_orm::sea_query::Expr::value("done"))
        .col_expr(idempotency_keys::Column::ResponseStatus, sea_orm::sea_query::Expr::value(i32::from(status)))
        .col_expr(idempotency_keys::Column::ResponseBody, sea_orm::sea_query::Expr::value(body))
        .col_expr(idempotency_keys::Column::UpdatedAt, sea_orm::sea_query::Expr::value(crate::time::now()))
        .filter(idempotency_keys::Column::PrincipalId.eq(principal_id))
        .filter(idempotency_keys::Column::IdempotencyKey.eq(key))
        .exec(db)
        .await?;
    Ok(())
}

/// Releases the key without storing a response (the request failed on our side or was not
/// run), so that a retry runs it.
pub async fn abandon(db: &DatabaseConnection, principal_id: &str, key: &str) -> Result<(), Error> {
    idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::PrincipalId.eq(principal_id))
        .filter(idempotency_keys::Column::IdempotencyKey.eq(key))
        .filter(idempotency_keys::Column::State.eq("in_progress"))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes keys past their retention.
pub async fn sweep(db: &DatabaseConnection) -> Result<u64, Error> {
    let cutoff = Utc::now() - Duration::hours(RETENTION_HOURS);
    let result =
        idempotency_keys::Entity::delete_many().filter(idempotency_keys::Column::CreatedAt.lt(cutoff)).exec(db).await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_bodies_are_compared_by_content() {
        let a = request_hash("POST", "/v1/tasks", br#"{"a": 1, "b": {"c": [1, 2]}}"#);
        let b = request_hash("POST", "/v1/tasks", br#"{"b":{"c":[1,2]},"a":1}"#);
        let c = request_hash("POST", "/v1/tasks", br#"{"a": 2, "b": {"c": [1, 2]}}"#);
        let d = request_hash("POST", "/v1/other", br#"{"a": 1, "b": {"c": [1, 2]}}"#);
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn keys_are_printable_ascii() {
        assert!(check_key("order-42_retry.1").is_ok());
        assert!(check_key("").is_err());
        assert!(check_key("has space").is_err());
        assert!(check_key(&"k".repeat(256)).is_err());
        assert!(check_key("ключ").is_err());
    }
}
