//! Resumable uploads, tus 1.0: core (HEAD for the offset, PATCH to append), creation (POST),
//! termination (DELETE) and expiration (`Upload-Expires`). Each PATCH's bytes are stored as a
//! part as they arrive, so a phone that drops its connection mid-PATCH keeps what it sent and
//! resumes from the offset HEAD reports. The last byte assembles the file and checks it.

use super::FileObject;
use super::service::{check_new_file, complete, insert_pending, view};
use crate::caller::Caller;
use crate::entities::{files, uploads};
use crate::storage::TooLarge;
use crate::{Error, ErrorCode, Services, ids};
use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use futures::Stream;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use std::collections::HashMap;

pub const VERSION: &str = "1.0.0";
pub const EXTENSIONS: &str = "creation,termination,expiration";
/// An unfinished upload is kept this long.
pub const EXPIRES_HOURS: i64 = 24;

/// Where an upload stands.
#[derive(Debug, Clone, PartialEq)]
pub struct UploadState {
    pub id: String,
    pub offset: u64,
    pub length: u64,
    pub expires_at: DateTime<Utc>,
    /// Set once the last byte has arrived and the file checked out.
    pub file: Option<FileObject>,
}

fn state(row: &uploads::Model) -> UploadState {
    UploadState {
        id: row.id.clone(),
        offset: u64::try_from(row.offset).unwrap_or(0),
        length: u64::try_from(row.length).unwrap_or(0),
        expires_at: row.expires_at,
        file: None,
    }
}

/// Creation: a new upload of `length` bytes, described by its metadata (`filename`,
/// `filetype`, `work_order_id`).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create(
    svc: &Services,
    owner: &Caller,
    length: u64,
    meta: &HashMap<String, String>,
) -> Result<UploadState, Error> {
    let filename = meta.get("filename").or_else(|| meta.get("name")).cloned().unwrap_or_default();
    let filetype = meta
        .get("filetype")
        .or_else(|| meta.get("type"))
        .or_else(|| meta.get("content_type"))
        .cloned()
        .unwrap_or_default();
    let work_order_id = meta.get("work_order_id").filter(|w| !w.is_empty()).cloned();
    let (_, work_order) =
        check_new_file(&svc.db, owner, &filename, &filetype, length, work_order_id.as_deref()).await?;
    let id = ids::new_id("file");
    let now = crate::time::now();
    let expires_at = now + Duration::hours(EXPIRES_HOURS);
    insert_pending(&svc.db, &id, owner, work_order.as_ref(), &filename, &filetype, length).await?;
    let row = uploads::Model {
        id: id.clone(),
        file_id: id.clone(),
        owner_id: owner.party_id().to_owned(),
        length: i64::try_from(length).unwrap_or(i64::MAX),
        offset: 0,
        parts: 0,
        expires_at,
        created_at: now,
    };
    let result = state(&row);
    uploads::Entity::insert(uploads::ActiveModel::from(row)).exec_without_returning(&svc.db).await?;
    Ok(result)
}

async fn find(svc: &Services, owner: &Caller, id: &str) -> Result<uploads::Model, Error> {
    let row = uploads::Entity::find_by_id(id.to_owned())
        .filter(uploads::Column::OwnerId.eq(owner.party_id()))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("Upload"))?;
    if row.expires_at <= crate::time::now() && row.offset < row.length {
        return Err(Error::not_found("Upload (expired)"));
    }
    Ok(row)
}

/// Core HEAD: where the upload stands.
pub async fn head(svc: &Services, owner: &Caller, id: &str) -> Result<UploadState, Error> {
    Ok(state(&find(svc, owner, id).await?))
}

fn part_key(id: &str, offset: u64) -> String {
    format!("uploads/{id}/{offset:020}")
}

/// Core PATCH: appends `body` at `offset`, which must be where the upload stands (409
/// otherwise). Bytes that arrive before the connection drops are kept.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn patch<S, E>(svc: &Services, owner: &Caller, id: &str, offset: u64, body: S) -> Result<UploadState, Error>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let row = find(svc, owner, id).await?;
    let current = u64::try_from(row.offset).unwrap_or(0);
    let length = u64::try_from(row.length).unwrap_or(0);
    if offset != current {
        return Err(Error::new(
            ErrorCode::ConflictIdempotency,
            format!("Upload-Offset {offset} does not match the upload's offset {current}"),
        )
        .with_details(json!({ "current_status": "in_progress", "offset": current })));
    }
    if current >= length {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This upload is already complete")
            .with_details(json!({ "current_status": "complete" })));
    }
    let key = part_key(id, current);
    let written = match svc.storage.write_stream(&key, body, length - current, true).await? {
        Ok(w) => w,
        Err(TooLarge) => return Err(Error::new(ErrorCode::PayloadTooLarge, "More bytes than Upload-Length")),
    };
    if let Some(why) = &written.interrupted {
        tracing::info!(upload = id, received = written.bytes, "upload interrupted: {why}");
    }
    if written.bytes == 0 {
        svc.storage.delete(&key).await?;
        return Ok(state(&row));
    }
    let new_offset = current + written.bytes;
    let moved = uploads::Entity::update_many()
        .col_expr(uploads::Column::Offset, Expr::value(i64::try_from(new_offset).unwrap_or(i64::MAX)))
        .col_expr(uploads::Column::Parts, Expr::col(uploads::Column::Parts).add(1))
        .filter(uploads::Column::Id.eq(id))
        .filter(uploads::Column::Offset.eq(row.offset))
        .exec(&svc.db)
        .await?;
    if moved.rows_affected != 1 {
        svc.storage.delete(&key).await?;
        return Err(Error::new(ErrorCode::ConflictIdempotency, "Another PATCH moved this upload first")
            .with_details(json!({ "current_status": "in_progress" })));
    }
    let mut result = UploadState { offset: new_offset, ..state(&row) };
    if new_offset == length {
        result.file = Some(assemble(svc, id).await?);
    }
    Ok(result)
}

/// Joins the parts into the file and checks it.
async fn assemble(svc: &Services, id: &str) -> Result<FileObject, Error> {
    let file = files::Entity::find_by_id(id.to_owned()).one(&svc.db).await?.ok_or_else(|| Error::not_found("File"))?;
    let parts = part_offsets(svc, id).await?;
    let (size, sha256, head) = svc.storage.concat(&parts, &file.storage_key).await?;
    for part in &parts {
        svc.storage.delete(part).await?;
    }
    let ready = complete(svc, &file, &file.storage_key, size, Some(sha256), &head).await;
    if ready.is_err() {
        uploads::Entity::delete_by_id(id.to_owned()).exec(&svc.db).await?;
    }
    view(svc, ready?)
}

/// The part keys of an upload in order, rebuilt from the offsets its PATCHes started at.
async fn part_offsets(svc: &Services, id: &str) -> Result<Vec<String>, Error> {
    // Parts are named by their starting offset; walk them from 0 using each part's size.
    let row =
        uploads::Entity::find_by_id(id.to_owned()).one(&svc.db).await?.ok_or_else(|| Error::not_found("Upload"))?;
    let length = u64::try_from(row.length).unwrap_or(0);
    let mut keys = Vec::new();
    let mut offset = 0u64;
    while offset < length {
        let key = part_key(id, offset);
        let size = svc.storage.size(&key).await?;
        if size == 0 {
            return Err(Error::internal(format!("upload {id}: empty part at {offset}")));
        }
        keys.push(key);
        offset += size;
    }
    Ok(keys)
}

/// Termination: drops an upload and whatever it stored.
pub async fn terminate(svc: &Services, owner: &Caller, id: &str) -> Result<(), Error> {
    let row = find(svc, owner, id).await?;
    if row.offset >= row.length {
        return Err(Error::new(ErrorCode::PolicyBlocked, "A completed upload is a file now; it cannot be terminated")
            .with_details(json!({ "current_status": "complete" })));
    }
    discard(svc, &row).await
}

/// Deletes an unfinished upload's parts, its row and its file's row.
async fn discard(svc: &Services, row: &uploads::Model) -> Result<(), Error> {
    let current = u64::try_from(row.offset).unwrap_or(0);
    let mut offset = 0u64;
    while offset < current {
        let key = part_key(&row.id, offset);
        let size = svc.storage.size(&key).await.unwrap_or(0);
        svc.storage.delete(&key).await?;
        if size == 0 {
            break;
        }
        offset += size;
    }
    uploads::Entity::delete_by_id(row.id.clone()).exec(&svc.db).await?;
    files::Entity::delete_by_id(row.id.clone()).exec(&svc.db).await?;
    Ok(())
}

/// Deletes unfinished uploads past their expiry, with their parts. Returns how many.
pub async fn sweep_expired(svc: &Services) -> Result<u64, Error> {
    let expired = uploads::Entity::find()
        .filter(uploads::Column::ExpiresAt.lte(crate::time::now()))
        .filter(Expr::col(uploads::Column::Offset).lt(Expr::col(uploads::Column::Length)))
        .all(&svc.db)
        .await?;
    let mut removed = 0;
    for row in expired {
        discard(svc, &row).await?;
        removed += 1;
    }
    Ok(removed)
}
