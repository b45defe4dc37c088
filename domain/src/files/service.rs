use super::{FileObject, PresignRequest, PresignedUpload};
use crate::caller::{Actor, Caller};
use crate::entities::{files, tasks, work_orders};
use crate::status::{FileAction, FileStatus};
use crate::storage::TooLarge;
use crate::templates;
use crate::transition::transition;
use crate::{Error, ErrorCode, Services, content_types, ids};
use bytes::Bytes;
use chrono::Duration;
use futures::Stream;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;

/// Signed links (upload and download) stay valid this long.
pub const LINK_MINUTES: i64 = 15;
/// The size limit of a file that is not for a work order.
pub const DEFAULT_MAX_MB: u64 = 25;

/// The work order a caller may attach files to (their own booking's, or their principal's).
pub async fn work_order_for(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: &str,
) -> Result<work_orders::Model, Error> {
    let select = work_orders::Entity::find_by_id(id.to_owned());
    let select = match &caller.actor {
        Actor::Principal { principal_id, .. } => select.filter(work_orders::Column::PrincipalId.eq(principal_id)),
        Actor::Talent { talent_id } => select.filter(work_orders::Column::TalentId.eq(talent_id)),
        Actor::System { .. } => select,
    };
    select.one(conn).await?.ok_or_else(|| Error::not_found("Work order"))
}

/// The size limit for a file of `work_order`, from its template.
pub async fn max_bytes(conn: &impl ConnectionTrait, work_order: Option<&work_orders::Model>) -> Result<u64, Error> {
    let Some(wo) = work_order else { return Ok(DEFAULT_MAX_MB * 1024 * 1024) };
    let task =
        tasks::Entity::find_by_id(wo.task_id.clone()).one(conn).await?.ok_or_else(|| Error::not_found("Task"))?;
    Ok(u64::from(templates::of_task(&task)?.rules.max_file_mb) * 1024 * 1024)
}

/// Checks a new file's name, type and size; returns its format name and work order.
pub async fn check_new_file(
    conn: &impl ConnectionTrait,
    owner: &Caller,
    filename: &str,
    content_type: &str,
    size: u64,
    work_order_id: Option<&str>,
) -> Result<(String, Option<work_orders::Model>), Error> {
    let mut errors = Vec::new();
    if !crate::text::fits(filename, 255) || filename.contains(['/', '\\', '\0']) {
        errors.push("/filename: 1–255 characters, no slashes".to_owned());
    }
    let format = content_types::declared(content_type);
    if format.is_none() {
        errors.push(format!("/content_type: {content_type:?} is not taken ({})", content_types::accepted().join(", ")));
    }
    if size == 0 {
        errors.push("/size_bytes: must be at least 1".to_owned());
    }
    if !errors.is_empty() {
        return Err(Error::validation("Invalid file", errors));
    }
    let work_order = match work_order_id {
        Some(id) => Some(work_order_for(conn, owner, id).await?),
        None => None,
    };
    let limit = max_bytes(conn, work_order.as_ref()).await?;
    if size > limit {
        return Err(Error::new(
            ErrorCode::PayloadTooLarge,
            format!("The file is larger than the {} MB allowed", limit / 1024 / 1024),
        )
        .with_details(json!({ "max_bytes": limit, "size_bytes": size })));
    }
    Ok((format.unwrap_or_default().to_owned(), work_order))
}

pub fn storage_key(file_id: &str) -> String {
    format!("files/{file_id}")
}

/// Creates the file's row, `pending` until its bytes arrive.
pub async fn insert_pending(
    conn: &impl ConnectionTrait,
    id: &str,
    owner: &Caller,
    work_order: Option<&work_orders::Model>,
    filename: &str,
    content_type: &str,
    size: u64,
) -> Result<(), Error> {
    files::Entity::insert(files::ActiveModel {
        id: Set(id.to_owned()),
        owner_type: Set(owner.kind().to_owned()),
        owner_id: Set(owner.party_id().to_owned()),
        principal_id: Set(work_order.map(|w| w.principal_id.clone()).or(match &owner.actor {
            Actor::Principal { principal_id, .. } => Some(principal_id.clone()),
            _ => None,
        })),
        work_order_id: Set(work_order.map(|w| w.id.clone())),
        filename: Set(filename.trim().to_owned()),
        declared_type: Set(content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase()),
        detected_type: Set(None),
        size_bytes: Set(i64::try_from(size).unwrap_or(i64::MAX)),
        sha256: Set(None),
        storage_key: Set(storage_key(id)),
        status: Set(FileStatus::Pending),
        created_at: Set(crate::time::now()),
        completed_at: Set(None),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// `POST /v1/files/presign`: a URL to PUT the file to, once, within 15 minutes.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn presign(svc: &Services, owner: &Caller, request: PresignRequest) -> Result<PresignedUpload, Error> {
    let (_, work_order) = check_new_file(
        &svc.db,
        owner,
        &request.filename,
        &request.content_type,
        request.size_bytes,
        request.work_order_id.as_deref(),
    )
    .await?;
    let id = ids::new_id("file");
    insert_pending(
        &svc.db,
        &id,
        owner,
        work_order.as_ref(),
        &request.filename,
        &request.content_type,
        request.size_bytes,
    )
    .await?;
    let expires_at = crate::time::now() + Duration::minutes(LINK_MINUTES);
    let query = svc.signer.query("upload", &id, expires_at)?;
    let mut headers = std::collections::BTreeMap::new();
    headers.insert("Content-Type".to_owned(), request.content_type.clone());
    Ok(PresignedUpload {
        upload_url: format!("{}/v1/files/{id}/content?{query}", svc.config.public_url.trim_end_matches('/')),
        file_id: id,
        method: "PUT".into(),
        headers,
        expires_at,
    })
}

/// Marks a file ready with the bytes stored at `stored_at`, after checking them against the
/// declared type (a mismatch deletes them and answers 415). Only one set of bytes becomes the
/// file: the move to `ready` is guarded and records where they are; bytes that lose are
/// deleted.
pub async fn complete(
    svc: &Services,
    file: &files::Model,
    stored_at: &str,
    size: u64,
    sha256: Option<String>,
    head: &[u8],
) -> Result<files::Model, Error> {
    let declared = content_types::format_of(&file.declared_type).unwrap_or_default();
    let detected = content_types::sniff(head);
    if !content_types::matches(declared, detected) {
        svc.storage.delete(stored_at).await?;
        transition::<files::Entity>(&svc.db, &file.id, file.status, FileAction::Reject, |u| {
            u.col_expr(files::Column::DetectedType, Expr::value(detected.map(str::to_owned)))
        })
        .await?;
        return Err(Error::new(
            ErrorCode::UnsupportedMediaType,
            format!(
                "The file was declared {} but its content is {}",
                file.declared_type,
                detected.unwrap_or("not a known type")
            ),
        )
        .with_details(json!({ "declared": declared, "detected": detected })));
    }
    let sha256 = match sha256 {
        Some(s) => s,
        None => svc.storage.sha256(stored_at).await?,
    };
    let now = crate::time::now();
    let completed = transition::<files::Entity>(&svc.db, &file.id, file.status, FileAction::Complete, |u| {
        u.col_expr(files::Column::DetectedType, Expr::value(detected.map(str::to_owned)))
            .col_expr(files::Column::SizeBytes, Expr::value(i64::try_from(size).unwrap_or(i64::MAX)))
            .col_expr(files::Column::Sha256, Expr::value(sha256))
            .col_expr(files::Column::StorageKey, Expr::value(stored_at.to_owned()))
            .col_expr(files::Column::CompletedAt, Expr::value(now))
    })
    .await;
    if let Err(e) = completed {
        if stored_at != file.storage_key {
            svc.storage.delete(stored_at).await?;
        }
        return Err(e);
    }
    files::Entity::find_by_id(file.id.clone()).one(&svc.db).await?.ok_or_else(|| Error::not_found("File"))
}

/// The PUT of a presigned upload: exactly the declared bytes, once.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn put_content<S, E>(
    svc: &Services,
    file_id: &str,
    expires: Option<i64>,
    signature: Option<&str>,
    body: S,
) -> Result<FileObject, Error>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    svc.signer.verify("upload", file_id, expires, signature, crate::time::now())?;
    let file =
        files::Entity::find_by_id(file_id.to_owned()).one(&svc.db).await?.ok_or_else(|| Error::not_found("File"))?;
    if file.status != FileStatus::Pending
        || crate::entities::uploads::Entity::find_by_id(file.id.clone()).one(&svc.db).await?.is_some()
    {
        return Err(Error::new(ErrorCode::PolicyBlocked, "This upload link was already used")
            .with_details(json!({ "current_status": file.status })));
    }
    let declared = u64::try_from(file.size_bytes).unwrap_or(0);
    // Each PUT writes where no other can: two at once cannot mix, and the one that completes
    // first is the file (the other's bytes are deleted and it is told the link was used).
    let stored_at = format!("{}.{}", file.storage_key, ids::new_id("put"));
    let written = match svc.storage.write_stream(&stored_at, body, declared, false).await? {
        Ok(w) => w,
        Err(TooLarge) => {
            return Err(Error::new(ErrorCode::PayloadTooLarge, format!("More than the {declared} bytes declared")));
        }
    };
    if let Some(why) = written.interrupted {
        return Err(Error::validation("The upload was interrupted", vec![format!("body: {why}")]));
    }
    if written.bytes != declared {
        svc.storage.delete(&stored_at).await?;
        return Err(Error::validation(
            "Size mismatch",
            vec![format!("body: {} bytes arrived, {declared} were declared", written.bytes)],
        ));
    }
    let ready = complete(svc, &file, &stored_at, written.bytes, None, &written.head).await.map_err(|e| {
        if e.code == ErrorCode::PolicyBlocked {
            Error::new(ErrorCode::PolicyBlocked, "This upload link was already used")
                .with_details(json!({ "current_status": FileStatus::Ready }))
        } else {
            e
        }
    })?;
    view(svc, ready)
}

/// A file as the API shows it, with a fresh download link when ready.
pub fn view(svc: &Services, m: files::Model) -> Result<FileObject, Error> {
    let (download_url, download_expires_at) = if m.status == FileStatus::Ready {
        let expires = crate::time::now() + Duration::minutes(LINK_MINUTES);
        let query = svc.signer.query("download", &m.id, expires)?;
        (
            Some(format!("{}/v1/files/{}/download?{query}", svc.config.public_url.trim_end_matches('/'), m.id)),
            Some(expires),
        )
    } else {
        (None, None)
    };
    Ok(FileObject {
        id: m.id,
        filename: m.filename,
        content_type: m.declared_type,
        detected_format: m.detected_type,
        size_bytes: u64::try_from(m.size_bytes).unwrap_or(0),
        sha256: m.sha256,
        status: m.status,
        work_order_id: m.work_order_id,
        download_url,
        download_expires_at,
        created_at: m.created_at,
    })
}

/// A download by signed link: the file's type, name and bytes.
pub async fn download(
    svc: &Services,
    file_id: &str,
    expires: Option<i64>,
    signature: Option<&str>,
) -> Result<(files::Model, u64, impl Stream<Item = Result<Bytes, object_store::Error>> + use<>), Error> {
    svc.signer.verify("download", file_id, expires, signature, crate::time::now())?;
    let file = files::Entity::find_by_id(file_id.to_owned())
        .filter(files::Column::Status.eq(FileStatus::Ready))
        .one(&svc.db)
        .await?
        .ok_or_else(|| Error::not_found("File"))?;
    let (size, stream) = svc.storage.read(&file.storage_key).await?;
    Ok((file, size, stream))
}

/// A file its uploader (or the principal of its work order) may see; anyone else's is not found.
pub(super) async fn visible(svc: &Services, caller: &Caller, id: &str) -> Result<files::Model, Error> {
    let select = files::Entity::find_by_id(id.to_owned());
    let select = match &caller.actor {
        Actor::Talent { talent_id } => {
            select.filter(files::Column::OwnerType.eq("talent")).filter(files::Column::OwnerId.eq(talent_id))
        }
        Actor::Principal { principal_id, .. } => select.filter(files::Column::PrincipalId.eq(principal_id)),
        Actor::System { .. } => return Err(Error::not_found("File")),
    };
    select.one(&svc.db).await?.ok_or_else(|| Error::not_found("File"))
}

/// `GET /v1/files/:id`: a file its uploader (or the principal of its work order) may see.
pub async fn get(svc: &Services, caller: &Caller, id: &str) -> Result<FileObject, Error> {
    view(svc, visible(svc, caller, id).await?)
}
