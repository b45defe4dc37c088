//! Maps of a check-in's geofence, drawn to scale in SVG: the site, the radius that counts as
//! on site, and a position with its GPS accuracy. No tiles: the distances are what matter, and
//! the drawing is part of the page's HTML, readable without the wasm.

use domain::talent::GeoPoint;
use leptos::prelude::*;

/// A position from the device: where, and how sure (metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fix {
    pub at: GeoPoint,
    pub accuracy_m: f64,
}

/// `33 m`, `1.2 km`.
pub fn distance(metres: f64) -> String {
    if metres < 1000.0 { format!("{metres:.0} m") } else { format!("{:.1} km", metres / 1000.0) }
}

const EARTH_RADIUS_M: f64 = 6_371_000.0;
/// The drawing's half-width, in its own units; the scene fits in 100 of them around the site.
const HALF: f64 = 120.0;
const FIT: f64 = 100.0;

/// Metres east and south of `origin` (a flat projection: enough across a few kilometres).
fn offset(origin: GeoPoint, p: GeoPoint) -> (f64, f64) {
    let east = (p.lng - origin.lng).to_radians() * EARTH_RADIUS_M * origin.lat.to_radians().cos();
    let south = -(p.lat - origin.lat).to_radians() * EARTH_RADIUS_M;
    (east, south)
}

/// The longest round length (1, 2 or 5 times a power of ten) of at most `metres`.
fn scale_length(metres: f64) -> f64 {
    let power = 10f64.powf(metres.max(1.0).log10().floor());
    [5.0, 2.0, 1.0].into_iter().map(|k| k * power).find(|l| *l <= metres).unwrap_or(power)
}

/// What the map shows, in drawing units.
#[derive(Debug, Clone, PartialEq)]
struct Scene {
    radius: f64,
    /// Position, accuracy radius and distance (metres) of the fix, if any.
    fix: Option<(f64, f64, f64, f64)>,
    scale_units: f64,
    scale_label: String,
}

fn scene(site: GeoPoint, radius_m: u32, fix: Option<Fix>) -> Scene {
    let radius_m = f64::from(radius_m.max(1));
    let placed = fix.map(|f| {
        let (east, south) = offset(site, f.at);
        (east, south, f.accuracy_m, east.hypot(south))
    });
    let extent = placed.map_or(0.0, |(_, _, _, d)| d * 1.25).max(radius_m * 1.6).max(40.0);
    let per_m = FIT / extent;
    let scale_m = scale_length(extent / 2.0);
    Scene {
        // Kept visible when the fix is far away.
        radius: (radius_m * per_m).max(3.0),
        fix: placed.map(|(e, s, a, d)| (HALF + e * per_m, HALF + s * per_m, (a * per_m).min(HALF), d)),
        scale_units: scale_m * per_m,
        scale_label: distance(scale_m),
    }
}

/// Who looks at a map: the position on it is theirs, or the talent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Viewer {
    #[default]
    Talent,
    Owner,
}

/// The geofence around `site`, and `fix` in it when there is one.
#[component]
pub fn GeofenceMap(
    site: GeoPoint,
    radius_m: u32,
    #[prop(into)] fix: Signal<Option<Fix>>,
    /// The element's id, for tests and links.
    id: &'static str,
    /// Whose position `fix` is, as the reader calls it.
    #[prop(optional)]
    viewer: Viewer,
) -> impl IntoView {
    let (label, whose) = match viewer {
        Viewer::Talent => ("You", "your position"),
        Viewer::Owner => ("Talent", "the talent's check-in"),
    };
    let drawn = Memo::new(move |_| scene(site, radius_m, fix.get()));
    let title_id = format!("{id}-title");
    let labelled_by = title_id.clone();
    let title = move || match drawn.get().fix {
        Some((_, _, _, d)) => format!(
            "Map of the check-in area: the site with its {radius_m} m radius, and {whose} {} from it.",
            distance(d)
        ),
        None => format!("Map of the check-in area: the site with its {radius_m} m radius."),
    };
    view! {
        <svg id=id viewBox="0 0 240 240" role="img" aria-labelledby=labelled_by class="h-auto w-full max-w-xs rounded-xl border border-slate-200 bg-slate-100">
            <title id=title_id>{title}</title>
            <path d="M0 60H240M0 120H240M0 180H240M60 0V240M120 0V240M180 0V240" stroke="#e2e8f0" stroke-width="1" />
            <circle cx=HALF cy=HALF r=move || drawn.get().radius fill="#bbf7d0" fill-opacity="0.7" stroke="#15803d" stroke-width="1.5" />
            <circle cx=HALF cy=HALF r="3.5" fill="#b91c1c" />
            <text x=HALF y=HALF - 8.0 text-anchor="middle" font-size="11" fill="#7f1d1d">"Site"</text>
            {move || drawn.get().fix.map(|(x, y, accuracy, _)| view! {
                <line x1=HALF y1=HALF x2=x y2=y stroke="#334155" stroke-width="1" stroke-dasharray="4 3" />
                <circle cx=x cy=y r=accuracy fill="#60a5fa" fill-opacity="0.25" stroke="#2563eb" stroke-width="1" />
                <circle cx=x cy=y r="4" fill="#1d4ed8" stroke="white" stroke-width="1.5" />
                <text x=x y=y + 16.0 text-anchor="middle" font-size="11" fill="#1e3a8a">{label}</text>
            })}
            <path d=move || format!("M12 226h{:.1}", drawn.get().scale_units) stroke="#0f172a" stroke-width="2" />
            <text x="12" y="219" font-size="10" fill="#0f172a">{move || drawn.get().scale_label}</text>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SITE: GeoPoint = GeoPoint { lat: 43.2595, lng: -79.8753 };

    #[test]
    fn a_far_fix_fits_in_the_drawing_and_the_site_stays_visible() {
        // About 5 km north.
        let far = Fix { at: GeoPoint { lat: SITE.lat + 0.045, lng: SITE.lng }, accuracy_m: 20.0 };
        let s = scene(SITE, 100, Some(far));
        let (x, y, _, d) = s.fix.unwrap();
        assert!((4900.0..5100.0).contains(&d), "{d}");
        assert!((x - HALF).abs() < 0.5 && (HALF - FIT..HALF).contains(&y), "north is up: {x},{y}");
        assert_eq!(s.radius, 3.0);
        assert_eq!(s.scale_label, "2.0 km");
    }

    #[test]
    fn a_near_fix_is_drawn_to_scale_inside_the_radius() {
        // About 33 m east.
        let near = Fix { at: GeoPoint { lat: SITE.lat, lng: SITE.lng + 0.0004 }, accuracy_m: 8.0 };
        let s = scene(SITE, 100, Some(near));
        let (x, _, accuracy, d) = s.fix.unwrap();
        assert!((30.0..36.0).contains(&d));
        assert!(x > HALF && x - HALF < s.radius, "east, inside the circle");
        assert!((accuracy - 8.0 * FIT / 160.0).abs() < 1e-9);
        assert_eq!(distance(d), "32 m");
        assert_eq!(distance(4990.0), "5.0 km");
    }
}
