//! Placing points on the regions map: longitude/latitude to the map's SVG units, with the
//! calibration of `programme::map_data` (x linear in longitude, y Mercator in latitude).
use crate::programme::map_data::{LON_TO_X, MERCATOR_TO_Y};

/// Map coordinates of a point of metropolitan France (`None` outside the map's frame:
/// overseas labs are shown in their insets).
pub fn project(lat: f64, lon: f64) -> Option<(f32, f32)> {
    if !(41.0..=51.5).contains(&lat) || !(-5.5..=10.0).contains(&lon) {
        return None;
    }
    let x = LON_TO_X.0 as f64 * lon + LON_TO_X.1 as f64;
    let m = (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
        .tan()
        .ln();
    let y = MERCATOR_TO_Y.0 as f64 * m + MERCATOR_TO_Y.1 as f64;
    Some((x as f32, y as f32))
}

/// The inverse: the latitude and longitude of a point of the map.
pub fn unproject(x: f32, y: f32) -> (f64, f64) {
    let lon = (x as f64 - LON_TO_X.1 as f64) / LON_TO_X.0 as f64;
    let m = (y as f64 - MERCATOR_TO_Y.1 as f64) / MERCATOR_TO_Y.0 as f64;
    let lat = (2.0 * m.exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    (lat, lon)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_places_land_in_their_region() {
        // Paris (48.857, 2.352) is near the Île-de-France label point (319, 153).
        let (x, y) = project(48.857, 2.352).unwrap();
        assert!(
            (x - 313.0).abs() < 12.0 && (y - 153.0).abs() < 15.0,
            "{x} {y}"
        );
        // Brest is far west, Strasbourg far east.
        assert!(project(48.39, -4.49).unwrap().0 < 60.0);
        assert!(project(48.58, 7.75).unwrap().0 > 520.0);
        assert_eq!(project(16.24, -61.53), None, "Guadeloupe is an inset");
        let (lat, lon) = unproject(x, y);
        assert!((lat - 48.857).abs() < 1e-6 && (lon - 2.352).abs() < 1e-6);
    }
}
