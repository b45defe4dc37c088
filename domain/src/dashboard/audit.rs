//! The dashboard's audit log: the same rows as `GET /v1/audit`, with more filters.

use super::{AUDIT_PER_PAGE, AuditPage};
use crate::audit::AuditSearch;
use crate::caller::Caller;
use crate::pagination::PageQuery;
use crate::{Error, Services};

/// A page of the owner's audit log for `search`, from `cursor` (`None`: the newest).
pub async fn audit_page(
    svc: &Services,
    caller: &Caller,
    search: AuditSearch,
    cursor: Option<String>,
) -> Result<AuditPage, Error> {
    let query = PageQuery { limit: Some(AUDIT_PER_PAGE), cursor: cursor.filter(|c| !c.is_empty()) };
    let page = crate::audit::search(svc, caller, &search, query).await?;
    let (actions, entity_types) = crate::audit::facets(svc, caller).await?;
    Ok(AuditPage { search, entries: page.data, next_cursor: page.next_cursor, actions, entity_types })
}
