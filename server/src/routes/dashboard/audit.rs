//! `GET /dashboard/audit.csv`: the signed-in account's audit log, narrowed by the same filters
//! as the dashboard's page (`?entity_type=&entity_id=&action=&actor_type=&from=&to=`), as a CSV
//! file, newest first. Streamed a page of rows at a time, so a long log never sits in memory;
//! rows written while the file is read are newer than its first and are left out of it.

use crate::{auth::Principal, error::ApiError, extract::ApiQuery, state::AppState};
use axum::{
    body::Body,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
};
use domain::{Error, Services, audit::AuditSearch, caller::Caller, pagination::PageQuery};
use futures::StreamExt;

/// Rows read per query.
const BATCH: i64 = domain::pagination::MAX_LIMIT as i64;

pub async fn csv(
    State(state): State<AppState>,
    Principal(caller): Principal,
    ApiQuery(search): ApiQuery<AuditSearch>,
) -> Result<Response, ApiError> {
    let services = state.services.clone();
    // The first page is read before answering: a filter the API refuses is its 400, not a
    // broken file.
    let first =
        domain::audit::search(&services, &caller, &search, PageQuery { limit: Some(BATCH), cursor: None }).await?;
    let head = domain::audit::csv(&first.data, true)?;
    let name = format!("audit-{}-{}.csv", caller.principal_id()?, domain::time::now().format("%Y-%m-%d"));
    let rest = Rest { services, caller, search, cursor: first.next_cursor };
    // Fused: the compression layer polls once more after the end, which `unfold` must not see.
    let body =
        futures::stream::once(async move { Ok::<_, Error>(head) }).chain(futures::stream::unfold(rest, next)).fuse();
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        Body::from_stream(body),
    )
        .into_response())
}

/// What is left to write.
struct Rest {
    services: Services,
    caller: Caller,
    search: AuditSearch,
    cursor: Option<String>,
}

async fn next(mut rest: Rest) -> Option<(Result<Vec<u8>, Error>, Rest)> {
    let cursor = rest.cursor.take()?;
    let query = PageQuery { limit: Some(BATCH), cursor: Some(cursor) };
    match domain::audit::search(&rest.services, &rest.caller, &rest.search, query).await {
        Ok(page) => {
            rest.cursor = page.next_cursor;
            Some((domain::audit::csv(&page.data, false), rest))
        }
        // The file ends short and the download fails, rather than looking complete.
        Err(e) => {
            tracing::warn!("exporting the audit log: {e}");
            Some((Err(e), rest))
        }
    }
}
