//! Synthetic but realistic motion of an impaired arm, for the demo, tests and
//! benchmarks: slow, uneven repetitions whose range varies and fades with
//! fatigue, with tremor, sensor noise, gyroscope bias and jittery timestamps.
//! Deterministic for a seed. The truth (how many movements were made, and how
//! large) is known, so what the counter reports can be checked against it.
//!
//! Layer 0 (a leaf, beside `model`): imports nothing of ours.

pub mod body;

/// Small deterministic PRNG (xorshift64*), shared by the simulations, the demo,
/// the crash tests and the benchmarks.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in 0..n (n > 0; the tiny modulo bias does not matter here).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// One planned movement: out to `amplitude` radians and back in `duration_s`,
/// then still for `pause_s`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Movement {
    /// Peak rotation, radians.
    pub amplitude: f64,
    /// Seconds out and back.
    pub duration_s: f64,
    /// Seconds still after it.
    pub pause_s: f64,
}

/// How a person moves in one set.
#[derive(Debug, Clone)]
pub struct Performer {
    /// Sample rate, Hz.
    pub rate_hz: f64,
    /// Timestamp jitter as a fraction of the sample interval.
    pub jitter: f64,
    /// Rotation axis in the sensor frame (unit vector).
    pub axis: [f64; 3],
    /// Tremor: (amplitude rad/s, frequency Hz).
    pub tremor: (f64, f64),
    /// Gyroscope noise, rad/s.
    pub gyro_noise: f64,
    /// Seconds still before the first movement.
    pub lead_s: f64,
}

impl Default for Performer {
    fn default() -> Self {
        Performer {
            rate_hz: 50.0,
            jitter: 0.15,
            axis: normalize([0.2, 0.9, -0.4]),
            tremor: (0.06, 5.5),
            gyro_noise: 0.01,
            lead_s: 1.5,
        }
    }
}

fn normalize(v: [f64; 3]) -> [f64; 3] {
    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    [v[0] / n, v[1] / n, v[2] / n]
}

/// A set of `n` movements of an impaired limb: range around `typical_rad`,
/// varying ±20%, fading to ~75% with fatigue, every so often a clearly short one;
/// 1.5-5 s each with 0.3-2.5 s pauses.
pub fn impaired_set(rng: &mut Rng, n: usize, typical_rad: f64) -> Vec<Movement> {
    impaired_set_paced(rng, n, typical_rad, (1.5, 5.0), (0.3, 2.5))
}

/// [`impaired_set`] with the movement and pause durations (seconds, `(min, max)`).
pub fn impaired_set_paced(
    rng: &mut Rng,
    n: usize,
    typical_rad: f64,
    duration_s: (f64, f64),
    pause_s: (f64, f64),
) -> Vec<Movement> {
    (0..n)
        .map(|i| {
            let fatigue = 1.0 - 0.25 * (i as f64 / n.max(1) as f64);
            let short = if rng.unit() < 0.12 { 0.45 } else { 1.0 };
            Movement {
                amplitude: typical_rad * fatigue * short * rng.range(0.8, 1.2),
                duration_s: rng.range(duration_s.0, duration_s.1),
                pause_s: rng.range(pause_s.0, pause_s.1),
            }
        })
        .collect()
}

/// A stream of 6-axis samples playing `movements`, in batches.
pub struct ImuStream {
    performer: Performer,
    rng: Rng,
    movements: Vec<Movement>,
    /// (start, end) of each movement, seconds.
    spans: Vec<(f64, f64)>,
    t: f64,
    end_s: f64,
    bias: [f64; 3],
}

impl ImuStream {
    /// Plays `movements` after `performer.lead_s` of stillness, with 1.5 s still at the end.
    pub fn new(performer: Performer, seed: u64, movements: Vec<Movement>) -> ImuStream {
        let mut rng = Rng::new(seed);
        let mut spans = Vec::with_capacity(movements.len());
        let mut t = performer.lead_s;
        for m in &movements {
            spans.push((t, t + m.duration_s));
            t += m.duration_s + m.pause_s;
        }
        let bias = [0, 1, 2].map(|_| rng.range(-0.02, 0.02));
        ImuStream {
            performer,
            rng,
            movements,
            spans,
            t: 0.0,
            end_s: t + 1.5,
            bias,
        }
    }

    /// The movements being played.
    pub fn movements(&self) -> &[Movement] {
        &self.movements
    }

    /// Seconds of recording in all.
    pub fn duration_s(&self) -> f64 {
        self.end_s
    }

    /// Sample time reached so far.
    pub fn time_s(&self) -> f64 {
        self.t
    }

    fn angle(&self, t: f64) -> f64 {
        // Movements are sorted; a binary search keeps this O(log n).
        let i = self.spans.partition_point(|&(_, end)| end < t);
        match self.spans.get(i) {
            Some(&(start, end)) if t >= start => {
                let u = (t - start) / (end - start);
                self.movements[i].amplitude * 0.5 * (1.0 - (2.0 * std::f64::consts::PI * u).cos())
            }
            _ => 0.0,
        }
    }

    /// The next `seconds` of samples into `t_s` and `samples` (cleared first);
    /// false once the recording is over.
    pub fn next_batch(&mut self, seconds: f64, t_s: &mut Vec<f64>, samples: &mut Vec<f32>) -> bool {
        t_s.clear();
        samples.clear();
        let stop = (self.t + seconds).min(self.end_s);
        let p = &self.performer;
        let dt = 1.0 / p.rate_hz;
        while self.t < stop {
            let t = self.t;
            let h = 1e-3;
            let a = self.angle(t);
            let rate = (self.angle(t + h) - self.angle(t - h)) / (2.0 * h);
            let (tremor_amp, tremor_hz) = p.tremor;
            let tremor = tremor_amp * (2.0 * std::f64::consts::PI * tremor_hz * t).sin();
            let g = gravity(p.axis, a);
            t_s.push(t);
            for v in g {
                samples.push((v + 0.03 * self.rng.range(-1.0, 1.0)) as f32);
            }
            for i in 0..3 {
                let noise = p.gyro_noise * self.rng.range(-1.0, 1.0);
                samples.push((p.axis[i] * (rate + tremor) + self.bias[i] + noise) as f32);
            }
            self.t += dt * (1.0 + p.jitter * self.rng.range(-1.0, 1.0));
        }
        !t_s.is_empty()
    }
}

/// Gravity in the sensor frame after rotating by `angle` about unit `u` (Rodrigues).
fn gravity(u: [f64; 3], angle: f64) -> [f64; 3] {
    let g = [0.0, 0.0, 9.81];
    let (s, c) = (-angle).sin_cos();
    let dot = u[2] * g[2];
    let cross = [u[1] * g[2], -u[0] * g[2], 0.0];
    [0, 1, 2].map(|i| g[i] * c + cross[i] * s + u[i] * dot * (1.0 - c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_plays_every_movement_and_ends() {
        let mut rng = Rng::new(3);
        let set = impaired_set(&mut rng, 5, 0.8);
        let mut s = ImuStream::new(Performer::default(), 1, set);
        let (mut t, mut x) = (Vec::new(), Vec::new());
        let mut n = 0;
        let mut last = -1.0;
        while s.next_batch(0.1, &mut t, &mut x) {
            assert_eq!(x.len(), 6 * t.len());
            assert!(t.windows(2).all(|w| w[1] > w[0]) && t[0] > last);
            last = *t.last().unwrap();
            n += t.len();
        }
        let expected = s.duration_s() * 50.0;
        assert!(
            (n as f64 - expected).abs() < expected * 0.05,
            "{n} vs {expected}"
        );
    }

    #[test]
    fn impaired_sets_vary_and_fade() {
        let mut rng = Rng::new(9);
        let set = impaired_set(&mut rng, 40, 1.0);
        let first: f64 = set[..10].iter().map(|m| m.amplitude).sum::<f64>() / 10.0;
        let last: f64 = set[30..].iter().map(|m| m.amplitude).sum::<f64>() / 10.0;
        assert!(last < first, "fatigue: {first} -> {last}");
        assert!(set
            .iter()
            .all(|m| m.duration_s >= 1.5 && m.duration_s < 5.0));
    }
}
