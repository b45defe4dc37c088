//! Distances on the Earth's surface.

use crate::talent::GeoPoint;
use geo::{Distance, Haversine, Point};

/// Great-circle distance in metres.
pub fn metres(a: GeoPoint, b: GeoPoint) -> f64 {
    Haversine.distance(Point::new(a.lng, a.lat), Point::new(b.lng, b.lat))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_distances() {
        let hamilton = GeoPoint { lat: 43.2557, lng: -79.8711 };
        let toronto = GeoPoint { lat: 43.6532, lng: -79.3832 };
        let d = metres(hamilton, toronto) / 1000.0;
        assert!((58.0..62.0).contains(&d), "{d} km");
        assert!(metres(hamilton, hamilton) < 0.001);
        // 0.001° of latitude is about 111 m.
        let north = GeoPoint { lat: 43.2567, lng: -79.8711 };
        assert!((110.0..112.5).contains(&metres(hamilton, north)));
    }
}
