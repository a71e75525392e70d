//! The catalog's counting hint, in the counter's terms.

use crate::counting::{self, SignalKind};
use crate::routine::{self, Signal};

/// The counter hint for a catalog hint; `None` for touch exercises (taps are
/// counted directly, not from a signal).
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
        motion: None,
    })
}
