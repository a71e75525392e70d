//! `rehab demo` piped (stderr not a terminal): the progress is one line per block,
//! each block once and in order, with no bar redraws (it used to print every block
//! twice on one line through `\r`).

use std::process::Command;

fn demo(dir: &std::path::Path, extra: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_rehab"))
        .args(["demo", "--minutes", "5", "--db"])
        .arg(dir.join("demo.db"))
        .args(extra)
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{err}");
    err
}

#[test]
fn piped_progress_is_one_line_per_block() {
    let dir = tempfile::tempdir().unwrap();
    let err = demo(dir.path(), &[]);
    assert!(!err.contains('\r'), "no redraws when piped: {err:?}");
    let blocks: Vec<(usize, usize)> = err
        .lines()
        .filter_map(|l| {
            let rest = l.trim_start().strip_prefix("block ")?;
            let (k, rest) = rest.split_once('/')?;
            let n = rest.split_once(' ')?.0;
            Some((k.parse().ok()?, n.parse().ok()?))
        })
        .collect();
    assert!(!blocks.is_empty(), "a line per block: {err}");
    let total = blocks[0].1;
    let expected: Vec<(usize, usize)> = (1..=total).map(|k| (k, total)).collect();
    assert_eq!(blocks, expected, "each block once, in order: {err}");
}

#[test]
fn quiet_prints_no_progress() {
    let dir = tempfile::tempdir().unwrap();
    let err = demo(dir.path(), &["--quiet"]);
    assert!(!err.contains("block "), "{err}");
}
