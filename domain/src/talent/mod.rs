//! Talent: the people who do the work. Principals see public fields only (never email or
//! phone, and home only to about a kilometre).

use crate::templates::TaskType;
use serde::{Deserialize, Serialize};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

/// A talent profile as principals see it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TalentProfile {
    pub id: String,
    pub name: String,
    pub skills: Vec<String>,
    pub task_types: Vec<TaskType>,
    /// Home, rounded to two decimals (about a kilometre).
    pub home_area: GeoPoint,
    pub travel_radius_km: u32,
    pub portfolio_links: Vec<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    pub lat: f64,
    pub lng: f64,
}

impl GeoPoint {
    /// `LAT,LNG`, both in range.
    pub fn parse(text: &str) -> Option<GeoPoint> {
        let (lat, lng) = text.split_once(',')?;
        let lat: f64 = lat.trim().parse().ok()?;
        let lng: f64 = lng.trim().parse().ok()?;
        ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lng)).then_some(GeoPoint { lat, lng })
    }
}

/// `GET /v1/talent/search?skills=&task_type=&near=LAT,LNG&radius_km=&limit=`.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct TalentSearchQuery {
    /// Comma-separated; a talent must have at least one.
    pub skills: Option<String>,
    /// Only talent who take this kind of task.
    #[cfg_attr(feature = "server", param(value_type = Option<TaskType>))]
    pub task_type: Option<String>,
    /// `LAT,LNG` (plain decimals, in range): only talent within `radius_km` of here who also
    /// travel this far.
    #[cfg_attr(
        feature = "server",
        param(
            pattern = r"^-?(90(\.0+)?|[1-8]?[0-9](\.[0-9]+)?), ?-?(180(\.0+)?|(1[0-7][0-9]|[1-9]?[0-9])(\.[0-9]+)?)$"
        )
    )]
    pub near: Option<String>,
    /// Default 50, at most 500.
    #[cfg_attr(feature = "server", param(exclusive_minimum = 0, maximum = 500))]
    pub radius_km: Option<f64>,
    /// 1–100, default 20.
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 100))]
    pub limit: Option<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TalentMatch {
    pub talent: TalentProfile,
    /// From `near` to the talent's `home_area` (the home rounded to ~1 km), in whole km;
    /// absent without `near`.
    pub distance_km: Option<f64>,
    /// Share of the requested skills the talent has (1 when none were requested).
    pub fit: f64,
    /// What the list is ranked by: half fit, half closeness.
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TalentSearchResults {
    pub data: Vec<TalentMatch>,
}

/// `POST /v1/test_helpers/talent`: every field optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SandboxTalentRequest {
    /// Default "Sandbox Talent".
    #[cfg_attr(feature = "server", schema(min_length = 1, max_length = 200, pattern = r"[^\t\n\u000b\f\r ]"))]
    pub name: Option<String>,
    /// Mail for a sandbox talent goes to the principal who made it, whatever this says.
    #[cfg_attr(feature = "server", schema(format = Email, max_length = 254))]
    pub email: Option<String>,
    #[cfg_attr(feature = "server", schema(max_length = 40))]
    pub phone: Option<String>,
    /// Default: photography, video.
    #[cfg_attr(feature = "server", schema(max_items = 50))]
    pub skills: Option<Vec<Skill>>,
    /// Default: every task type.
    pub task_types: Option<Vec<TaskType>>,
    /// Default: Hamilton, Ontario (43.2557, -79.8711).
    #[cfg_attr(feature = "server", schema(minimum = -90, maximum = 90))]
    pub home_lat: Option<f64>,
    #[cfg_attr(feature = "server", schema(minimum = -180, maximum = 180))]
    pub home_lng: Option<f64>,
    /// Default 50.
    #[cfg_attr(feature = "server", schema(minimum = 1, maximum = 1000))]
    #[serde(default, deserialize_with = "crate::whole::optional")]
    pub travel_radius_km: Option<u32>,
    #[cfg_attr(feature = "server", schema(max_items = 20))]
    pub portfolio_links: Option<Vec<PortfolioLink>>,
}

/// A skill, 1–100 characters (stored in lower case).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(min_length = 1, max_length = 100, pattern = r"[^\t\n\u000b\f\r ]"))]
#[serde(transparent)]
pub struct Skill(pub String);

/// A link to the talent's work, at most 2000 characters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "server", schema(min_length = 1, max_length = 2000, pattern = r"[^\t\n\u000b\f\r ]"))]
#[serde(transparent)]
pub struct PortfolioLink(pub String);

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SandboxTalentCreated {
    pub talent: TalentProfile,
    /// Where this talent's invitations are sent.
    pub email: String,
    /// The talent's bearer token (`hd_talent_…`), shown only here.
    pub token: String,
}

#[cfg(test)]
mod tests {
    use super::GeoPoint;

    #[test]
    fn points_are_parsed_and_range_checked() {
        assert_eq!(GeoPoint::parse("43.25, -79.87"), Some(GeoPoint { lat: 43.25, lng: -79.87 }));
        assert_eq!(GeoPoint::parse("91,0"), None);
        assert_eq!(GeoPoint::parse("0,181"), None);
        assert_eq!(GeoPoint::parse("abc"), None);
        assert_eq!(GeoPoint::parse("1;2"), None);
    }
}
