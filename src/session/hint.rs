//! The catalog's counting hint, in the counter's terms.

use crate::counting::{self, SignalKind};
use crate::routine::{self, Signal};

/// The counter hint for a catalog hint; `None` for touch exercises (taps are
/// counted directly, not from a signal). A travel hint's `min_range` is metres
/// of hand travel, which the counter reads as the travel channel's floor.
pub fn counter_hint(h: &routine::CountingHint) -> Option<counting::CountingHint> {
    let signal = match h.signal {
        Signal::Imu => SignalKind::Imu6,
        Signal::GripForce | Signal::JointAngle => SignalKind::Scalar,
        Signal::Touch => return None,
    };
    Some(counting::CountingHint {
        signal,
        axis: h.axis.map(|a| match a {
            routine::Axis::X => counting::Axis::X,
            routine::Axis::Y => counting::Axis::Y,
            routine::Axis::Z => counting::Axis::Z,
        }),
        expected_rep_s: (h.rep_s_max > 0.0).then_some((h.rep_s_min, h.rep_s_max)),
        min_range: (h.min_range > 0.0).then_some(h.min_range),
        motion: h.motion.map(|m| match m {
            routine::Motion::Turn => counting::Motion::Turn,
            routine::Motion::Travel => counting::Motion::Travel,
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routine::{Catalog, CountingHint, Motion};

    fn imu(motion: Option<Motion>, min_range: f32) -> CountingHint {
        CountingHint {
            signal: Signal::Imu,
            axis: Some(routine::Axis::Y),
            rep_s_min: 1.0,
            rep_s_max: 5.0,
            min_range,
            motion,
        }
    }

    #[test]
    fn motion_reaches_the_counter_and_a_travel_floor_is_not_read_as_radians() {
        let turn = counter_hint(&imu(Some(Motion::Turn), 0.3)).unwrap();
        assert_eq!(turn.motion, Some(counting::Motion::Turn));
        assert_eq!(turn.min_range, Some(0.3));
        assert_eq!(turn.axis, Some(counting::Axis::Y));

        let travel = counter_hint(&imu(Some(Motion::Travel), 0.08)).unwrap();
        assert_eq!(travel.motion, Some(counting::Motion::Travel));
        assert_eq!(
            travel.min_range,
            Some(0.08),
            "metres: the travel channel's floor"
        );
        assert_eq!(travel.expected_rep_s, Some((1.0, 5.0)));

        let unclear = counter_hint(&imu(None, 0.2)).unwrap();
        assert_eq!(unclear.motion, None);
        assert_eq!(unclear.min_range, Some(0.2));
    }

    #[test]
    fn every_catalog_hint_maps_with_its_motion() {
        for e in Catalog::embedded().exercises() {
            match counter_hint(&e.hint) {
                None => assert_eq!(e.hint.signal, Signal::Touch, "{}", e.id),
                Some(h) => {
                    assert_eq!(
                        h.motion.is_some(),
                        e.hint.motion.is_some(),
                        "{}: motion lost or invented",
                        e.id
                    );
                    assert_eq!(h.min_range.is_some(), e.hint.min_range > 0.0, "{}", e.id);
                }
            }
        }
    }
}
