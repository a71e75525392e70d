//! Build script: the embedded catalog, minified, and link flags for Android.
//!
//! 1. `catalog/**/*.json` is copied to `$OUT_DIR/catalog/` without the whitespace
//!    between JSON tokens (strings are kept byte for byte), and `src/routine`
//!    embeds those copies: ~21 KB less in the library than the indented files,
//!    which stay the ones people edit and review.
//! 2. Android 15+ devices may use 16 KB memory pages, and Google Play requires the
//!    native libraries of new apps to load there: every LOAD segment of
//!    `librehab_core.so` must be aligned to 16 KB. NDK r28+ links that way by
//!    default; older NDKs need `-z max-page-size=16384` (JNA needed
//!    `common-page-size` too, JNA #1647), so both are passed for every Android
//!    target whatever the NDK. They are emitted here rather than as `rustflags` in
//!    `.cargo/config.toml` because a `RUSTFLAGS` in the environment (which build
//!    tools around cargo-ndk may set) replaces those silently. Other targets are
//!    unaffected.
use std::fs;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=catalog");
    let out = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("catalog");
    copy_minified(Path::new("catalog"), &out);

    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("android") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,max-page-size=16384");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-z,common-page-size=16384");
    }
}

fn copy_minified(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create OUT_DIR/catalog");
    let mut entries: Vec<_> = fs::read_dir(from)
        .unwrap_or_else(|e| panic!("{}: {e}", from.display()))
        .map(|e| e.expect("catalog entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let target = to.join(path.file_name().expect("file name"));
        if path.is_dir() {
            println!("cargo:rerun-if-changed={}", path.display());
            copy_minified(&path, &target);
        } else if path.extension().is_some_and(|x| x == "json") {
            println!("cargo:rerun-if-changed={}", path.display());
            let text =
                fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            fs::write(&target, minify_json(&text)).expect("write minified catalog");
        }
    }
}

/// `text` without the whitespace outside strings. A malformed file stays
/// malformed (the catalog's own parser reports it, with the tests).
fn minify_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}
