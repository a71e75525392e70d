//! Counting physically simulated movements (`sim::body`): movements that travel and hardly
//! turn, continuous rhythm with no pause, circles, whole-body exercises with the phone on
//! the upper arm, gym lifts with a wristband, irregular watch timestamps, the set-up before
//! a set and the put-down after it, slow repetitions. Each test asserts the count a therapist watching would give, on
//! devices from 10 to 100 Hz with jittery timestamps.

use super::*;
use crate::sim::body::{self, Device, Scenario};

/// Count a recording as the app would: ~100 ms batches, then `finish`.
fn count(s: &Scenario, device: &Device) -> Vec<RepEvent> {
    s.count(device, RepCounter::new(CounterConfig::default(), None))
}

const RATES: [f64; 4] = [10.0, 25.0, 50.0, 100.0];

fn at(rate_hz: f64) -> Device {
    Device {
        rate_hz,
        seed: rate_hz as u64,
        ..Device::default()
    }
}

/// Counts of `s` at every rate: each within one of the truth (within `slack_10hz` at
/// 10 Hz, where a movement of 1-2 per second has only 5-8 samples a cycle), and exact on
/// at least `exact_of_4` rates. Returns the counts.
fn check(name: &str, s: &Scenario, exact_of_4: usize, slack_10hz: usize) -> Vec<usize> {
    let counts: Vec<usize> = RATES.iter().map(|&hz| count(s, &at(hz)).len()).collect();
    let exact = counts.iter().filter(|&&n| n == s.reps).count();
    let within = |(&hz, &n): (&f64, &usize)| {
        let slack = if hz <= 10.0 { slack_10hz } else { 1 };
        n.abs_diff(s.reps) <= slack
    };
    assert!(
        RATES.iter().zip(&counts).all(within) && exact >= exact_of_4,
        "{name}: counted {counts:?} at {RATES:?} Hz, truth {}",
        s.reps
    );
    counts
}

#[test]
fn presses_that_hardly_turn_are_counted_at_any_pace() {
    // Less than 4 degrees of turning: the rotation sees nothing, the travel channel all.
    check("press 0.3/s", &body::press(12, 0.3), 4, 1);
    check("press 1/s", &body::press(20, 1.0), 4, 1);
    check("press 2/s", &body::press(30, 2.0), 4, 1);
}

#[test]
fn table_wiping_with_no_pause_is_counted_at_any_pace() {
    check("wipe 0.3/s", &body::table_wipe(12, 0.3), 4, 1);
    check("wipe 1/s", &body::table_wipe(20, 1.0), 4, 1);
    check("wipe 2/s", &body::table_wipe(30, 2.0), 3, 2);
}

#[test]
fn sawing_back_and_forth_is_counted() {
    check("sawing", &body::sawing(30), 4, 2);
}

#[test]
fn travelled_reps_are_reported_with_their_own_times_and_in_metres() {
    let s = body::press(20, 1.0);
    let out = count(&s, &at(50.0));
    assert_eq!(out.len(), 20);
    // Counting moved to the travel channel and reported the presses it had seen already.
    assert!(out.iter().all(|e| e.travel), "{out:?}");
    for (k, e) in out.iter().enumerate() {
        // Press k runs from 2 + k s to 3 + k s; its reported span lies within it (band
        // limiting shifts it by a fraction of a second).
        let start = 2.0 + k as f64;
        assert!(
            (start - 0.3..start + 0.6).contains(&e.start_s) && e.end_s <= start + 1.3,
            "press {k}: {e:?}"
        );
        // Metres of travel (the press goes 19.5 cm); the first, on which the travel's
        // direction is still being learned, reads smaller.
        let least = if k == 0 { 0.05 } else { 0.1 };
        assert!((least..0.3).contains(&e.amplitude), "metres: {e:?}");
    }
    assert!(out.windows(2).all(|w| w[1].start_s >= w[0].end_s));
}

#[test]
fn set_up_before_the_set_and_put_down_after_it_do_not_count() {
    // Standing: bending to pick the weight up, settling the grip, a pause, ten elbow
    // flexions, lowering the arm to put it down.
    let s = body::walk_up_and_set(10, false);
    for hz in RATES {
        let out = count(&s, &at(hz));
        assert_eq!(out.len(), 10, "{hz} Hz: {out:?}");
        // The first reported movement is the first flexion (at 14 s), not the pick-up.
        assert!(out[0].start_s > 13.0, "{hz} Hz: {:?}", out[0]);
    }
}

#[test]
#[ignore = "known gap: an arm swinging with the steps of a walk-up is as steady as a set \
            and is counted (issue 14 note)"]
fn a_walk_up_before_the_set_does_not_count() {
    let s = body::walk_up_and_set(10, true);
    assert_eq!(count(&s, &at(50.0)).len(), 10);
}

#[test]
fn a_person_swaying_as_they_stand_is_not_counted() {
    // Standing, and breathing hard after a set, sway a wrist by 1-2.5 cm at 0.3-0.9 Hz: a
    // real movement, and the reason the travel channel's floor is 1.5 cm (at 0.8 cm this
    // swaying alone counts 6-18 reps).
    let swaying = body::standing(body::curls(0, 2.0, 0.5, 12), 0.008, 40.0, 5);
    for hz in RATES {
        let out = count(&swaying, &at(hz));
        assert!(out.is_empty(), "{hz} Hz: {out:?}");
    }
    // Sets done standing, then 20 s of swaying rest: the sets' counts only.
    let curls = body::standing(body::curls(12, 2.0, 0.5, 12), 0.008, 20.0, 3);
    check("curls, standing", &curls, 4, 0);
    let wipe = body::standing(body::table_wipe(20, 1.0), 0.008, 20.0, 4);
    check("wipe, standing", &wipe, 3, 1);
}

#[test]
fn slow_reps_of_six_to_ten_seconds_are_counted() {
    for seed in [4, 5] {
        check("slow", &body::slow_reps(6, seed), 4, 0);
    }
}

#[test]
fn stirring_in_circles_is_counted() {
    // A circle has no single direction of travel: its principal direction is arbitrary, and
    // the travel along any one direction still goes out and back once a circle.
    // The first circle (from 2 s, speeding up from rest) comes while the travel channel's
    // floor is still 4 cm (see `quick_strokes_of_a_few_centimetres_are_counted`): seen on
    // some devices and not on others.
    check("stir 1.5/s", &body::stirring(40, 1.5, 0.05, 1), 2, 2);
    // At 0.7/s the band-limited travel shows the first circle from rest as a small lobe
    // and the last one's return as a ring-down: one of the two counts on some devices.
    check("stir 0.7/s", &body::stirring(20, 0.7, 0.08, 2), 2, 1);
}

#[test]
fn long_strokes_back_and_forth_with_no_pause_are_counted() {
    // The wrist's wobble (~6 degrees) is at the rotation's floor: it shows some strokes and
    // not others; counting moves to the travel and reports the ones the rotation held.
    check(
        "strokes 1/s",
        &body::back_and_forth(40, 1.0, 0.2, [0.0, 1.0, 0.0], 0.08, body::VARY, 5),
        4,
        1,
    );
    check(
        "strokes 0.5/s",
        &body::back_and_forth(20, 0.5, 0.3, [1.0, 0.0, 0.0], 0.1, body::VARY, 6),
        4,
        1,
    );
}

#[test]
fn whole_body_exercises_with_the_phone_on_the_upper_arm_are_counted() {
    check(
        "squats",
        &body::arm_phone_squats(12, 2.5, 0.5, 0.35, 7),
        4,
        0,
    );
    check(
        "squats, no pause",
        &body::arm_phone_squats(15, 1.8, 0.0, 0.3, 8),
        4,
        0,
    );
    check(
        "jumping jacks",
        &body::arm_phone_jumping_jacks(20, 1.0, 9),
        4,
        0,
    );
}

#[test]
fn gym_lifts_with_a_wristband_are_counted() {
    // The first press, from rest, shows on the band-limited travel channel as a quarter
    // of the swing of the later ones, and counts (see `TRAVEL_FROM_REST`).
    check("bench 2.2 s", &body::bench_press(10, 2.2, 0.4, 10), 4, 1);
    check("bench 1.5 s", &body::bench_press(12, 1.5, 0.35, 11), 4, 1);
    check("curls", &body::curls(12, 2.0, 0.3, 12), 4, 0);
    check("curls, no pause", &body::curls(15, 1.5, 0.0, 13), 4, 0);
}

#[test]
fn irregular_watch_timestamps_do_not_change_the_count() {
    // A smartwatch's samples come at ~100 Hz with intervals anywhere from 0.55 to 1.45 of
    // the nominal one.
    let watch = Device {
        jitter: 0.45,
        ..at(100.0)
    };
    for (name, s) in [
        ("stir", body::stirring(40, 1.5, 0.05, 1)),
        (
            "strokes",
            body::back_and_forth(40, 1.0, 0.2, [0.0, 1.0, 0.0], 0.08, body::VARY, 5),
        ),
        ("wipe", body::table_wipe(20, 1.0)),
        ("curls", body::curls(15, 1.5, 0.0, 13)),
    ] {
        let n = count(&s, &watch).len();
        assert!(n.abs_diff(s.reps) <= 1, "{name}: {n} of {}", s.reps);
    }
}

#[test]
#[ignore = "known gap: strokes of 1.5-2 cm (brushing teeth) are at the travel channel's \
            1.5 cm floor (a steady run needs 2.25 cm), which a standing person's sway \
            reaches, and the wrist hardly turns (issue 14 note)"]
fn brushing_teeth_strokes_are_counted() {
    let s = body::brushing(60, 2.0, 0.02, 4);
    assert!(count(&s, &at(50.0)).len().abs_diff(60) <= 1);
}

#[test]
fn quick_strokes_of_a_few_centimetres_are_counted() {
    // Wiping a spot, scrubbing, stirring a cup: 5 cm strokes and 3 cm circles, no pause.
    // Quick movements this small are far above what the travel channel misreads over their
    // short duration (its floor grows with the square of a movement's duration).
    let strokes =
        |per_s| body::back_and_forth(30, per_s, 0.05, [1.0, 0.2, 0.1], 0.06, body::VARY, 3);
    check("strokes 5 cm 1/s", &strokes(1.0), 1, 1);
    check("stir 3 cm 1/s", &body::stirring(30, 1.0, 0.03, 5), 2, 1);
    // Over the first 3 s of a stream the travel channel's floor is still 4 cm (its drift
    // before the gyroscope's bias is learned): the strokes made then (from 2 s) are not
    // seen, every later one is.
    let s = strokes(2.0);
    for hz in RATES {
        let n = count(&s, &at(hz)).len();
        assert!(
            (s.reps - 3..=s.reps).contains(&n),
            "strokes 5 cm 2/s, {hz} Hz: {n}"
        );
    }
    // On a watch: ~100 Hz with irregular timestamps.
    for seed in [1, 2] {
        let watch = Device {
            rate_hz: 100.0,
            jitter: 0.45,
            seed,
            ..Device::default()
        };
        for (name, s) in [
            ("strokes", strokes(1.0)),
            ("stir", body::stirring(30, 1.0, 0.03, 5)),
        ] {
            let n = count(&s, &watch).len();
            assert!(
                n.abs_diff(s.reps) <= 1,
                "{name} on a watch: {n} of {}",
                s.reps
            );
        }
    }
}

#[test]
fn daily_tasks_moving_several_joints_are_counted() {
    // Shoulder, elbow and forearm together: the lift of a sip turns about the elbow, the
    // tip of the cup about the forearm, and only the sips count. (Sips of 4 s with the cup
    // put down for 1 s count one or two over on some devices: the lift and the tip turn
    // about as much, and the principal axis wanders between them; see the sims bench.)
    check(
        "drinking 3 s, 0.3 s",
        &body::drinking(12, 3.0, 0.3, 5),
        3,
        1,
    );
    check("pouring 5 s, 1 s", &body::pouring(10, 5.0, 1.0, 9), 4, 1);
    check(
        "pouring 3.5 s, 0.5 s",
        &body::pouring(10, 3.5, 0.5, 9),
        4,
        1,
    );
    check("turning a key 1.2 s", &body::turning_key(20, 1.2, 8), 4, 1);
    check("turning a key 0.6 s", &body::turning_key(20, 0.6, 8), 4, 1);
}

#[test]
fn combing_strokes_made_from_a_raised_arm_are_counted() {
    // Raising the arm to the head is a set-up; the strokes then swing the raised arm back
    // from that posture and return to it. The raise does not count, the strokes do (one
    // is lost where the last stroke runs into lowering the arm, or the first into the
    // raise).
    check("combing 1.5 s", &body::combing(20, 1.5, 7), 0, 1);
    check("combing 0.8 s", &body::combing(20, 0.8, 7), 0, 1);
}

#[test]
fn reaching_to_a_shelf_is_counted_on_its_travel() {
    // The shoulder lifts as the elbow straightens: the forearm hardly turns (~0.1 rad),
    // the hand travels ~40 cm. Reps the rotation missed before counting moved to the
    // travel are reported too, late, with their own times.
    for (rep_s, pause_s) in [(3.0, 1.0), (2.0, 0.0)] {
        let s = body::reach_to_shelf(12, rep_s, pause_s, body::VARY, 6);
        check(&format!("reach {rep_s} s, pause {pause_s} s"), &s, 2, 1);
        // A rep reported late is a reach no other report covers: no two share half
        // their time.
        for hz in RATES {
            let out = count(&s, &at(hz));
            for (i, a) in out.iter().enumerate() {
                for b in &out[i + 1..] {
                    let shared = a.end_s.min(b.end_s) - a.start_s.max(b.start_s);
                    let shorter = a.duration_s.min(b.duration_s);
                    assert!(
                        f64::from(shorter) > 2.0 * shared,
                        "{hz} Hz: {a:?} and {b:?} are one reach"
                    );
                }
            }
        }
    }
}

#[test]
fn lying_back_reaching_up_and_unracking_before_a_bench_press_do_not_count() {
    // The set-up turns the wrist by up to 2 rad and moves it by a metre; the presses
    // hardly turn it. Only the presses count. The travel channel's frame turns with the
    // gyroscope as it is (not low-passed, which lagged it by ~0.15 s): a frame that lagged
    // while the wrist turned 2 rad misread gravity as travel, and the reach up to the bar
    // and the racking counted as presses (12-14 of 10 at 10 Hz, and for 1.5 s presses).
    let watch = Device {
        jitter: 0.45,
        ..at(100.0)
    };
    for (rep_s, m) in [(2.0, 0.35), (3.0, 0.3), (1.5, 0.4)] {
        let s = body::bench_press_set(10, rep_s, m, 11);
        for device in RATES.map(at).iter().chain([&watch]) {
            let n = count(&s, device).len();
            assert!(
                n.abs_diff(10) <= 1,
                "{rep_s} s presses at {} Hz: {n} of 10",
                device.rate_hz
            );
        }
    }
}

#[test]
fn bringing_the_hand_up_from_the_lap_before_the_set_does_not_count() {
    // The hand comes up to the table (1-2.5 s) and rests there (until 5.5 s); the first
    // sip then brings the rotation back, which completes that movement as if it were a
    // repetition: it rested at its far side longer than any sip does, so it is the
    // set-up, and no reported movement begins before the sips do.
    let s = body::from_the_lap(body::drinking(12, 3.0, 0.3, 5));
    for hz in RATES {
        let out = count(&s, &at(hz));
        assert!(
            out.iter().all(|e| e.start_s > 3.0),
            "{hz} Hz: the set-up was reported: {:?}",
            out.first()
        );
        assert!(out.len().abs_diff(12) <= 1, "{hz} Hz: {} of 12", out.len());
    }
}

#[test]
fn quick_uneven_strokes_as_a_survivor_makes_them_are_counted() {
    // 10 cm strokes at 3 a second, each varying in length and pace by up to 40% (twice
    // what most people's do): the quickest last 0.2 s and pack 30 m/s² into it. Per
    // processing step the travel channel integrates the mean acceleration over the step
    // (it took one sample of every 2-4, and aliased such strokes: 44 of 60 at 50 Hz, 54 on
    // a watch), and a movement checked when it has come back is held to 70% of the
    // shortest repetition (it was held to all of it, and the quickest strokes were dropped
    // as twitches).
    let s = body::back_and_forth(60, 3.0, 0.10, [1.0, 0.2, 0.1], 0.06, 2.0 * body::VARY, 3);
    let watch = Device {
        jitter: 0.45,
        ..at(100.0)
    };
    for device in [at(100.0), watch] {
        let n = count(&s, &device).len();
        assert!(n.abs_diff(60) <= 1, "{} Hz: {n} of 60", device.rate_hz);
    }
    let n = count(&s, &at(50.0)).len();
    assert!(n >= 50, "50 Hz: {n} of 60");
}

#[test]
fn uneven_reaches_the_rotation_sees_only_some_of_are_counted_on_the_travel() {
    // Reaches varying by up to 40% in length and pace turn the forearm anywhere from
    // under the rotation's 0.1 rad floor to 0.47 rad: it sees some and misses the others,
    // while the travel sees every one. The rotation saw too many of the travel's run for
    // the miss rule (and what it saw turned a lot), but it skipped a reach in the middle
    // of movements otherwise one for one and in the run's pace: counting moves to the
    // travel, which reports the skipped ones (7 of 12 at 10-50 Hz before).
    let s = body::reach_to_shelf(12, 3.0, 1.0, 2.0 * body::VARY, 6);
    check("uneven reaches 3 s, pause 1 s", &s, 4, 1);
}

/// Push `rec` up to `reset_s` and reset the counter there (a new set); then push from
/// `resume_s` (samples between the two are lost, a hole) and finish. The events after the
/// reset.
fn count_after_reset(rec: &(Vec<f64>, Vec<f32>), reset_s: f64, resume_s: f64) -> usize {
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    let at = |s: f64| {
        rec.0
            .iter()
            .position(|&t| t >= s)
            .expect("in the recording")
    };
    let (i, j) = (at(reset_s), at(resume_s));
    for (t, x) in rec.0[..i].chunks(5).zip(rec.1[..6 * i].chunks(30)) {
        c.push_imu(t, x, &mut out).expect("valid batch");
    }
    c.reset();
    out.clear();
    for (t, x) in rec.0[j..].chunks(5).zip(rec.1[6 * j..].chunks(30)) {
        c.push_imu(t, x, &mut out).expect("valid batch");
    }
    c.finish(&mut out);
    out.len()
}

#[test]
fn a_new_set_started_mid_stream_keeps_tracking_the_sensor() {
    // A reset starts a new set; the sensor streams on, and its state (filters, gravity, the
    // travel channel's frame and velocity, the last sample) is the sensor's, not the
    // set's. Rebuilt from nothing, the travel channel took the pressing hand's acceleration
    // for gravity: presses with no pause, reset between two of them, counted 0 of 7.
    for hz in [25.0, 50.0, 100.0] {
        // Presses every second from 2 s; the new set starts at the fifth, 6 remain.
        let rec = body::press(10, 1.0).record(&at(hz));
        assert_eq!(count_after_reset(&rec, 6.0, 6.0), 6, "{hz} Hz");
        let rec = body::press(10, 1.0).record(&at(hz));
        assert_eq!(count_after_reset(&rec, 5.0, 5.0), 7, "{hz} Hz");
        // Reset at rest, then half a second of samples lost as the presses begin: the hole
        // is integrated from the last sample before it (it was from zero, as if the sensor
        // had been in free fall: 0 of 10).
        let rec = body::press(10, 0.5).record(&at(hz));
        assert_eq!(count_after_reset(&rec, 2.0, 2.5), 10, "{hz} Hz");
    }
}

/// Count `s` at `hz` with the samples from `from_s` for `len_s` lost (a dropout).
fn count_with_hole(s: &Scenario, hz: f64, from_s: f64, len_s: f64) -> usize {
    let rec = s.record(&at(hz));
    let kept: Vec<usize> = (0..rec.0.len())
        .filter(|&i| rec.0[i] < from_s || rec.0[i] >= from_s + len_s)
        .collect();
    let t: Vec<f64> = kept.iter().map(|&i| rec.0[i]).collect();
    let x: Vec<f32> = kept
        .iter()
        .flat_map(|&i| rec.1[6 * i..6 * i + 6].to_vec())
        .collect();
    let mut c = RepCounter::new(CounterConfig::default(), None);
    let mut out = Vec::new();
    for (t, x) in t.chunks(5).zip(x.chunks(30)) {
        c.push_imu(t, x, &mut out).expect("valid batch");
    }
    c.finish(&mut out);
    out.len()
}

#[test]
fn a_dropout_in_a_travelled_set_costs_only_the_repetitions_around_it() {
    // Half a second of samples lost in a set counted on the travel, anywhere from its 5th
    // repetition to 1.5 s before its end. The travel restarts its velocity and recovers
    // over one period (see `Recovery`): a hole costs the repetitions it and that period
    // cover, 2-4 on average, and never the set. It used to cost all 16 presses or all 24
    // strokes at some positions: integrated across the hole, the line between the samples
    // either side left a velocity error that rang through the displacement for seconds.
    let hole_s = 0.5;
    let strokes = body::back_and_forth(24, 3.0, 0.10, [1.0, 0.2, 0.1], 0.06, body::VARY, 3);
    for (name, s, per_s) in [
        ("presses 2/s", body::press(16, 2.0), 2.0),
        ("strokes 3/s", strokes, 3.0),
    ] {
        for hz in [25.0, 50.0, 100.0] {
            let mut losses = Vec::new();
            let mut from_s = 4.0;
            while from_s < s.duration_s - 3.5 {
                let n = count_with_hole(&s, hz, from_s, hole_s);
                assert!(n <= s.reps, "{name}, {hz} Hz, hole at {from_s:.2} s: {n}");
                losses.push(s.reps - n);
                from_s += 0.23;
            }
            let mean = losses.iter().sum::<usize>() as f64 / losses.len() as f64;
            let worst = losses.iter().copied().max().unwrap_or(0);
            assert!(
                mean <= hole_s * per_s + 3.0 && worst <= 8,
                "{name}, {hz} Hz: lost {losses:?}"
            );
        }
    }
}
