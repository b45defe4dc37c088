use super::{
    GeoPoint, SandboxTalentCreated, SandboxTalentRequest, TalentMatch, TalentProfile, TalentSearchQuery,
    TalentSearchResults,
};
use crate::caller::Caller;
use crate::entities::talent;
use crate::principals::Mode;
use crate::templates::TaskType;
use crate::{Error, Services, audit, geo_distance, ids, secrets};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Select};
use serde_json::json;

pub const TOKEN_PREFIX: &str = "hd_talent_";
const DEFAULT_HOME: GeoPoint = GeoPoint { lat: 43.2557, lng: -79.8711 };

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

impl TryFrom<&talent::Model> for TalentProfile {
    type Error = Error;

    fn try_from(m: &talent::Model) -> Result<Self, Error> {
        let corrupt = |what: &str| Error::internal(format!("talent {} has an unreadable {what}", m.id));
        Ok(TalentProfile {
            id: m.id.clone(),
            name: m.name.clone(),
            skills: serde_json::from_value(m.skills.clone()).map_err(|_| corrupt("skills"))?,
            task_types: serde_json::from_value(m.task_types.clone()).map_err(|_| corrupt("task_types"))?,
            home_area: GeoPoint { lat: round2(m.home_lat), lng: round2(m.home_lng) },
            travel_radius_km: u32::try_from(m.travel_radius_km).unwrap_or(0),
            portfolio_links: serde_json::from_value(m.portfolio_links.clone()).map_err(|_| corrupt("portfolio"))?,
            created_at: m.created_at,
        })
    }
}

/// The talent a principal may see: live talent for live principals; for sandbox principals,
/// the sandbox talent they made.
pub fn visible_to(caller: &Caller) -> Result<Select<talent::Entity>, Error> {
    let principal_id = caller.principal_id()?;
    let select = talent::Entity::find().filter(talent::Column::Mode.eq(caller.mode.as_str()));
    Ok(match caller.mode {
        Mode::Live => select,
        Mode::Sandbox => select.filter(talent::Column::OwnerPrincipalId.eq(principal_id)),
    })
}

/// One talent the caller may see; 404 otherwise.
pub async fn find_visible(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    talent_id: &str,
) -> Result<talent::Model, Error> {
    visible_to(caller)?
        .filter(talent::Column::Id.eq(talent_id))
        .one(conn)
        .await?
        .ok_or_else(|| Error::not_found("Talent"))
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn get(svc: &Services, caller: &Caller, talent_id: &str) -> Result<TalentProfile, Error> {
    TalentProfile::try_from(&find_visible(&svc.db, caller, talent_id).await?)
}

/// Creates a sandbox talent owned by the calling sandbox principal (404 for live ones: the
/// helpers do not exist for them).
#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn create_sandbox(
    svc: &Services,
    caller: &Caller,
    request: SandboxTalentRequest,
) -> Result<SandboxTalentCreated, Error> {
    let principal_id = caller.principal_id()?;
    crate::test_helpers::require_sandbox(caller)?;
    let lat = request.home_lat.unwrap_or(DEFAULT_HOME.lat);
    let lng = request.home_lng.unwrap_or(DEFAULT_HOME.lng);
    let radius = request.travel_radius_km.unwrap_or(50);
    let skills: Vec<String> = match request.skills {
        Some(given) => given.into_iter().map(|s| s.0).collect(),
        None => vec!["photography".into(), "video".into()],
    };
    let links: Vec<String> = request.portfolio_links.unwrap_or_default().into_iter().map(|l| l.0).collect();
    let mut errors = profile_problems(&ProfileFields {
        name: request.name.as_deref(),
        skills: &skills,
        home: GeoPoint { lat, lng },
        travel_radius_km: i64::from(radius),
        portfolio_links: &links,
    });
    let skills = tidy_skills(&skills);
    if let Some(email) = &request.email
        && !crate::principals::is_email(email)
    {
        errors.push(format!("/email: {email:?} is not an email address"));
    }
    if request.phone.as_ref().is_some_and(|p| p.chars().count() > 40) {
        errors.push("/phone: at most 40 characters".to_owned());
    }
    if !errors.is_empty() {
        return Err(Error::validation("Invalid sandbox talent", errors));
    }

    let id = ids::new_id("tal");
    let token = secrets::new_token(TOKEN_PREFIX);
    let email = request.email.unwrap_or_else(|| format!("{id}@sandbox-talent.humandispatch.io"));
    let model = talent::Model {
        id: id.clone(),
        name: request.name.map_or_else(|| "Sandbox Talent".into(), |n| crate::text::tidy(&n)),
        email: email.clone(),
        phone: request.phone,
        skills: json!(skills),
        task_types: json!(request.task_types.unwrap_or_else(|| TaskType::ALL.to_vec())),
        home_lat: lat,
        home_lng: lng,
        travel_radius_km: i32::try_from(radius).unwrap_or(50),
        portfolio_links: json!(links),
        mode: Mode::Sandbox.as_str().to_owned(),
        owner_principal_id: Some(principal_id.to_owned()),
        token_hash: Some(secrets::hash_token(&token)),
        payout_account_ref: Some(format!("acct_sandbox_{id}")),
        session_generation: 0,
        time_zone: None,
        created_at: crate::time::now(),
    };
    let profile = TalentProfile::try_from(&model)?;
    let txn = sea_orm::TransactionTrait::begin(&svc.db).await?;
    talent::Entity::insert(talent::ActiveModel::from(model)).exec_without_returning(&txn).await?;
    audit::record(
        &txn,
        caller,
        principal_id,
        "talent.created",
        "talent",
        &id,
        json!({ "name": profile.name, "sandbox": true }),
    )
    .await?;
    txn.commit().await?;
    Ok(SandboxTalentCreated { talent: profile, email, token })
}

/// A talent profile's own fields, as given: judged the same whether a principal makes a sandbox
/// talent or the talent edits their profile in the portal.
pub struct ProfileFields<'a> {
    pub name: Option<&'a str>,
    pub skills: &'a [String],
    pub home: GeoPoint,
    pub travel_radius_km: i64,
    pub portfolio_links: &'a [String],
}

/// What is wrong with these fields, as JSON pointers with the reason; empty when nothing is.
pub fn profile_problems(f: &ProfileFields) -> Vec<String> {
    let mut errors = Vec::new();
    if let Some(name) = f.name
        && !crate::text::fits(name, 200)
    {
        errors.push("/name: 1–200 characters".to_owned());
    }
    if f.skills.len() > 50 {
        errors.push("/skills: at most 50".to_owned());
    }
    for (i, skill) in f.skills.iter().enumerate() {
        if !crate::text::fits(skill, 100) {
            errors.push(format!("/skills/{i}: 1–100 characters"));
        }
    }
    if !(-90.0..=90.0).contains(&f.home.lat) {
        errors.push("/home_lat: must be between -90 and 90".to_owned());
    }
    if !(-180.0..=180.0).contains(&f.home.lng) {
        errors.push("/home_lng: must be between -180 and 180".to_owned());
    }
    if !(1..=1000).contains(&f.travel_radius_km) {
        errors.push("/travel_radius_km: must be between 1 and 1000".to_owned());
    }
    if f.portfolio_links.len() > 20 {
        errors.push("/portfolio_links: at most 20".to_owned());
    }
    for (i, link) in f.portfolio_links.iter().enumerate() {
        if !crate::text::fits(link, 2000) {
            errors.push(format!("/portfolio_links/{i}: 1–2000 characters"));
        }
    }
    errors
}

/// Skills as they are stored: tidied, lower case.
pub fn tidy_skills(skills: &[String]) -> Vec<String> {
    skills.iter().map(|s| crate::text::tidy(s).to_lowercase()).collect()
}

/// `near` as the document gives it: `LAT,LNG` in range, plain decimals, an optional space after
/// the comma.
pub const NEAR_PATTERN: &str =
    r"^-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?), ?-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)$";

static NEAR: std::sync::LazyLock<Option<regex::Regex>> = std::sync::LazyLock::new(|| {
    regex::Regex::new(NEAR_PATTERN).inspect_err(|e| tracing::error!("NEAR_PATTERN does not compile: {e}")).ok()
});

fn parse_near(text: &str) -> Option<GeoPoint> {
    NEAR.as_ref().filter(|re| re.is_match(text)).and_then(|_| GeoPoint::parse(text))
}

/// The parsed search, shared by the search endpoint and invitations.
pub struct Criteria {
    pub skills: Vec<String>,
    pub task_type: Option<TaskType>,
    pub near: Option<GeoPoint>,
    pub radius_km: f64,
    pub limit: usize,
}

impl Criteria {
    pub fn parse(query: &TalentSearchQuery) -> Result<Criteria, Error> {
        let mut errors = Vec::new();
        let skills: Vec<String> = query
            .skills
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        let task_type = match query.task_type.as_deref() {
            None => None,
            Some(t) => TaskType::parse(t).or_else(|| {
                errors.push(format!("/task_type: {t:?} is not a task type"));
                None
            }),
        };
        let near = match query.near.as_deref() {
            None => None,
            Some(n) => parse_near(n).or_else(|| {
                errors.push(format!("/near: {n:?} is not LAT,LNG"));
                None
            }),
        };
        let radius_km = query.radius_km.unwrap_or(50.0);
        if !(radius_km > 0.0 && radius_km <= 500.0) {
            errors.push("/radius_km: must be more than 0 and at most 500".into());
        }
        let limit = query.limit.unwrap_or(20);
        if !(1..=100).contains(&limit) {
            errors.push("/limit: must be between 1 and 100".into());
        }
        if !errors.is_empty() {
            return Err(Error::validation("Invalid talent search", errors));
        }
        Ok(Criteria { skills, task_type, near, radius_km, limit: usize::try_from(limit).unwrap_or(20) })
    }
}

/// Ranks `candidates` by fit and closeness, dropping those who do not match.
pub fn rank(candidates: &[talent::Model], criteria: &Criteria) -> Result<Vec<TalentMatch>, Error> {
    let mut matches = Vec::new();
    for m in candidates {
        let profile = TalentProfile::try_from(m)?;
        if let Some(t) = criteria.task_type
            && !profile.task_types.contains(&t)
        {
            continue;
        }
        let fit = if criteria.skills.is_empty() {
            1.0
        } else {
            let have = criteria.skills.iter().filter(|s| profile.skills.contains(s)).count();
            if have == 0 {
                continue;
            }
            have as f64 / criteria.skills.len() as f64
        };
        let (distance_km, closeness) = match criteria.near {
            None => (None, 1.0),
            Some(near) => {
                // Measured to the home as profiles show it (rounded to ~1 km) and given in whole
                // km: exact distances from a few search points would give the home away.
                let d = geo_distance::metres(near, profile.home_area) / 1000.0;
                if d > criteria.radius_km || d > f64::from(profile.travel_radius_km) {
                    continue;
                }
                (Some(d.round()), 1.0 - d / criteria.radius_km)
            }
        };
        let score = ((0.5 * fit + 0.5 * closeness) * 1000.0).round() / 1000.0;
        matches.push(TalentMatch { talent: profile, distance_km, fit, score });
    }
    matches.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.distance_km.unwrap_or(0.0).total_cmp(&b.distance_km.unwrap_or(0.0)))
            .then_with(|| a.talent.id.cmp(&b.talent.id))
    });
    matches.truncate(criteria.limit);
    Ok(matches)
}

/// Candidates near `near` (a bounding box the database can use), or all visible talent.
pub async fn candidates(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    near: Option<GeoPoint>,
    radius_km: f64,
) -> Result<Vec<talent::Model>, Error> {
    let mut select = visible_to(caller)?;
    if let Some(p) = near {
        let dlat = radius_km / 111.0;
        let dlng = radius_km / (111.0 * p.lat.to_radians().cos().abs().max(0.01));
        select = select
            .filter(talent::Column::HomeLat.between(p.lat - dlat, p.lat + dlat))
            .filter(talent::Column::HomeLng.between(p.lng - dlng, p.lng + dlng));
    }
    Ok(select.order_by_asc(talent::Column::Id).all(conn).await?)
}

#[tracing::instrument(skip_all, err(level = "debug"))]
pub async fn search(svc: &Services, caller: &Caller, query: TalentSearchQuery) -> Result<TalentSearchResults, Error> {
    let criteria = Criteria::parse(&query)?;
    let rows = candidates(&svc.db, caller, criteria.near, criteria.radius_km).await?;
    Ok(TalentSearchResults { data: rank(&rows, &criteria)? })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document's `near` pattern is the one the search checks, and a JSON Schema
    /// validator reading it agrees with the search on what is a place.
    #[test]
    fn near_is_what_the_document_says() {
        use utoipa::IntoParams;
        let params = TalentSearchQuery::into_params(|| None);
        let near = params.iter().find(|p| p.name == "near").unwrap();
        let schema = serde_json::to_value(near.schema.as_ref().unwrap()).unwrap();
        assert_eq!(schema["pattern"], NEAR_PATTERN);
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        for text in
            ["43.25,-79.87", "43.25, -79.87", "-90,180", "90.5,0", "0,180.1", "09,0", "1e1,0", " 1,2", "1,2\n", "abc"]
        {
            let value = serde_json::json!(text);
            assert_eq!(validator.is_valid(&value), parse_near(text).is_some(), "{text:?}");
        }
        assert_eq!(parse_near("43.25, -79.87"), Some(GeoPoint { lat: 43.25, lng: -79.87 }));
    }
}
