use super::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Every sample of `bytes`, or the first error.
fn read_all(bytes: &[u8]) -> Result<(RecordingKind, Vec<Sample>), RecordingError> {
    let mut reader = RecordingReader::new(bytes)?;
    let mut samples = Vec::new();
    while let Some(s) = reader.next_sample()? {
        samples.push(s);
    }
    Ok((reader.kind(), samples))
}

#[test]
fn reads_imu_and_scalar_files_with_their_line_numbers() {
    let imu =
        "\u{feff}t_s, ax,ay,az,gx,gy,gz\r\n0.0,1,2,3,4,5,6\r\n\r\n  \n0.02, 1,2,3,4,5,-6e-1\n";
    let (kind, samples) = read_all(imu.as_bytes()).unwrap();
    assert_eq!(kind, RecordingKind::Imu6);
    assert_eq!(samples.len(), 2);
    assert_eq!(samples[0].line, 2);
    assert_eq!(samples[0].values, [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    assert_eq!(samples[1].line, 5);
    assert_eq!(samples[1].t_s, 0.02);
    assert_eq!(samples[1].values[5], -0.6);

    let (kind, samples) = read_all(b"T_S,force\n0.5,12.5").unwrap();
    assert_eq!(kind, RecordingKind::Scalar);
    assert_eq!((samples[0].t_s, samples[0].values[0]), (0.5, 12.5));
}

#[test]
fn faults_are_typed_with_their_line() {
    let err = |bytes: &[u8]| read_all(bytes).unwrap_err();
    assert!(matches!(err(b""), RecordingError::Empty));
    assert!(matches!(err(b"time,x,y\n"), RecordingError::Header { .. }));
    let e = err(b"t_s,value\n0.0,1.0\n0.02,oops\n");
    assert_eq!(e.line(), Some(3));
    assert_eq!(e.to_string(), "column `value`: `oops` is not a number");
    let e = err(b"t_s,value\n0.0\n");
    assert!(matches!(
        e,
        RecordingError::TooFewValues {
            line: 2,
            expected: 2,
            found: 1
        }
    ));
    let e = err(b"t_s,value\n0.0,1,2\n");
    assert!(matches!(e, RecordingError::TooManyValues { line: 2, .. }));
    // Quoted back short: no kilobytes of junk in a message.
    let e = err(format!("t_s,value\n0,{}\n", "x".repeat(900)).as_bytes());
    assert!(e.to_string().len() < 100, "{e}");
}

#[test]
fn a_line_over_the_cap_is_refused_without_reading_on() {
    // An endless line (as /dev/zero gives): refused after the cap, not read to the end.
    struct Zeros(usize);
    impl Read for Zeros {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0 += buf.len();
            assert!(self.0 < 1 << 20, "read on past the cap");
            buf.fill(0);
            Ok(buf.len())
        }
    }
    let err = RecordingReader::new(Zeros(0)).err().expect("refused");
    assert!(
        matches!(err, RecordingError::LineTooLong { line: 1 }),
        "{err}"
    );

    let mut long = b"t_s,value\n0,1\n1,".to_vec();
    long.extend(std::iter::repeat_n(b'1', MAX_LINE_BYTES));
    let err = read_all(&long).unwrap_err();
    assert!(
        matches!(err, RecordingError::LineTooLong { line: 3 }),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn only_regular_files_are_opened() {
    for path in ["/dev/zero", "/dev/null", "/"] {
        let err = open(Path::new(path)).err().expect("refused");
        assert!(matches!(err, RecordingError::NotAFile), "{path}: {err}");
    }
    let err = open(Path::new("/no/such/recording.csv")).err().unwrap();
    assert!(matches!(err, RecordingError::Open(_)), "{err}");
}

/// Inputs for the fuzz target: raw bytes, and recordings-like text (a known header
/// and lines from a CSV-ish alphabet) that reach past the header.
fn recording_bytes() -> impl Strategy<Value = Vec<u8>> {
    let csvish = prop::collection::vec(
        prop::sample::select(b"0123456789.,-+eE \t\r\n\"naif\xff".to_vec()),
        0..400,
    );
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        (prop::bool::ANY, csvish).prop_map(|(imu, body)| {
            let mut bytes = if imu {
                b"t_s,ax,ay,az,gx,gy,gz\n".to_vec()
            } else {
                b"t_s,value\n".to_vec()
            };
            bytes.extend(body);
            bytes
        }),
    ]
}

/// Runs the recording reader on `cases` generated inputs from a fixed seed:
/// it must never panic, and what it returns must be coherent. Returns the number
/// of executions and the failure, if any (proptest stops at the first, shrunk).
pub(crate) fn fuzz_recording_reader(cases: u32, seed: u64) -> (u64, Option<String>) {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let executions = std::cell::Cell::new(0u64);
    let result = runner.run(&recording_bytes(), |bytes| {
        executions.set(executions.get() + 1);
        if executions.get().is_multiple_of(100_000) {
            println!(
                "fuzz recording_reader: {} executions so far",
                executions.get()
            );
        }
        match std::panic::catch_unwind(|| read_all(&bytes)) {
            Err(_) => return Err(TestCaseError::fail("the reader panicked")),
            Ok(Err(e)) => {
                prop_assert!(e.line().is_none_or(|l| l >= 1), "{e:?}");
                prop_assert!(e.to_string().len() < 200, "{e}");
            }
            Ok(Ok((kind, samples))) => {
                let lines: Vec<u64> = samples.iter().map(|s| s.line).collect();
                prop_assert!(lines.windows(2).all(|w| w[0] < w[1]), "{lines:?}");
                prop_assert!(lines.iter().all(|&l| l >= 2));
                let unset = &samples
                    .iter()
                    .flat_map(|s| s.values[kind.width()..].to_vec());
                prop_assert!(unset.clone().all(|v| v == 0.0));
            }
        }
        Ok(())
    });
    (executions.get(), result.err().map(|e| e.to_string()))
}

/// The fuzz target in the test command: a few thousand inputs from a fixed seed.
/// `scripts/fuzz.sh` runs it for longer (PROPTEST_CASES, REHAB_FUZZ_SEED).
#[test]
fn fuzz_recording_reader_arbitrary_bytes() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(1_500);
    let seed = std::env::var("REHAB_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026);
    let (executions, failure) = fuzz_recording_reader(cases, seed);
    println!(
        "fuzz recording_reader: {executions} executions, {} failures (seed {seed})",
        u8::from(failure.is_some())
    );
    assert_eq!(failure, None);
}
