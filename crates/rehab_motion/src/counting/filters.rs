//! Small streaming filters: a time-step-aware low-pass and an online principal axis.

use std::f32::consts::PI;

/// Smoothing factor of a one-pole low-pass with cut-off `fc_hz` for a step of `dt` seconds.
/// `1 - exp(-w)` through a second-order approximation of `exp(-w)`: no `exp` per sample,
/// within 5% of the exact value up to `w = 1` (20 Hz at a 2 Hz cut-off), always in `[0, 1)`.
#[inline]
pub(crate) fn lowpass_alpha(dt: f32, fc_hz: f32) -> f32 {
    let w = 2.0 * PI * fc_hz * dt;
    1.0 - 1.0 / (1.0 + w + 0.5 * w * w)
}

/// [`lowpass_alpha`] for cut-offs far below the sample rate (`w` < 0.3): no division.
#[inline]
pub(crate) fn slow_alpha(dt: f32, fc_hz: f32) -> f32 {
    let w = (2.0 * PI * fc_hz * dt).min(0.3);
    w * (1.0 - 0.5 * w + w * w / 6.0)
}

/// Two cascaded one-pole low-passes per channel (a critically damped second-order filter).
/// `lowpass_alpha` for a step, remembered: regular streams repeat the same step, and then
/// it costs no division.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct StepAlpha {
    dt: f32,
    alpha: f32,
}

impl StepAlpha {
    #[inline]
    pub fn get(&mut self, dt: f32, fc_hz: f32) -> f32 {
        if dt != self.dt {
            self.dt = dt;
            self.alpha = lowpass_alpha(dt, fc_hz);
        }
        self.alpha
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct LowPass2<const N: usize> {
    a: [f32; N],
    b: [f32; N],
    primed: bool,
}

impl<const N: usize> Default for LowPass2<N> {
    fn default() -> Self {
        Self {
            a: [0.0; N],
            b: [0.0; N],
            primed: false,
        }
    }
}

impl<const N: usize> LowPass2<N> {
    #[inline]
    pub fn update(&mut self, x: [f32; N], alpha: f32) -> [f32; N] {
        if !self.primed {
            self.primed = true;
            self.a = x;
            self.b = x;
            return x;
        }
        for ((a, b), x) in self.a.iter_mut().zip(self.b.iter_mut()).zip(x) {
            *a += alpha * (x - *a);
            *b += alpha * (*a - *b);
        }
        self.b
    }

    /// A filter that starts from zero instead of from its first input: for rates, where
    /// starting from the first (possibly tremor-driven) value would integrate into an angle.
    pub fn from_zero() -> Self {
        Self {
            primed: true,
            ..Self::default()
        }
    }

    /// Restart from the next input (after a long gap).
    pub fn reset(&mut self) {
        self.primed = false;
    }
}

/// Principal axis of 3-D angular velocity: an exponentially weighted second-moment matrix
/// updated while moving, and one power-iteration step per update. Warm-started, so the axis
/// keeps its sign from sample to sample.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PrincipalAxis {
    /// Upper triangle: xx, xy, xz, yy, yz, zz.
    m: [f32; 6],
    axis: [f32; 3],
    primed: bool,
    updates: u32,
}

impl Default for PrincipalAxis {
    fn default() -> Self {
        Self {
            m: [0.0; 6],
            axis: [1.0, 0.0, 0.0],
            primed: false,
            updates: 0,
        }
    }
}

/// The axis is refined every this many updates (it moves over seconds, not samples).
const AXIS_REFINE_EVERY: u32 = 4;

impl PrincipalAxis {
    pub fn axis(&self) -> [f32; 3] {
        self.axis
    }

    /// Add `w` with weight `k` (0..1) and refine the axis.
    #[inline]
    pub fn update(&mut self, w: [f32; 3], k: f32) {
        let [x, y, z] = w;
        if !self.primed {
            // First movement: start from its direction, not from an arbitrary guess that may
            // be orthogonal to it.
            let n = (x * x + y * y + z * z).sqrt();
            if n <= 0.0 {
                return;
            }
            self.primed = true;
            self.axis = [x / n, y / n, z / n];
            self.m = [x * x, x * y, x * z, y * y, y * z, z * z];
            return;
        }
        let m = &mut self.m;
        let prods = [x * x, x * y, x * z, y * y, y * z, z * z];
        for (mi, p) in m.iter_mut().zip(prods) {
            *mi += k * (p - *mi);
        }
        self.updates = self.updates.wrapping_add(1);
        if !self.updates.is_multiple_of(AXIS_REFINE_EVERY) {
            return;
        }
        let [a, b, c] = self.axis;
        let nx = m[0] * a + m[1] * b + m[2] * c;
        let ny = m[1] * a + m[3] * b + m[4] * c;
        let nz = m[2] * a + m[4] * b + m[5] * c;
        let n2 = nx * nx + ny * ny + nz * nz;
        if n2 > 1e-20 {
            let inv = 1.0 / n2.sqrt();
            self.axis = [nx * inv, ny * inv, nz * inv];
        }
    }
}

/// Orientation relative to a reference, integrated from body-frame angular velocity. Unlike
/// an integrated rate, it returns to where it was when the sensor does, whatever path the
/// movement took.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Orientation {
    w: f32,
    v: [f32; 3],
    steps: u32,
}

impl Default for Orientation {
    fn default() -> Self {
        Self {
            w: 1.0,
            v: [0.0; 3],
            steps: 0,
        }
    }
}

const RENORMALISE_EVERY: u32 = 8;

impl Orientation {
    /// Rotate by body-frame angular velocity `rate` (rad/s) for `dt` seconds.
    #[inline]
    pub fn rotate(&mut self, rate: [f32; 3], dt: f32) {
        let d = [rate[0] * dt, rate[1] * dt, rate[2] * dt];
        let a2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        // exp(d/2) to second order; the normalisation below absorbs the rest.
        let pw = 1.0 - a2 * (1.0 / 8.0);
        let s = 0.5 - a2 * (1.0 / 48.0);
        let p = [d[0] * s, d[1] * s, d[2] * s];
        let [qx, qy, qz] = self.v;
        let qw = self.w;
        let w = qw * pw - (qx * p[0] + qy * p[1] + qz * p[2]);
        let x = qw * p[0] + pw * qx + (qy * p[2] - qz * p[1]);
        let y = qw * p[1] + pw * qy + (qz * p[0] - qx * p[2]);
        let z = qw * p[2] + pw * qz + (qx * p[1] - qy * p[0]);
        self.w = w;
        self.v = [x, y, z];
        // Each step keeps the norm within ~1e-6 of 1: a Newton step every few samples
        // renormalises it (no square root or division per sample).
        self.steps = self.steps.wrapping_add(1);
        if self.steps.is_multiple_of(RENORMALISE_EVERY) {
            let inv = 1.5 - 0.5 * (w * w + x * x + y * y + z * z);
            self.w = w * inv;
            self.v = [x * inv, y * inv, z * inv];
        }
    }

    /// `v` (sensor frame) in the reference frame: `q v q*`.
    #[inline]
    pub fn apply(&self, v: [f32; 3]) -> [f32; 3] {
        let [qx, qy, qz] = self.v;
        let w = self.w;
        // t = 2 (q.v × v); v' = v + w t + q.v × t
        let t = [
            2.0 * (qy * v[2] - qz * v[1]),
            2.0 * (qz * v[0] - qx * v[2]),
            2.0 * (qx * v[1] - qy * v[0]),
        ];
        [
            v[0] + w * t[0] + (qy * t[2] - qz * t[1]),
            v[1] + w * t[1] + (qz * t[0] - qx * t[2]),
            v[2] + w * t[2] + (qx * t[1] - qy * t[0]),
        ]
    }

    /// Whether the orientation has turned by more than a quarter turn from the reference
    /// (|w| < cos 45°): beyond it, the twist about a moving axis nears its +-pi ambiguity.
    #[inline]
    pub fn far(&self) -> bool {
        self.w.abs() < std::f32::consts::FRAC_1_SQRT_2
    }

    /// Angle (rad, in `[-pi, pi]`) of the twist about unit `axis`: how far the sensor has
    /// turned about that axis since the reference, ignoring rotation about other axes.
    #[inline]
    pub fn twist(&self, axis: [f32; 3]) -> f32 {
        let y = self.v[0] * axis[0] + self.v[1] * axis[1] + self.v[2] * axis[2];
        // q and -q are the same rotation: take the representative with w >= 0.
        let sign = 1f32.copysign(self.w);
        2.0 * atan2_pos(y * sign, self.w * sign)
    }
}

/// `atan2(y, x)` for `x >= 0`, within 0.0015 rad, without a libm call.
#[inline]
fn atan2_pos(y: f32, x: f32) -> f32 {
    use std::f32::consts::FRAC_PI_2;
    let ay = y.abs();
    if ay <= x {
        if x == 0.0 {
            return 0.0;
        }
        atan_unit(y / x)
    } else {
        FRAC_PI_2.copysign(y) - atan_unit(x / y)
    }
}

/// `atan(r)` for `|r| <= 1` (max error ~0.0015 rad).
#[inline]
fn atan_unit(r: f32) -> f32 {
    use std::f32::consts::FRAC_PI_4;
    FRAC_PI_4 * r - r * (r.abs() - 1.0) * (0.2447 + 0.0663 * r.abs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alpha_is_close_to_exact_and_bounded() {
        for &dt in &[0.0f32, 0.005, 0.01, 0.02, 0.04, 0.05, 0.25, 10.0] {
            let a = lowpass_alpha(dt, 2.0);
            let exact = 1.0 - (-2.0 * PI * 2.0 * dt).exp();
            assert!((0.0..1.0).contains(&a));
            if dt <= 0.08 {
                assert!((a - exact).abs() < 0.05 * exact + 1e-6, "dt {dt}");
            }
        }
    }

    #[test]
    fn atan_approximation_is_accurate() {
        for i in -200..=200 {
            for &x in &[0.0f32, 0.3, 1.0, 2.0] {
                let y = i as f32 * 0.02;
                let e = (atan2_pos(y, x) - y.atan2(x)).abs();
                assert!(e < 0.002, "atan2({y}, {x}) off by {e}");
            }
        }
    }

    #[test]
    fn orientation_closes_after_out_and_back() {
        let mut q = Orientation::default();
        // Out about x then z, back about z then x: the integrated rates do not cancel per
        // axis in the wrong order, but the orientation returns to the reference.
        for _ in 0..50 {
            q.rotate([1.0, 0.0, 0.0], 0.02);
        }
        let out = q.twist([1.0, 0.0, 0.0]);
        assert!((out - 1.0).abs() < 5e-3, "twist {out}");
        for _ in 0..50 {
            q.rotate([0.0, 0.0, 1.0], 0.02);
        }
        for _ in 0..50 {
            q.rotate([0.0, 0.0, -1.0], 0.02);
        }
        for _ in 0..50 {
            q.rotate([-1.0, 0.0, 0.0], 0.02);
        }
        assert!(q.twist([1.0, 0.0, 0.0]).abs() < 5e-3);
    }

    #[test]
    fn apply_turns_vectors_into_the_reference_frame() {
        let mut q = Orientation::default();
        // A quarter turn about z, in small steps: the sensor's x axis is the reference's y.
        for _ in 0..100 {
            q.rotate([0.0, 0.0, std::f32::consts::FRAC_PI_2], 0.01);
        }
        let v = q.apply([1.0, 0.0, 0.0]);
        assert!(v[0].abs() < 1e-3 && (v[1] - 1.0).abs() < 1e-3, "{v:?}");
        let z = q.apply([0.0, 0.0, 2.0]);
        assert!((z[2] - 2.0).abs() < 1e-3, "{z:?}");
    }

    #[test]
    fn principal_axis_finds_rotation_axis() {
        let mut pa = PrincipalAxis::default();
        let dir = [0.0f32, 0.6, -0.8];
        for i in 0..500 {
            let s = (i as f32 * 0.1).sin();
            pa.update([dir[0] * s + 0.01, dir[1] * s, dir[2] * s], 0.02);
        }
        let a = pa.axis();
        let dot = a[0] * dir[0] + a[1] * dir[1] + a[2] * dir[2];
        assert!(dot.abs() > 0.99, "axis {a:?}");
    }
}
