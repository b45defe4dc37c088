use super::PortalHome;
use crate::caller::Caller;
use crate::entities::{quote_requests, quotes, tasks};
use crate::{Error, Services};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;

/// The portal shows this many of the newest invitations.
const INVITATIONS_SHOWN: u64 = 50;

/// A signed-in talent's start page: who they are and the jobs they were invited to quote on.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn home(svc: &Services, caller: &Caller) -> Result<PortalHome, Error> {
    let talent_id = caller.talent_id()?;
    let talent = super::portal_talent(svc, talent_id).await?.ok_or_else(|| Error::not_found("Talent"))?;
    let zone =
        crate::entities::talent::Entity::find_by_id(talent_id.to_owned()).one(&svc.db).await?.and_then(|t| t.time_zone);
    let invitations = quote_requests::Entity::find()
        .filter(quote_requests::Column::TalentId.eq(talent_id))
        .order_by_desc(quote_requests::Column::CreatedAt)
        .limit(INVITATIONS_SHOWN)
        .all(&svc.db)
        .await?;
    let task_ids: Vec<String> = invitations.iter().map(|i| i.task_id.clone()).collect();
    let tasks: HashMap<String, tasks::Model> = tasks::Entity::find()
        .filter(tasks::Column::Id.is_in(task_ids.clone()))
        .all(&svc.db)
        .await?
        .into_iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    // The newest quote per task is the one that counts.
    let mut latest: HashMap<String, quotes::Model> = HashMap::new();
    for q in quotes::Entity::find()
        .filter(quotes::Column::TalentId.eq(talent_id))
        .filter(quotes::Column::TaskId.is_in(task_ids))
        .order_by_asc(quotes::Column::CreatedAt)
        .all(&svc.db)
        .await?
    {
        latest.insert(q.task_id.clone(), q);
    }
    let invitations = invitations
        .into_iter()
        .filter_map(|i| {
            let task = tasks.get(&i.task_id)?;
            Some(super::invitation::summary(&i, task, latest.get(&task.id), zone.as_deref()))
        })
        .collect();
    let bookings = super::bookings_of(svc, talent_id).await?;
    let has_passkey = !crate::passkeys::list(svc, caller).await?.is_empty();
    Ok(PortalHome { talent, invitations, bookings, has_passkey })
}
