use super::{PortalProfile, ProfileForm, TaskTypeChoice};
use crate::caller::Caller;
use crate::entities::talent;
use crate::talent::{GeoPoint, ProfileFields, TOKEN_PREFIX};
use crate::templates::TaskType;
use crate::{Error, Services, audit, secrets};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde_json::json;

async fn own(db: &impl ConnectionTrait, caller: &Caller) -> Result<talent::Model, Error> {
    let talent_id = caller.talent_id()?;
    talent::Entity::find_by_id(talent_id.to_owned()).one(db).await?.ok_or_else(|| Error::not_found("Talent"))
}

/// Audited for the principal a sandbox talent belongs to; a live talent belongs to no principal
/// and their own changes are in no principal's log.
async fn audit_own(
    db: &impl ConnectionTrait,
    caller: &Caller,
    model: &talent::Model,
    action: &str,
    summary: serde_json::Value,
) -> Result<(), Error> {
    match &model.owner_principal_id {
        Some(owner) => audit::record(db, caller, owner, action, "talent", &model.id, summary).await,
        None => Ok(()),
    }
}

fn view(model: &talent::Model, passkeys: Vec<crate::passkeys::SavedPasskey>) -> Result<PortalProfile, Error> {
    let public = crate::talent::TalentProfile::try_from(model)?;
    Ok(PortalProfile {
        talent_id: model.id.clone(),
        name: model.name.clone(),
        email: model.email.clone(),
        mode: model.mode.clone(),
        skills: public.skills,
        task_types: public.task_types,
        home: GeoPoint { lat: model.home_lat, lng: model.home_lng },
        home_area: public.home_area,
        travel_radius_km: public.travel_radius_km,
        portfolio_links: public.portfolio_links,
        time_zone: model.time_zone.clone(),
        has_token: model.token_hash.is_some(),
        passkeys,
        task_type_choices: TaskType::ALL
            .into_iter()
            .map(|t| TaskTypeChoice { task_type: t, name: crate::templates::get(t).name.clone() })
            .collect(),
    })
}

/// The time zone the talent's pages are written in (`None`: UTC).
pub(super) async fn time_zone_of(db: &impl ConnectionTrait, talent_id: &str) -> Result<Option<String>, Error> {
    Ok(talent::Entity::find_by_id(talent_id.to_owned()).one(db).await?.and_then(|t| t.time_zone))
}

/// The signed-in talent's own profile, with what principals see of it.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn profile(svc: &Services, caller: &Caller) -> Result<PortalProfile, Error> {
    view(&own(&svc.db, caller).await?, crate::passkeys::list(svc, caller).await?)
}

/// Items of a list typed into one box: one per line or separated by commas, blanks dropped.
fn items(text: &str, commas: bool) -> Vec<String> {
    text.split(|c| c == '\n' || (commas && c == ','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An IANA time zone name (`America/Toronto`), or why not.
pub fn time_zone(text: &str) -> Result<chrono_tz::Tz, String> {
    text.parse::<chrono_tz::Tz>()
        .map_err(|_| format!("/time_zone: {text:?} is not a time zone: use a name such as America/Toronto"))
}

impl ProfileForm {
    fn number(errors: &mut Vec<String>, name: &str, text: &str) -> Option<f64> {
        match text.trim() {
            "" => {
                errors.push(format!("/{name}: required"));
                None
            }
            t => t.parse::<f64>().ok().filter(|n| n.is_finite()).or_else(|| {
                errors.push(format!("/{name}: {t:?} is not a number"));
                None
            }),
        }
    }

    /// The profile the form describes, judged as the API judges a talent profile.
    fn read(&self) -> Result<talent::ActiveModel, Error> {
        let mut errors = Vec::new();
        let lat = Self::number(&mut errors, "home_lat", &self.home_lat);
        let lng = Self::number(&mut errors, "home_lng", &self.home_lng);
        let radius = match self.travel_radius_km.trim() {
            "" => {
                errors.push("/travel_radius_km: required".to_owned());
                None
            }
            t => t.parse::<i64>().ok().or_else(|| {
                errors.push(format!("/travel_radius_km: {t:?} is not a whole number of kilometres"));
                None
            }),
        };
        let mut task_types = Vec::new();
        for (i, given) in self.task_types.iter().flatten().enumerate() {
            match TaskType::parse(given) {
                Some(t) => task_types.push(t),
                None => errors.push(format!("/task_types/{i}: {given:?} is not a task type")),
            }
        }
        if task_types.is_empty() {
            errors.push("/task_types: choose at least one kind of job".to_owned());
        }
        let zone = match self.time_zone.trim() {
            "" => None,
            t => match time_zone(t) {
                Ok(z) => Some(z.name().to_owned()),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
        };
        let name = crate::text::tidy(&self.name);
        let skills = items(&self.skills, true);
        let links = items(&self.portfolio_links, false);
        if let (Some(lat), Some(lng), Some(radius)) = (lat, lng, radius) {
            errors.extend(crate::talent::profile_problems(&ProfileFields {
                name: Some(&self.name),
                skills: &skills,
                home: GeoPoint { lat, lng },
                travel_radius_km: radius,
                portfolio_links: &links,
            }));
            if errors.is_empty() {
                return Ok(talent::ActiveModel {
                    name: Set(name),
                    skills: Set(json!(crate::talent::tidy_skills(&skills))),
                    task_types: Set(json!(task_types)),
                    home_lat: Set(lat),
                    home_lng: Set(lng),
                    travel_radius_km: Set(i32::try_from(radius).map_err(Error::internal)?),
                    portfolio_links: Set(json!(links)),
                    time_zone: Set(zone),
                    ..Default::default()
                });
            }
        }
        Err(Error::validation("Invalid profile", errors))
    }
}

/// The portal's profile form: the talent's own name, skills, task types, home, travel radius,
/// portfolio links and time zone, all replaced at once.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn update_profile(svc: &Services, caller: &Caller, form: &ProfileForm) -> Result<PortalProfile, Error> {
    let mut changes = form.read()?;
    let txn = svc.db.begin().await?;
    let before = own(&txn, caller).await?;
    changes.id = Set(before.id.clone());
    let after = talent::Entity::update(changes).exec(&txn).await?;
    audit_own(&txn, caller, &after, "talent.profile_updated", json!({ "name": after.name })).await?;
    txn.commit().await?;
    view(&after, crate::passkeys::list(svc, caller).await?)
}

/// A new API token for the talent (`hd_talent_…`), returned this once; the old one stops working.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn rotate_token(svc: &Services, caller: &Caller) -> Result<String, Error> {
    let token = secrets::new_token(TOKEN_PREFIX);
    let txn = svc.db.begin().await?;
    let model = own(&txn, caller).await?;
    talent::Entity::update(talent::ActiveModel {
        id: Set(model.id.clone()),
        token_hash: Set(Some(secrets::hash_token(&token))),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    audit_own(&txn, caller, &model, "talent.token_rotated", json!({})).await?;
    txn.commit().await?;
    Ok(token)
}

/// Ends the talent's API token: calls with it are refused until a new one is made.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn revoke_token(svc: &Services, caller: &Caller) -> Result<(), Error> {
    let txn = svc.db.begin().await?;
    let model = own(&txn, caller).await?;
    talent::Entity::update(talent::ActiveModel {
        id: Set(model.id.clone()),
        token_hash: Set(None),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    audit_own(&txn, caller, &model, "talent.token_revoked", json!({})).await?;
    txn.commit().await?;
    Ok(())
}

/// Signs the talent out of every browser: the sessions signed in before this are of an older
/// generation and no longer count.
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn sign_out_everywhere(svc: &Services, caller: &Caller) -> Result<(), Error> {
    let txn = svc.db.begin().await?;
    let model = own(&txn, caller).await?;
    talent::Entity::update_many()
        .col_expr(talent::Column::SessionGeneration, Expr::col(talent::Column::SessionGeneration).add(1))
        .filter(talent::Column::Id.eq(&model.id))
        .exec(&txn)
        .await?;
    audit_own(&txn, caller, &model, "talent.signed_out_everywhere", json!({})).await?;
    txn.commit().await?;
    Ok(())
}
