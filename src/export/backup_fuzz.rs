//! Fuzz target: backup import. Arbitrary files, and valid backups with random
//! edits, never panic; a refused file leaves every row as it was; an accepted
//! file stores exactly what it says (and a file edited without fixing its
//! checksum is never accepted with other data than the original's).
//!
//! `cargo test` runs 256 cases from a fixed seed in a few seconds;
//! `scripts/fuzz.sh` runs a million or more (`PROPTEST_CASES`, and
//! `REHAB_FUZZ_SEED` for another seed) and prints executions and failures.

use super::backup::tests::{counts, seed, temp_store, zero_ids, T0};
use super::backup::{self, import, Backup};
use crate::store::export_queries::ProfileHistory;
use crate::store::Store;
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// One change to a file's bytes.
#[derive(Debug, Clone)]
enum ByteEdit {
    Set(Index, u8),
    Insert(Index, u8),
    Delete(Index),
    /// Copies a span of the file over another place (duplicates keys, values, rows).
    Copy {
        from: Index,
        to: Index,
        len: u8,
    },
    /// A digit changed to another digit (the edit that silently changed data).
    Digit(Index, u8),
}

/// What the harness feeds to `import`.
#[derive(Debug, Clone)]
enum Input {
    /// The valid backup with byte edits, checksum left as it was.
    Edited(Vec<ByteEdit>),
    /// The valid backup with one number of its JSON replaced and the checksum
    /// made right again, so the value reaches validation.
    Resealed(Index, Number),
    /// Anything at all.
    Bytes(Vec<u8>),
}

#[derive(Debug, Clone)]
enum Number {
    Float(f64),
    Int(i64),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Set(i, b)),
        1 => (any::<Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        1 => any::<Index>().prop_map(ByteEdit::Delete),
        1 => (any::<Index>(), any::<Index>(), 1u8..64)
            .prop_map(|(from, to, len)| ByteEdit::Copy { from, to, len }),
        3 => (any::<Index>(), 0u8..10).prop_map(|(i, d)| ByteEdit::Digit(i, d)),
    ]
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<f64>().prop_map(Number::Float),
        prop::sample::select(vec![
            -1.0,
            0.0,
            1e-300,
            0.5,
            10_000.0,
            10_000.5,
            1e5,
            1e6,
            1.7e308,
            f64::MAX
        ])
        .prop_map(Number::Float),
        any::<i64>().prop_map(Number::Int),
        prop::sample::select(vec![
            -1i64,
            0,
            1,
            11,
            1440,
            86_400_000,
            86_400_001,
            253_402_300_800_000,
            u32::MAX as i64 + 1,
            i64::MAX
        ])
        .prop_map(Number::Int),
    ]
}

fn input() -> impl Strategy<Value = Input> {
    prop_oneof![
        6 => prop::collection::vec(byte_edit(), 1..6).prop_map(Input::Edited),
        3 => (any::<Index>(), number()).prop_map(|(i, n)| Input::Resealed(i, n)),
        1 => prop::collection::vec(any::<u8>(), 0..300).prop_map(Input::Bytes),
    ]
}

fn apply(base: &[u8], edits: &[ByteEdit]) -> Vec<u8> {
    let mut b = base.to_vec();
    for e in edits {
        let n = b.len().max(1);
        match e {
            ByteEdit::Set(i, x) if !b.is_empty() => b[i.index(n)] = *x,
            ByteEdit::Insert(i, x) => b.insert(i.index(n + 1), *x),
            ByteEdit::Delete(i) if !b.is_empty() => {
                b.remove(i.index(n));
            }
            ByteEdit::Copy { from, to, len } if !b.is_empty() => {
                let from = from.index(n);
                let span: Vec<u8> = b[from..(from + *len as usize).min(b.len())].to_vec();
                let to = to.index(n);
                for (k, x) in span.into_iter().enumerate() {
                    if let Some(slot) = b.get_mut(to + k) {
                        *slot = x;
                    }
                }
            }
            ByteEdit::Digit(i, d) => {
                // The i-th digit of the file, if there are any.
                let digits: Vec<usize> = (0..b.len()).filter(|&k| b[k].is_ascii_digit()).collect();
                if !digits.is_empty() {
                    b[digits[i.index(digits.len())]] = b'0' + d;
                }
            }
            _ => {}
        }
    }
    b
}

/// Replaces the `i`-th number leaf of the JSON value.
fn replace_number(v: &mut serde_json::Value, target: usize, n: &Number, seen: &mut usize) -> bool {
    match v {
        serde_json::Value::Number(_) => {
            if *seen == target {
                *v = match n {
                    Number::Float(x) => serde_json::Number::from_f64(*x)
                        .map(serde_json::Value::Number)
                        .unwrap_or(serde_json::Value::Null),
                    Number::Int(x) => (*x).into(),
                };
                return true;
            }
            *seen += 1;
            false
        }
        serde_json::Value::Array(a) => a.iter_mut().any(|x| replace_number(x, target, n, seen)),
        serde_json::Value::Object(o) => o
            .iter_mut()
            .any(|(_, x)| replace_number(x, target, n, seen)),
        _ => false,
    }
}

fn count_numbers(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Number(_) => 1,
        serde_json::Value::Array(a) => a.iter().map(count_numbers).sum(),
        serde_json::Value::Object(o) => o.values().map(count_numbers).sum(),
        _ => 0,
    }
}

/// A small valid backup (one profile: a finished session of one block with
/// two reps and an attempt, the interrupted session, check-ins, a
/// calibration, goals and a schedule), to keep each execution cheap.
pub(crate) fn small_backup() -> String {
    let (_d, s) = temp_store();
    seed(&s, "Ana");
    let mut b = backup::parse(&backup::export(&s, None, T0).unwrap()).unwrap();
    let h = &mut b.profiles[0];
    h.sessions.remove(0);
    for s in &mut h.sessions {
        s.blocks.truncate(1);
        for b in &mut s.blocks {
            b.reps.truncate(2);
        }
    }
    h.check_ins.retain(|c| c.session_id.is_none());
    backup::to_json(b).unwrap()
}

/// Histories without ids and in a canonical order, so two hold the same data
/// exactly when they are equal (export orders rows by time, and an edited
/// time may reorder them). A check-in names its session by the session's start.
fn normalized(mut hs: Vec<ProfileHistory>) -> Vec<ProfileHistory> {
    fn sort<T: serde::Serialize>(rows: &mut [T]) {
        rows.sort_by_cached_key(|r| serde_json::to_string(r).unwrap());
    }
    for h in &mut hs {
        zero_ids(h, |s, _| s.started_at_ms);
        for s in &mut h.sessions {
            for b in &mut s.blocks {
                sort(&mut b.reps);
                sort(&mut b.attempts);
            }
            sort(&mut s.blocks);
        }
        sort(&mut h.sessions);
        sort(&mut h.check_ins);
        sort(&mut h.calibrations);
    }
    hs
}

struct Harness {
    base: String,
    original: Vec<ProfileHistory>,
    _dir: tempfile::TempDir,
    store: Store,
    before: Vec<i64>,
    /// Executions whose file was imported (the rest were refused).
    accepted: u64,
}

impl Harness {
    fn new() -> Self {
        let base = small_backup();
        let original = normalized(backup::parse(&base).unwrap().profiles);
        // In memory where there is a tmpfs: accepted imports commit with fsync.
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm).unwrap()
        } else {
            tempfile::tempdir().unwrap()
        };
        let store = Store::open(dir.path().join("fuzz.db")).unwrap();
        seed(&store, "Existing");
        let before = counts(&store);
        Harness {
            base,
            original,
            _dir: dir,
            store,
            before,
            accepted: 0,
        }
    }

    /// The file to import, and the data an accepted import must hold.
    fn file(&self, input: &Input) -> (String, Option<Vec<ProfileHistory>>) {
        match input {
            Input::Edited(edits) => {
                let bytes = apply(self.base.as_bytes(), edits);
                // Files reach the core as text: the FFI takes a `String`.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                (text, Some(self.original.clone()))
            }
            Input::Resealed(i, n) => {
                let mut v: serde_json::Value = serde_json::from_str(&self.base).unwrap();
                let target = i.index(count_numbers(&v));
                replace_number(&mut v, target, n, &mut 0);
                v.as_object_mut().unwrap().remove("sha256");
                match serde_json::from_value::<Backup>(v.clone()) {
                    Ok(b) => {
                        let expected = normalized(b.profiles.clone());
                        (backup::to_json(b).unwrap(), Some(expected))
                    }
                    Err(_) => (v.to_string(), None),
                }
            }
            Input::Bytes(bytes) => (String::from_utf8_lossy(bytes).into_owned(), None),
        }
    }

    /// One execution: `Err` says what went wrong.
    fn check(&mut self, input: &Input) -> Result<(), String> {
        let (text, expected) = self.file(input);
        let store = &self.store;
        let outcome = catch_unwind(AssertUnwindSafe(|| import(store, &text)))
            .map_err(|_| "import panicked".to_string())?;
        match outcome {
            Err(e) => {
                let now = counts(&self.store);
                if now != self.before {
                    return Err(format!("refused ({e}) but rows changed"));
                }
                Ok(())
            }
            Ok(done) => {
                self.accepted += 1;
                let back = backup::parse(
                    &backup::export(&self.store, done.profile_ids.first().copied(), T0)
                        .map_err(|e| e.to_string())?,
                )
                .map_err(|e| format!("the imported data does not export: {e}"))?;
                let result = match expected {
                    Some(expected) if normalized(back.profiles) == expected => Ok(()),
                    _ => Err("accepted, with other data than the file's".to_string()),
                };
                // Start again from the same rows for the next execution.
                self.store
                    .write(|tx| {
                        for id in &done.profile_ids {
                            tx.execute("DELETE FROM profiles WHERE id = ?1", [id])?;
                        }
                        Ok(())
                    })
                    .map_err(|e| e.to_string())?;
                if counts(&self.store) != self.before {
                    return Err("the imported rows did not delete".into());
                }
                result
            }
        }
    }
}

/// Runs `cases` executions from `seed`; returns (executions, accepted files, failures).
pub(crate) fn run(cases: u32, seed: u64) -> (u64, u64, Vec<String>) {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 16];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    // Never all zero (XorShift would stay at zero).
    seed_bytes[8..].copy_from_slice(&0x9e37_79b9_7f4a_7c15u64.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::XorShift, &seed_bytes),
    );
    let harness = RefCell::new(Harness::new());
    let executions = RefCell::new(0u64);
    let failures = RefCell::new(Vec::new());
    // Failures are counted, not stopped at, so a long run reports them all.
    let _ = runner.run(&input(), |input| {
        *executions.borrow_mut() += 1;
        if let Err(e) = harness.borrow_mut().check(&input) {
            failures.borrow_mut().push(format!("{e}: {input:?}"));
        }
        Ok(())
    });
    let accepted = harness.borrow().accepted;
    (executions.into_inner(), accepted, failures.into_inner())
}

#[test]
fn backup_import_fuzz() {
    let env = |k: &str| std::env::var(k).ok().and_then(|v| v.parse().ok());
    let cases: u32 = env("PROPTEST_CASES").map(|n: u64| n as u32).unwrap_or(256);
    let seed: u64 = env("REHAB_FUZZ_SEED").unwrap_or(0x5eed_0016);
    let (executions, accepted, failures) = run(cases, seed);
    println!(
        "fuzz backup-import: executions {executions}, failures {} (accepted {accepted}, refused {}; seed {seed})",
        failures.len(),
        executions - accepted,
    );
    assert_eq!(executions, u64::from(cases));
    assert!(
        failures.is_empty(),
        "{}",
        failures[..failures.len().min(5)].join("\n")
    );
}

/// Every one-byte edit (all 255 other values at every position) of the small
/// backup: refused with rows unchanged, or imported identical to the original.
/// About half a million imports, so only `scripts/fuzz.sh backup_edits` runs it.
#[test]
#[ignore = "long: scripts/fuzz.sh backup_edits"]
fn every_one_byte_edit_of_a_backup() {
    let json = small_backup();
    let tally = super::backup::tests::one_byte_edits(&json, |_| (0..=255).collect());
    println!(
        "fuzz backup-edits: executions {}, failures {} (refused {}, identical {}; {} bytes x 255)",
        tally.edits,
        tally.changed.len(),
        tally.refused,
        tally.identical,
        json.len()
    );
    assert!(
        tally.changed.is_empty(),
        "{:?}",
        &tally.changed[..tally.changed.len().min(5)]
    );
}
