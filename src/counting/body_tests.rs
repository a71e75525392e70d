//! Counting physically simulated movements (`sim::body`): movements that travel and hardly
//! turn, continuous rhythm with no pause, a walk-up and set-up before the set, slow reps.
//! Each test asserts the count a therapist watching would give.

use super::*;
use crate::sim::body::{self, Device, Scenario};

/// Count a recording as the app would: ~100 ms batches, then `finish`.
fn count(s: &Scenario, device: &Device) -> Vec<RepEvent> {
    let (t, x) = s.record(device);
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    let batch = ((device.rate_hz * 0.1).round() as usize).max(1);
    for (tb, xb) in t.chunks(batch).zip(x.chunks(6 * batch)) {
        c.push_imu(tb, xb, &mut out).expect("valid batch");
    }
    c.finish(&mut out);
    out
}

fn at(rate_hz: f64) -> Device {
    Device {
        rate_hz,
        ..Device::default()
    }
}

#[test]
fn explore() {
    for (name, s) in [
        ("press 0.3", body::press(12, 0.3)),
        ("press 1", body::press(20, 1.0)),
        ("press 2", body::press(30, 2.0)),
        ("wipe 0.3", body::table_wipe(12, 0.3)),
        ("wipe 1", body::table_wipe(20, 1.0)),
        ("wipe 2", body::table_wipe(30, 2.0)),
        ("saw", body::sawing(30)),
        ("walkup", body::walk_up_and_set(10)),
        ("slow", body::slow_reps(6, 4)),
    ] {
        for hz in [10.0, 25.0, 50.0, 100.0] {
            let out = count(&s, &at(hz));
            println!("{name:<10} {hz:>5} Hz: {} of {}", out.len(), s.reps);
        }
    }
}

#[test]
fn explore_detail() {
    for (name, s, hz) in [
        ("press 0.3", body::press(12, 0.3), 100.0),
        ("wipe 2", body::table_wipe(30, 2.0), 100.0),
        ("wipe 1", body::table_wipe(20, 1.0), 50.0),
    ] {
        let out = count(&s, &at(hz));
        println!("{name}: {}", out.len());
        for e in &out {
            println!("  {:.2}-{:.2} amp {:.3} travel {}", e.start_s, e.end_s, e.amplitude, e.travel);
        }
    }
}

#[test]
fn explore_row() {
    let s = body::upright_row(12, |_| 0.35, 0.3);
    let out = count(&s, &Device::default());
    for e in &out {
        println!("  {:.2}-{:.2} amp {:.3} travel {}", e.start_s, e.end_s, e.amplitude, e.travel);
    }
}
