//! Physically simulated movements: the sensor's path through space and its turning, as
//! functions of time, turned into what a phone or watch would read: the accelerometer's
//! specific force (m/s², gravity included, sensor frame) and the gyroscope's body-frame
//! rate (rad/s), with noise, bias, tremor and jittery timestamps.
//!
//! Unlike [`super::ImuStream`], which only turns the sensor, these movements also travel:
//! presses, wiping, sawing, a walk up to the exercise place. The acceleration is the second
//! derivative of the simulated path, so translation and gravity are consistent with the
//! turning, as on a real device.

use super::Rng;
use crate::counting::{RepCounter, RepEvent};
use std::f64::consts::PI;

/// A vector in metres, m/s² or rad/s.
pub type Vec3 = [f64; 3];
/// A rotation matrix: sensor frame to world frame (z up).
pub type Mat3 = [[f64; 3]; 3];

/// Where the sensor is (m, world frame, z up) and how it is turned (sensor to world).
#[derive(Debug, Clone, Copy)]
pub struct Pose {
    /// Position, metres.
    pub position: Vec3,
    /// Rotation from the sensor frame to the world frame.
    pub rotation: Mat3,
}

/// The rotation by `angle` radians about `axis` (any length; normalised here).
pub fn rotation(axis: Vec3, angle: f64) -> Mat3 {
    let n = (axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]).sqrt();
    let [x, y, z] = axis.map(|a| a / n);
    let (s, c) = angle.sin_cos();
    let k = 1.0 - c;
    [
        [c + x * x * k, x * y * k - z * s, x * z * k + y * s],
        [y * x * k + z * s, c + y * y * k, y * z * k - x * s],
        [z * x * k - y * s, z * y * k + x * s, c + z * z * k],
    ]
}

/// `a · b`.
pub fn mul(a: &Mat3, b: &Mat3) -> Mat3 {
    let mut m = [[0.0; 3]; 3];
    for (i, row) in m.iter_mut().enumerate() {
        for (j, v) in row.iter_mut().enumerate() {
            *v = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    m
}

/// `m · v`.
pub fn apply(m: &Mat3, v: Vec3) -> Vec3 {
    [0, 1, 2].map(|i| m[i][0] * v[0] + m[i][1] * v[1] + m[i][2] * v[2])
}

/// `mᵀ` (for a rotation, its inverse).
fn transpose(m: &Mat3) -> Mat3 {
    std::array::from_fn(|i| std::array::from_fn(|j| m[j][i]))
}

fn transpose_apply(m: &Mat3, v: Vec3) -> Vec3 {
    [0, 1, 2].map(|i| m[0][i] * v[0] + m[1][i] * v[1] + m[2][i] * v[2])
}

fn add(a: Vec3, b: Vec3) -> Vec3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}

fn scale(a: Vec3, k: f64) -> Vec3 {
    a.map(|x| x * k)
}

/// The device: sample timing and sensor imperfections.
#[derive(Debug, Clone)]
pub struct Device {
    /// Nominal sample rate, Hz.
    pub rate_hz: f64,
    /// Timestamp jitter, as a fraction of the sample interval (either way).
    pub jitter: f64,
    /// Accelerometer noise, m/s² (uniform, either way).
    pub acc_noise: f64,
    /// Gyroscope noise, rad/s (uniform, either way).
    pub gyro_noise: f64,
    /// Gyroscope bias, rad/s.
    pub gyro_bias: Vec3,
    /// Tremor on the rotation rate: (amplitude rad/s, frequency Hz).
    pub tremor: (f64, f64),
    /// Seed of the noise.
    pub seed: u64,
}

impl Default for Device {
    fn default() -> Self {
        Device {
            rate_hz: 50.0,
            jitter: 0.1,
            acc_noise: 0.05,
            gyro_noise: 0.01,
            gyro_bias: [0.01, -0.008, 0.005],
            tremor: (0.04, 5.5),
            seed: 1,
        }
    }
}

/// A simulated set: the sensor's pose over time, how long it lasts and how many
/// repetitions of the exercise it holds (what a therapist watching would count).
pub struct Scenario {
    /// Seconds of recording.
    pub duration_s: f64,
    /// Repetitions of the exercise in it.
    pub reps: usize,
    pose: Box<dyn Fn(f64) -> Pose + Send + Sync>,
}

impl Scenario {
    /// The sensor's pose at `t` seconds.
    pub fn pose(&self, t: f64) -> Pose {
        (self.pose)(t)
    }

    /// What `device` records of this scenario: timestamps (s) and interleaved samples
    /// `ax, ay, az, gx, gy, gz` (m/s², rad/s), as `RepCounter::push_imu` takes them.
    pub fn record(&self, device: &Device) -> (Vec<f64>, Vec<f32>) {
        let mut rng = Rng::new(device.seed);
        let (mut ts, mut xs) = (Vec::new(), Vec::new());
        let dt = 1.0 / device.rate_hz;
        let h = 2e-3;
        let tremor_axis = [0.6, 0.7, 0.39];
        let mut t = 0.0;
        while t < self.duration_s {
            let (before, now, after) = (self.pose(t - h), self.pose(t), self.pose(t + h));
            // Acceleration of the path, then the specific force an accelerometer reads.
            let acc_world: Vec3 = [0, 1, 2].map(|i| {
                (after.position[i] - 2.0 * now.position[i] + before.position[i]) / (h * h)
            });
            let force = transpose_apply(&now.rotation, add(acc_world, [0.0, 0.0, 9.81]));
            // Body-frame rate from R^T dR/dt (a skew matrix).
            let d: Mat3 = std::array::from_fn(|i| {
                std::array::from_fn(|j| (after.rotation[i][j] - before.rotation[i][j]) / (2.0 * h))
            });
            let w = mul(&transpose(&now.rotation), &d);
            let rate = [
                0.5 * (w[2][1] - w[1][2]),
                0.5 * (w[0][2] - w[2][0]),
                0.5 * (w[1][0] - w[0][1]),
            ];
            let (amp, hz) = device.tremor;
            let tremor = amp * (2.0 * PI * hz * t).sin();
            ts.push(t);
            for f in force {
                xs.push((f + device.acc_noise * rng.range(-1.0, 1.0)) as f32);
            }
            for i in 0..3 {
                let noise = device.gyro_noise * rng.range(-1.0, 1.0);
                let g = rate[i] + device.gyro_bias[i] + tremor * tremor_axis[i] + noise;
                xs.push(g as f32);
            }
            t += dt * (1.0 + device.jitter * rng.range(-1.0, 1.0));
        }
        (ts, xs)
    }
}

impl Scenario {
    /// Count what `device` records of this scenario as an app would: `counter` is given
    /// the samples in ~100 ms batches, then finishes the set. The movements it reported.
    pub fn count(&self, device: &Device, mut counter: RepCounter) -> Vec<RepEvent> {
        let (t, x) = self.record(device);
        let mut out = Vec::new();
        let batch = ((device.rate_hz * 0.1).round() as usize).max(1);
        for (tb, xb) in t.chunks(batch).zip(x.chunks(6 * batch)) {
            counter
                .push_imu(tb, xb, &mut out)
                .expect("a simulated batch is valid");
        }
        counter.finish(&mut out);
        out
    }
}

/// Smooth 0 → 1 → 0 over one cycle (`u` in [0, 1]): out and back, at rest at both ends.
fn out_and_back(u: f64) -> f64 {
    0.5 * (1.0 - (2.0 * PI * u.clamp(0.0, 1.0)).cos())
}

/// Smooth 0 → 1 (`u` in [0, 1]), at rest at both ends.
fn ease(u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    u * u * u * (10.0 - 15.0 * u + 6.0 * u * u)
}

/// How the phone or watch sits on the limb: a fixed turn from the limb's frame.
fn mount() -> Mat3 {
    rotation([0.3, 1.0, 0.2], 0.7)
}

/// A phone strapped on the back of the forearm, top toward the hand (the catalog's
/// `forearm_strap`), for the arm tasks (`drinking`, `turning_key`, ...): the device's Y
/// runs along the forearm toward the hand, Z out of its back. Pass it to
/// [`Scenario::mounted`].
pub fn forearm_strap() -> Mat3 {
    rotation([1.0, 0.0, 0.0], -PI / 2.0)
}

impl Scenario {
    /// The same movement recorded by a device mounted on the limb as `device_to_limb`
    /// says (columns: the device's X, Y, Z in the limb's frame) instead of the default
    /// mounting, which is turned off every axis on purpose.
    pub fn mounted(self, device_to_limb: Mat3) -> Scenario {
        let change = mul(&transpose(&mount()), &device_to_limb);
        Scenario {
            duration_s: self.duration_s,
            reps: self.reps,
            pose: Box::new(move |t| {
                let p = self.pose(t);
                Pose {
                    position: p.position,
                    rotation: mul(&p.rotation, &change),
                }
            }),
        }
    }
}

/// `s` with its set-up before it: the hand starts in the lap, comes up to where the set
/// starts (~45 cm, the forearm turning ~0.6 rad) over 1.5 s, and rests there 1 s before
/// `s` begins.
pub fn from_the_lap(s: Scenario) -> Scenario {
    let (lead, move_s, rest_s) = (1.0, 1.5, 1.0);
    let shift = lead + move_s + rest_s;
    let start = s.pose(0.0);
    let lap = add(start.position, [0.05, -0.3, -0.35]);
    Scenario {
        duration_s: s.duration_s + shift,
        reps: s.reps,
        pose: Box::new(move |t| {
            if t >= shift {
                return s.pose(t - shift);
            }
            let k = ease((t - lead) / move_s);
            Pose {
                position: add(lap, scale(add(start.position, scale(lap, -1.0)), k)),
                rotation: mul(&rotation([1.0, 0.2, 0.0], 0.6 * (1.0 - k)), &start.rotation),
            }
        }),
    }
}

/// Seconds still before and after the repetitions of the simple scenarios.
const LEAD_S: f64 = 2.0;
const TAIL_S: f64 = 2.0;

/// `n` repetitions at `per_s` repetitions per second, one after another with no pause:
/// the hand travels `amplitude_m` along `direction` (world frame) and back, while the
/// sensor turns by at most `wobble_rad` about `wobble_axis`, once out and back per
/// repetition.
pub fn travel(
    n: usize,
    per_s: f64,
    amplitude_m: f64,
    direction: Vec3,
    wobble_axis: Vec3,
    wobble_rad: f64,
) -> Scenario {
    let rep_s = 1.0 / per_s;
    let len = (direction[0].powi(2) + direction[1].powi(2) + direction[2].powi(2)).sqrt();
    let dir = scale(direction, 1.0 / len);
    let base = [0.1, 0.4, 1.0];
    let m = mount();
    let active = n as f64 * rep_s;
    Scenario {
        duration_s: LEAD_S + active + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            let u = (t - LEAD_S) / rep_s;
            let s = if u <= 0.0 || u >= n as f64 {
                0.0
            } else {
                out_and_back(u.fract())
            };
            Pose {
                position: add(base, scale(dir, amplitude_m * s)),
                rotation: mul(&rotation(wobble_axis, wobble_rad * s), &m),
            }
        }),
    }
}

/// A press: the hand pushes forward and up and comes back, turning less than 4°.
pub fn press(n: usize, per_s: f64) -> Scenario {
    // Faster presses are shorter: ~25 cm at 0.3/s, ~12 cm at 2/s.
    let amplitude = (0.27 - 0.075 * per_s).max(0.1);
    travel(n, per_s, amplitude, [0.0, 0.8, 0.6], [1.0, 0.0, 0.0], 0.06)
}

/// Wiping a table: the hand slides sideways across the table and back, turning less than
/// 5° about the vertical.
pub fn table_wipe(n: usize, per_s: f64) -> Scenario {
    let amplitude = (0.3 - 0.08 * per_s).max(0.12);
    travel(n, per_s, amplitude, [1.0, 0.1, 0.0], [0.0, 0.0, 1.0], 0.08)
}

/// Sawing: a quick forward-and-back stroke with a slight wrist tilt.
pub fn sawing(n: usize) -> Scenario {
    travel(n, 1.2, 0.16, [0.0, 1.0, -0.15], [1.0, 0.0, 0.0], 0.1)
}

/// An upright row: the hand travels `rise_m` up and back per repetition while the wrist
/// turns only `turn_rad`, there and back twice per repetition; `rise_m(k)` for repetition
/// `k`, 1.8 s each with no pause.
pub fn upright_row(
    n: usize,
    rise_m: impl Fn(usize) -> f64 + Send + Sync + 'static,
    turn_rad: f64,
) -> Scenario {
    let rep_s = 1.8;
    let base = [0.2, 0.3, 0.9];
    let m = mount();
    Scenario {
        duration_s: LEAD_S + n as f64 * rep_s + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            let u = (t - LEAD_S) / rep_s;
            let (s, turn) = if u <= 0.0 || u >= n as f64 {
                (0.0, 0.0)
            } else {
                let f = u.fract();
                (
                    rise_m(u as usize) * out_and_back(f),
                    turn_rad * out_and_back((2.0 * f).fract()),
                )
            };
            Pose {
                position: add(base, [0.0, 0.0, s]),
                rotation: mul(&rotation([0.0, 1.0, 0.0], turn), &m),
            }
        }),
    }
}

/// The limb turning about `axis` through a pivot (shoulder or elbow) `lever` away: the
/// sensor's pose for a turn of `angle` from the starting posture.
fn limb(pivot: Vec3, lever: Vec3, axis: Vec3, angle: f64) -> Pose {
    let r = rotation(axis, angle);
    Pose {
        position: add(pivot, apply(&r, lever)),
        rotation: mul(&r, &mount()),
    }
}

/// Slow repetitions: `n` shoulder flexions of ~0.9 rad, each lasting 6 to 10 s
/// (seeded), 1 s still between them.
pub fn slow_reps(n: usize, seed: u64) -> Scenario {
    let mut rng = Rng::new(seed);
    let mut spans = Vec::with_capacity(n);
    let mut t = LEAD_S;
    for _ in 0..n {
        let d = rng.range(6.0, 10.0);
        let a = rng.range(0.75, 1.05);
        spans.push((t, d, a));
        t += d + 1.0;
    }
    Scenario {
        duration_s: t + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            let angle = spans
                .iter()
                .find(|&&(s, d, _)| t >= s && t < s + d)
                .map_or(0.0, |&(s, d, a)| a * out_and_back((t - s) / d));
            limb([0.0, 0.0, 1.4], [0.0, 0.0, -0.6], [1.0, 0.0, 0.0], -angle)
        }),
    }
}

/// A whole set as it is recorded in a gym or a living room: the person walks up (arm
/// swinging, body bobbing; with `walk`, else they stand still), stops, bends to pick the
/// weight or phone up and settles it, then does `n` elbow flexions of ~1.1 rad (2.5 s
/// each, 0.5 s apart), then lowers the arm to put it down. Only the `n` flexions are
/// repetitions.
pub fn walk_up_and_set(n: usize, walk: bool) -> Scenario {
    let shoulder = [0.0, 0.0, 1.4];
    let arm = [0.0, 0.0, -0.6];
    let lateral = [1.0, 0.0, 0.0];
    let walk: (f64, f64) = if walk { (1.0, 7.0) } else { (1.0, 1.0) };
    let pick = (8.0, 11.0);
    let settle = [(11.2, 0.7, 0.15), (12.1, 0.6, -0.12)];
    let reps_at = 14.0;
    let (rep_s, gap_s) = (2.5, 0.5);
    let down_at = reps_at + n as f64 * (rep_s + gap_s) + 1.0;
    let walked = 1.1 * (walk.1 - walk.0 - 0.5).max(0.0);
    Scenario {
        duration_s: down_at + 4.0,
        reps: n,
        pose: Box::new(move |t| {
            // Where the body is: walking forward at ~1.1 m/s (easing in and out), bobbing.
            // Where the body is: walking forward, easing in and out, bobbing with the steps.
            let body_y = walked * ease((t - walk.0) / (walk.1 - walk.0).max(1e-9));
            let bob = if t > walk.0 + 0.5 && t < walk.1 - 0.5 {
                0.025 * (2.0 * PI * 1.8 * (t - walk.0 - 0.5)).sin()
            } else {
                0.0
            };
            let body = [0.0, body_y, bob];
            let pose = if t > walk.0 + 0.5 && t < walk.1 - 0.5 {
                // Arm swing with the steps.
                let swing = 0.35 * (2.0 * PI * 0.9 * (t - walk.0 - 0.5)).sin();
                limb(shoulder, arm, lateral, swing)
            } else if t >= pick.0 && t < pick.1 {
                // Bending to pick the weight up and bringing it up to the chest.
                let u = (t - pick.0) / (pick.1 - pick.0);
                let mut p = limb(shoulder, arm, lateral, -0.8 * out_and_back(u));
                p.position[2] -= 0.35 * out_and_back(u);
                p
            } else if let Some(&(s, d, a)) = settle.iter().find(|&&(s, d, _)| t >= s && t < s + d) {
                // Settling the grip.
                limb(
                    shoulder,
                    arm,
                    [0.0, 1.0, 0.0],
                    a * out_and_back((t - s) / d),
                )
            } else if t >= reps_at && t < down_at - 1.0 {
                // Elbow flexions: the forearm turns about the elbow, the upper arm still.
                let k = ((t - reps_at) / (rep_s + gap_s)).floor();
                let u = (t - reps_at - k * (rep_s + gap_s)) / rep_s;
                let angle = if u < 1.0 { -1.1 * out_and_back(u) } else { 0.0 };
                let elbow = add(shoulder, [0.0, 0.0, -0.3]);
                limb(elbow, [0.0, 0.0, -0.3], lateral, angle)
            } else if t >= down_at {
                // Lowering the arm and putting the weight down to the side: one way.
                let u = ((t - down_at) / 1.8).min(1.0);
                let mut p = limb(shoulder, arm, [0.0, 1.0, 0.0], 0.9 * ease(u));
                p.position[2] -= 0.3 * ease(u);
                p
            } else {
                limb(shoulder, arm, lateral, 0.0)
            };
            Pose {
                position: add(pose.position, body),
                rotation: pose.rotation,
            }
        }),
    }
}

/// `s` done standing: the body sways throughout (three slow sways of up to `sway_m` each,
/// 0.3-0.9 Hz, in seeded horizontal directions, as quiet standing and heavy breathing
/// after a set move a wrist), and the person stays `rest_after_s` longer, swaying, after
/// the set.
pub fn standing(s: Scenario, sway_m: f64, rest_after_s: f64, seed: u64) -> Scenario {
    let mut rng = Rng::new(seed);
    let sways: Vec<(f64, f64, f64)> = [0.3, 0.55, 0.9]
        .iter()
        .map(|&hz| (hz, rng.range(0.0, 2.0 * PI), rng.range(0.0, 2.0 * PI)))
        .collect();
    Scenario {
        duration_s: s.duration_s + rest_after_s,
        reps: s.reps,
        pose: Box::new(move |t| {
            let mut p = s.pose(t);
            for &(hz, phase, heading) in &sways {
                let d = sway_m * (2.0 * PI * hz * t + phase).sin();
                p.position[0] += d * heading.cos();
                p.position[1] += d * heading.sin();
            }
            p
        }),
    }
}

/// How much most people's repetitions vary in size and pace, either way (a fraction).
/// Survivors' vary more: the scenarios that take a `vary` are also run at twice this.
pub const VARY: f64 = 0.2;

/// Repetitions as a person makes them: `n` cycles one after another, each lasting about
/// `rep_s` and reaching about 1.0 (both varying by up to `vary` either way, seeded), with
/// `pause_s` still between them (0 for a continuous rhythm), from `LEAD_S`.
struct Cycles {
    spans: Vec<(f64, f64, f64)>,
}

impl Cycles {
    fn new(n: usize, rep_s: f64, pause_s: f64, vary: f64, seed: u64) -> Cycles {
        // At 1 or more a repetition could last no time or reach nowhere.
        assert!((0.0..1.0).contains(&vary), "vary {vary} is not in [0, 1)");
        let mut rng = Rng::new(seed);
        let mut t = LEAD_S;
        let spans = (0..n)
            .map(|_| {
                let d = rep_s * (1.0 + vary * rng.range(-1.0, 1.0));
                let a = 1.0 + vary * rng.range(-1.0, 1.0);
                let span = (t, d, a);
                t += d + pause_s;
                span
            })
            .collect();
        Cycles { spans }
    }

    /// Where the movement is at `t`: (phase in [0, 1), the cycle's size), or `None` at rest.
    fn at(&self, t: f64) -> Option<(f64, f64)> {
        let k = self
            .spans
            .partition_point(|&(s, _, _)| s <= t)
            .checked_sub(1)?;
        let (s, d, a) = self.spans[k];
        (t < s + d).then(|| ((t - s) / d, a))
    }

    fn end(&self) -> f64 {
        self.spans.last().map_or(LEAD_S, |&(s, d, _)| s + d)
    }

    /// The same cycles, the first beginning at `t0` instead of `LEAD_S`.
    fn from(mut self, t0: f64) -> Cycles {
        for span in &mut self.spans {
            span.0 += t0 - LEAD_S;
        }
        self
    }

    /// A scenario of these cycles, each out and back: `pose(s)` where `s` goes 0 → the
    /// cycle's size → 0 over each cycle and is 0 at rest.
    fn out_and_back(self, pose: impl Fn(f64) -> Pose + Send + Sync + 'static) -> Scenario {
        Scenario {
            duration_s: self.end() + TAIL_S,
            reps: self.spans.len(),
            pose: Box::new(move |t| pose(self.at(t).map_or(0.0, |(u, a)| a * out_and_back(u)))),
        }
    }
}

/// Stirring a pot: the hand circles `radius_m` about a vertical axis, `per_s` circles per
/// second with no pause, the wrist turning a little with it. One circle is one repetition.
/// Stirring a pot: the hand circles about `radius_m` about a vertical axis, about `per_s`
/// circles per second with no pause (pace and size drifting smoothly, as a person's do;
/// the hand speeding up from rest over the first half second and slowing to rest over the
/// last), the wrist tilting a little with it. One circle is one repetition.
pub fn stirring(n: usize, per_s: f64, radius_m: f64, seed: u64) -> Scenario {
    let mut rng = Rng::new(seed);
    let ph: [f64; 3] = std::array::from_fn(|_| rng.range(0.0, 2.0 * PI));
    let active = n as f64 / per_s;
    let ramp = 0.5;
    // Phase on a 1 ms grid: a drifting rate under a speed envelope, scaled so that the
    // hand makes exactly `n` circles.
    let step = 1e-3;
    let steps = (active / step).ceil() as usize;
    let rate = |t: f64| {
        let drift = 1.0
            + 0.12 * (2.0 * PI * t / 7.3 + ph[0]).sin()
            + 0.06 * (2.0 * PI * t / 3.1 + ph[1]).sin();
        drift * ease(t / ramp) * ease((active - t) / ramp)
    };
    let mut phase = Vec::with_capacity(steps + 1);
    let mut acc = 0.0;
    phase.push(0.0);
    for k in 0..steps {
        acc += rate((k as f64 + 0.5) * step) * step;
        phase.push(acc);
    }
    let k = 2.0 * PI * n as f64 / acc;
    let m = mount();
    Scenario {
        duration_s: LEAD_S + active + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            let u = ((t - LEAD_S) / step).clamp(0.0, steps as f64);
            let i = (u.floor() as usize).min(steps - 1);
            let ang = k * (phase[i] + (u - i as f64) * (phase[i + 1] - phase[i]));
            let r = radius_m * (1.0 + 0.15 * (2.0 * PI * t / 5.3 + ph[2]).sin());
            Pose {
                position: [0.1 + r * (ang.cos() - 1.0), 0.4 + r * ang.sin(), 0.9],
                rotation: mul(&rotation([1.0, 0.0, 0.0], 0.05 * ang.sin()), &m),
            }
        }),
    }
}

/// Brushing teeth: quick small strokes (`amplitude_m`, `per_s` strokes a second, no pause),
/// the wrist hardly turning.
pub fn brushing(n: usize, per_s: f64, amplitude_m: f64, seed: u64) -> Scenario {
    back_and_forth(n, per_s, amplitude_m, [1.0, 0.2, 0.1], 0.06, VARY, seed)
}

/// `n` strokes out and back along `direction`, no pause, each varying in length and pace by
/// up to `vary` either way (`VARY` for most people), the sensor turning up to `wobble_rad`
/// with each.
pub fn back_and_forth(
    n: usize,
    per_s: f64,
    amplitude_m: f64,
    direction: Vec3,
    wobble_rad: f64,
    vary: f64,
    seed: u64,
) -> Scenario {
    let len = (direction[0].powi(2) + direction[1].powi(2) + direction[2].powi(2)).sqrt();
    let dir = scale(direction, 1.0 / len);
    let m = mount();
    Cycles::new(n, 1.0 / per_s, 0.0, vary, seed).out_and_back(move |s| Pose {
        position: add([0.1, 0.4, 1.0], scale(dir, amplitude_m * s)),
        rotation: mul(&rotation([0.0, 0.0, 1.0], wobble_rad * s), &m),
    })
}

/// Squats with the phone strapped to the upper arm, arms held forward: the body goes
/// `depth_m` down and up (and back a little), the upper arm tilting ~0.2 rad, `rep_s` each with
/// `pause_s` standing between.
pub fn arm_phone_squats(n: usize, rep_s: f64, pause_s: f64, depth_m: f64, seed: u64) -> Scenario {
    Cycles::new(n, rep_s, pause_s, 0.15, seed).out_and_back(move |s| {
        let mut p = limb([0.0, 0.0, 1.4], [0.0, 0.15, -0.1], [1.0, 0.0, 0.0], 0.2 * s);
        p.position[2] -= depth_m * s;
        p.position[1] -= 0.1 * s;
        p
    })
}

/// Jumping jacks with the phone on the upper arm: the arm sweeps up sideways by ~2.6 rad
/// and back while the body hops (~5 cm), `rep_s` each, no pause.
pub fn arm_phone_jumping_jacks(n: usize, rep_s: f64, seed: u64) -> Scenario {
    let c = Cycles::new(n, rep_s, 0.0, 0.1, seed);
    Scenario {
        duration_s: c.end() + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            let (s, hop) = c.at(t).map_or((0.0, 0.0), |(u, a)| {
                (a * out_and_back(u), 0.05 * (PI * (2.0 * u).fract()).sin())
            });
            let mut p = limb([0.0, 0.0, 1.4], [0.0, 0.0, -0.15], [0.0, 1.0, 0.0], 2.6 * s);
            p.position[2] += hop;
            p
        }),
    }
}

/// A barbell bench press with a wristband: the wrist goes `travel_m` up and down along the
/// vertical (lying down), hardly turning, `rep_s` each with 0.4 s at the top between them.
pub fn bench_press(n: usize, rep_s: f64, travel_m: f64, seed: u64) -> Scenario {
    bench_press_paused(n, rep_s, 0.4, travel_m, seed)
}

/// [`bench_press`] with `pause_s` at the top between repetitions (a dead stop, a breath).
pub fn bench_press_paused(
    n: usize,
    rep_s: f64,
    pause_s: f64,
    travel_m: f64,
    seed: u64,
) -> Scenario {
    let m = mount();
    Cycles::new(n, rep_s, pause_s, 0.15, seed).out_and_back(move |s| Pose {
        position: [0.2, 0.3, 1.0 - travel_m * s],
        rotation: mul(&rotation([1.0, 0.0, 0.0], 0.05 * s), &m),
    })
}

/// A right arm's posture (rad): the shoulder's flexion (the arm forward) and abduction
/// (sideways), the elbow's flexion, and the forearm's turn about its own length (pronation),
/// for daily tasks that move several joints at once. A wrist device sits at the wrist.
#[derive(Debug, Clone, Copy)]
struct Arm {
    flex: f64,
    abd: f64,
    elbow: f64,
    pron: f64,
}

/// Shoulder position (m) and segment lengths of the simulated arm.
const SHOULDER: Vec3 = [0.0, 0.0, 1.4];
const UPPER_ARM_M: f64 = 0.3;
const FOREARM_M: f64 = 0.27;

impl Arm {
    const fn new(flex: f64, abd: f64, elbow: f64, pron: f64) -> Arm {
        Arm {
            flex,
            abd,
            elbow,
            pron,
        }
    }

    /// The posture `k` of the way (0 → 1) from `self` to `to`.
    fn toward(self, to: Arm, k: f64) -> Arm {
        let l = |a: f64, b: f64| a + (b - a) * k;
        Arm::new(
            l(self.flex, to.flex),
            l(self.abd, to.abd),
            l(self.elbow, to.elbow),
            l(self.pron, to.pron),
        )
    }

    /// The wrist device's pose: the upper arm hangs from the shoulder (abduction out to the
    /// side, about the forward axis, then flexion about the side-to-side axis: an arm
    /// abducted and flexed points out and forward or up), the forearm bends at the elbow
    /// about the upper arm's lateral axis and turns about its own length.
    fn pose(self) -> Pose {
        self.pose_from(SHOULDER)
    }

    /// [`Arm::pose`] with the shoulder at `shoulder`.
    fn pose_from(self, shoulder: Vec3) -> Pose {
        let upper = mul(
            &rotation([1.0, 0.0, 0.0], self.flex),
            &rotation([0.0, 1.0, 0.0], -self.abd),
        );
        let fore = mul(&upper, &rotation([1.0, 0.0, 0.0], self.elbow));
        let hand = mul(&fore, &rotation([0.0, 0.0, 1.0], self.pron));
        Pose {
            position: add(
                add(shoulder, apply(&upper, [0.0, 0.0, -UPPER_ARM_M])),
                apply(&fore, [0.0, 0.0, -FOREARM_M]),
            ),
            rotation: mul(&hand, &mount()),
        }
    }
}

/// Where `u` (0 → 1 over a cycle) is within the phase `[from, to)`, eased 0 → 1.
fn phase(u: f64, from: f64, to: f64) -> f64 {
    ease((u - from) / (to - from))
}

impl Cycles {
    /// A scenario of these cycles, each a sequence of phases: `arm(u, size)` for `u` going
    /// 0 → 1 over each cycle, and `arm(0, 1)` at rest.
    fn task(self, arm: impl Fn(f64, f64) -> Arm + Send + Sync + 'static) -> Scenario {
        Scenario {
            duration_s: self.end() + TAIL_S,
            reps: self.spans.len(),
            pose: Box::new(move |t| {
                let (u, a) = self.at(t).unwrap_or((0.0, 1.0));
                arm(u, a).pose()
            }),
        }
    }
}

/// Drinking from a cup: from the table the hand lifts the cup to the mouth (shoulder and
/// elbow), tips it (the forearm turns ~0.8 rad) and back, and lowers it to the table:
/// `rep_s` each, `pause_s` with the cup on the table between sips. One sip is one
/// repetition.
pub fn drinking(n: usize, rep_s: f64, pause_s: f64, seed: u64) -> Scenario {
    let table = Arm::new(0.35, 0.1, 1.35, 0.0);
    Cycles::new(n, rep_s, pause_s, VARY, seed).task(move |u, a| {
        let mouth = Arm::new(0.55, 0.2, 1.35 + 0.9 * a, 0.0);
        if u < 0.35 {
            table.toward(mouth, phase(u, 0.0, 0.35))
        } else if u < 0.65 {
            let tip = 0.8 * a * out_and_back((u - 0.35) / 0.3);
            Arm {
                pron: -tip,
                ..mouth
            }
        } else {
            mouth.toward(table, phase(u, 0.65, 1.0))
        }
    })
}

/// Reaching to a shelf: the arm goes up and forward (shoulder ~1.1 rad) while the elbow
/// straightens (1.2 rad), so that the forearm keeps about its pitch (within 0.1-0.3 rad,
/// depending on how far the reach goes) while the hand travels ~40 cm; it holds there a
/// moment to take or place something, and comes back: `rep_s` each, `pause_s` between,
/// each reach varying in length and pace by up to `vary` either way (`VARY` for most
/// people).
pub fn reach_to_shelf(n: usize, rep_s: f64, pause_s: f64, vary: f64, seed: u64) -> Scenario {
    let lap = Arm::new(0.2, 0.1, 1.5, 0.2);
    Cycles::new(n, rep_s, pause_s, vary, seed).task(move |u, a| {
        let shelf = Arm::new(0.2 + 1.1 * a, 0.1, 0.3, 0.2);
        if u < 0.4 {
            lap.toward(shelf, phase(u, 0.0, 0.4))
        } else if u < 0.55 {
            shelf
        } else {
            shelf.toward(lap, phase(u, 0.55, 1.0))
        }
    })
}

/// Combing hair: the arm is raised to the head (a set-up over the first 1.5 s), then
/// strokes front to back (the shoulder swinging the raised arm back, ~0.4 rad, the elbow
/// opening a little) and a return lifted away from the head, `rep_s` each with no pause;
/// the arm comes down after.
pub fn combing(n: usize, rep_s: f64, seed: u64) -> Scenario {
    let down = Arm::new(0.1, 0.1, 0.3, 0.0);
    // The hand at the side of the head, above the ear; a stroke swings the raised arm
    // back about the shoulder (the hand ~7 cm back) and opens the elbow a little.
    let front = Arm::new(2.2, 1.0, 2.3, 0.4);
    let c = Cycles::new(n, rep_s, 0.0, VARY, seed);
    let (begin, end) = (LEAD_S, c.end());
    Scenario {
        duration_s: end + 1.5 + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            let arm = if t < begin {
                down.toward(front, ease((t - (begin - 1.5)) / 1.5))
            } else if let Some((u, a)) = c.at(t) {
                let back = Arm::new(front.flex + 0.4 * a, front.abd, front.elbow + 0.15, 0.4);
                if u < 0.55 {
                    front.toward(back, phase(u, 0.0, 0.55))
                } else {
                    let lift = 0.15 * (PI * (u - 0.55) / 0.45).sin();
                    let mut arm = back.toward(front, phase(u, 0.55, 1.0));
                    arm.abd += lift;
                    arm
                }
            } else if t >= end {
                front.toward(down, ease((t - end) / 1.5))
            } else {
                front
            };
            arm.pose()
        }),
    }
}

/// Turning a key (or a door knob): the forearm, held forward, turns ~0.9 rad about its own
/// length and back, `rep_s` each, with no pause: the hand hardly travels.
pub fn turning_key(n: usize, rep_s: f64, seed: u64) -> Scenario {
    let hold = Arm::new(0.7, 0.1, 1.2, 0.0);
    Cycles::new(n, rep_s, 0.0, VARY, seed).task(move |u, a| Arm {
        pron: 0.9 * a * out_and_back(u),
        ..hold
    })
}

/// Pouring from a jug: the hand lifts the jug a little, tips it slowly (the forearm turns
/// ~1.2 rad), holds while it pours, tips it back and sets it down: `rep_s` each, `pause_s`
/// between.
pub fn pouring(n: usize, rep_s: f64, pause_s: f64, seed: u64) -> Scenario {
    let rest = Arm::new(0.45, 0.1, 1.45, 0.0);
    Cycles::new(n, rep_s, pause_s, VARY, seed).task(move |u, a| {
        let lifted = Arm::new(0.55, 0.15, 1.6, 0.0);
        let tipped = Arm {
            pron: 1.2 * a,
            ..lifted
        };
        if u < 0.15 {
            rest.toward(lifted, phase(u, 0.0, 0.15))
        } else if u < 0.45 {
            lifted.toward(tipped, phase(u, 0.15, 0.45))
        } else if u < 0.6 {
            tipped
        } else if u < 0.85 {
            tipped.toward(lifted, phase(u, 0.6, 0.85))
        } else {
            lifted.toward(rest, phase(u, 0.85, 1.0))
        }
    })
}

/// A whole barbell bench-press set as a wristband records it: the person sits on the
/// bench, lies back (the body turns ~1.5 rad), reaches up to the bar, settles the grip,
/// unracks it (the arms swing ~0.35 rad from over the face to over the chest), presses
/// `n` times (the wrist travelling ~`travel_m` down and up, `rep_s` each with 0.4 s at
/// the top, hardly turning), racks the bar, lowers the arm and sits up. Only the presses
/// are repetitions.
pub fn bench_press_set(n: usize, rep_s: f64, travel_m: f64, seed: u64) -> Scenario {
    let hip = [0.0, 0.0, 0.45];
    let shoulder = [0.2, 0.0, 0.5];
    let (lie, reach, grip, unrack, first) = (2.0, 4.2, 5.4, 6.4, 8.2);
    let presses = Cycles::new(n, rep_s, 0.4, 0.15, seed).from(first);
    let rack = presses.end() + 0.5;
    let (lower, sit, done) = (rack + 2.0, rack + 3.4, rack + 5.6);
    let (hang, bar) = (
        Arm::new(0.0, 0.1, 0.3, 0.0),
        Arm::new(PI / 2.0 + 0.35, 0.2, 0.1, 0.0),
    );
    let over_chest = Arm {
        flex: PI / 2.0,
        ..bar
    };
    Scenario {
        duration_s: done + TAIL_S,
        reps: n,
        pose: Box::new(move |t| {
            // The body's tilt back (about the hip), and the arm's posture in the body.
            let tilt = PI / 2.0 * (ease((t - lie) / 2.0) - ease((t - sit) / 2.2));
            let (arm, press) = if t < grip {
                (hang.toward(bar, ease((t - reach) / 1.2)), 0.0)
            } else if t < unrack {
                let wiggle = 0.15 * (2.0 * PI * (t - grip)).sin();
                (
                    Arm {
                        pron: wiggle,
                        ..bar
                    },
                    0.0,
                )
            } else if t < first {
                (bar.toward(over_chest, ease((t - unrack) / 1.5)), 0.0)
            } else if t < rack {
                let s = presses.at(t).map_or(0.0, |(u, a)| a * out_and_back(u));
                (over_chest, s)
            } else if t < lower {
                (over_chest.toward(bar, ease((t - rack) / 1.5)), 0.0)
            } else {
                (bar.toward(hang, ease((t - lower) / 1.2)), 0.0)
            };
            let mut p = arm.pose_from(shoulder);
            // A press: the wrist goes down toward the chest (the body's back, -y) and up,
            // the forearm tilting a little.
            p.position[1] -= travel_m * press;
            p.rotation = mul(&rotation([1.0, 0.0, 0.0], 0.05 * press), &p.rotation);
            let body = rotation([1.0, 0.0, 0.0], tilt);
            Pose {
                position: add(hip, apply(&body, p.position)),
                rotation: mul(&body, &p.rotation),
            }
        }),
    }
}

/// Elbow flexions (curls) with a wrist device, `rep_s` each, `pause_s` between, sizes and
/// paces varying as a person's do.
pub fn curls(n: usize, rep_s: f64, pause_s: f64, seed: u64) -> Scenario {
    Cycles::new(n, rep_s, pause_s, VARY, seed)
        .out_and_back(move |s| limb([0.0, 0.0, 1.1], [0.0, 0.0, -0.3], [1.0, 0.0, 0.0], -1.9 * s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(v: Vec3) -> f64 {
        (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt()
    }

    #[test]
    fn a_still_sensor_reads_gravity_and_no_rate() {
        let s = travel(0, 1.0, 0.2, [1.0, 0.0, 0.0], [1.0, 0.0, 0.0], 0.0);
        let dev = Device {
            acc_noise: 0.0,
            gyro_noise: 0.0,
            gyro_bias: [0.0; 3],
            tremor: (0.0, 1.0),
            ..Device::default()
        };
        let (t, x) = s.record(&dev);
        assert!(t.len() > 150);
        for c in x.chunks(6) {
            let acc = [c[0], c[1], c[2]].map(f64::from);
            assert!((norm(acc) - 9.81).abs() < 1e-3, "{acc:?}");
            assert!(c[3..].iter().all(|g| g.abs() < 1e-6));
        }
    }

    #[test]
    fn a_press_travels_and_hardly_turns() {
        let s = press(5, 1.0);
        let (a, b) = (s.pose(0.0), s.pose(LEAD_S + 0.5));
        let moved = norm([0, 1, 2].map(|i| b.position[i] - a.position[i]));
        assert!((moved - 0.195).abs() < 1e-6, "moved {moved}");
        let dev = Device {
            gyro_bias: [0.0; 3],
            tremor: (0.0, 1.0),
            gyro_noise: 0.0,
            ..Device::default()
        };
        let (t, x) = s.record(&dev);
        // Integrated rate stays under 10 degrees of turning.
        let mut angle = 0.0f64;
        let mut most = 0.0f64;
        for (w, c) in t.windows(2).zip(x.chunks(6)) {
            let r = [c[3], c[4], c[5]].map(f64::from);
            angle += norm(r) * (w[1] - w[0]);
            most = most.max(norm(r));
        }
        assert!(most < 0.5, "peak rate {most}");
        assert_eq!(s.reps, 5);
        assert!(angle / 5.0 < 2.0 * 0.06 * 1.1, "turned {angle} rad in all");
    }

    #[test]
    fn rate_matches_the_turn() {
        // A pure turn about the world x axis at a known rate reads that rate.
        let s = slow_reps(1, 3);
        let dev = Device {
            gyro_bias: [0.0; 3],
            tremor: (0.0, 1.0),
            gyro_noise: 0.0,
            acc_noise: 0.0,
            jitter: 0.0,
            ..Device::default()
        };
        let (t, x) = s.record(&dev);
        let mut turned = 0.0;
        for (w, c) in t.windows(2).zip(x.chunks(6)) {
            turned += f64::from(c[3..].iter().map(|g| g * g).sum::<f32>()).sqrt() * (w[1] - w[0]);
        }
        // Out and back: twice the amplitude (0.75-1.05 rad).
        assert!((1.5..2.2).contains(&turned), "turned {turned}");
    }
}
