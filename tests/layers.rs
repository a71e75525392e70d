//! The layer rule of `DESIGN.md`: data flows down, no import runs upward.
//!
//! `counting` and `sim` live in their own crate (`crates/rehab_motion`, built for speed
//! while the rest builds for size), which does not depend on `rehab_core` at all: the
//! compiler keeps them at the bottom. `rehab_core` re-exports both.
//!
//! Every `crate::<module>` path in `src/<module>/` (code, not comments) must name a
//! module of a strictly lower layer, or its own. Inside `ffi`, the sample fast path
//! (`fast.rs`, outside its tests) is a leaf: it names no exported object.

use std::fs;
use std::path::{Path, PathBuf};

/// The layers, bottom first. A module may use modules of lower layers only.
const LAYERS: &[&[&str]] = &[
    // plain values and helpers that import nothing of ours
    &["model", "clock", "sim", "recording", "sync"],
    // storage (the only SQL) and the pure rep counter
    &["store", "counting"],
    // pure functions over stored facts; catalog, plans and adaptation
    &["progress", "routine"],
    // exports of stored data; the live session engine
    &["export", "session"],
    // the exported surface
    &["ffi"],
];

/// The `ffi` files the fast path may name (besides itself).
const FAST_MAY_USE: &[&str] = &["parked", "error", "RehabError"];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comment lines (doc links are not imports).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim_start().starts_with("//"))
        .map(|(i, line)| (i + 1, line))
}

/// The module names that follow `prefix` on a line (`crate::store::X` → `store`).
fn names_after<'a>(line: &'a str, prefix: &str) -> Vec<&'a str> {
    line.match_indices(prefix)
        .filter(|(at, _)| {
            // a whole path segment: not `$crate::` nor `foo_crate::`
            !line[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '$')
        })
        .map(|(at, _)| {
            let rest = &line[at + prefix.len()..];
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            &rest[..end]
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// Every upward import (and every module missing from [`LAYERS`]) under `src`.
fn violations(src: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut modules: Vec<(String, PathBuf)> = Vec::new();
    for entry in fs::read_dir(src).expect("src/ exists").flatten() {
        let path = entry.path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if name == "lib" || name == "bin" || name == "main" {
            continue;
        }
        if path.is_dir() || path.extension().is_some_and(|e| e == "rs") {
            modules.push((name, path));
        }
    }
    for (module, path) in &modules {
        let Some(own) = layer_of(module) else {
            found.push(format!(
                "src/{module}: not in a layer; add it to LAYERS in tests/layers.rs"
            ));
            continue;
        };
        let mut files = Vec::new();
        if path.is_dir() {
            rust_files(path, &mut files);
        } else {
            files.push(path.clone());
        }
        for file in files {
            let text = fs::read_to_string(&file).unwrap();
            for (n, line) in code_lines(&text) {
                for used in names_after(line, "crate::") {
                    if used == *module || used == "UniFfiTag" {
                        continue;
                    }
                    match layer_of(used) {
                        Some(l) if l < own => {}
                        Some(_) => found.push(format!(
                            "{}:{n}: `{module}` (layer {own}) uses `{used}` (layer {}), which is not below it",
                            file.display(),
                            layer_of(used).unwrap()
                        )),
                        None => {} // an item of lib.rs, e.g. a uniffi macro's output
                    }
                }
            }
        }
    }
    let fast = src.join("ffi/fast.rs");
    if let Ok(text) = fs::read_to_string(&fast) {
        let body = text.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code_lines(body) {
            let names = names_after(line, "super::")
                .into_iter()
                .chain(names_after(line, "crate::ffi::"));
            for used in names {
                if !FAST_MAY_USE.contains(&used) {
                    found.push(format!(
                        "{}:{n}: the fast path uses `ffi::{used}`; it may use only {FAST_MAY_USE:?}",
                        fast.display()
                    ));
                }
            }
        }
    }
    found
}

#[test]
fn no_import_runs_upward() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let found = violations(&src);
    assert!(
        found.is_empty(),
        "imports against the layer order:\n{}",
        found.join("\n")
    );
}

/// The check itself fails on an upward import, a same-layer import, an undeclared
/// module and a fast path that names an exported object.
#[test]
fn the_check_catches_upward_imports() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    let write = |rel: &str, text: &str| {
        let path = src.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    };
    write("lib.rs", "pub mod store;\n");
    write(
        "model/mod.rs",
        "//! uses crate::store in a comment only\npub struct Side;\n",
    );
    write(
        "store/mod.rs",
        "use crate::model::Side;\nuse crate::store::x;\n",
    );
    assert_eq!(violations(src), Vec::<String>::new(), "a clean tree passes");

    write("store/goals.rs", "use crate::progress::DailyGoal;\n");
    write("progress/mod.rs", "pub fn f() { crate::routine::g() }\n");
    write("routine/mod.rs", "use crate::model::Side;\n");
    write("gadgets/mod.rs", "\n");
    write(
        "ffi/fast.rs",
        "use super::parked::Parked;\nuse super::counter::RepCounter;\n#[cfg(test)]\nmod tests { use super::session::X; }\n",
    );
    let found = violations(src);
    let has = |needle: &str| found.iter().any(|v| v.contains(needle));
    assert!(
        has("`store` (layer 1) uses `progress` (layer 2)"),
        "{found:?}"
    );
    assert!(
        has("`progress` (layer 2) uses `routine` (layer 2)"),
        "{found:?}"
    );
    assert!(
        has("src/gadgets") || has("gadgets: not in a layer"),
        "{found:?}"
    );
    assert!(has("the fast path uses `ffi::counter`"), "{found:?}");
    assert_eq!(found.len(), 4, "nothing else is flagged: {found:?}");
}
