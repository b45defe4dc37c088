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
pub struct TalentSearchQuery {
    /// Comma-separated; a talent must have at least one.
    pub skills: Option<String>,
    /// Only talent who take this kind of task.
    pub task_type: Option<String>,
    /// `LAT,LNG`: only talent within `radius_km` of here who also travel this far.
    pub near: Option<String>,
    /// Default 50, at most 500.
    pub radius_km: Option<f64>,
    /// 1–100, default 20.
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
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub skills: Option<Vec<String>>,
    /// Default: every task type.
    pub task_types: Option<Vec<TaskType>>,
    /// Default: Hamilton, Ontario (43.2557, -79.8711).
    pub home_lat: Option<f64>,
    pub home_lng: Option<f64>,
    /// Default 50.
    pub travel_radius_km: Option<u32>,
    pub portfolio_links: Option<Vec<String>>,
}

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
