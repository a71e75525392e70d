//! The release files agree with each other and with the crate: what an app
//! developer gets from the Swift package, the Gradle module and the pins.
//! (Gradle and SwiftPM do not run on these machines; these checks catch the
//! mistakes that would only show there: a moved folder, a lost pin, a version
//! bump that forgot an artifact.)

use std::fs;
use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The string values of `key: "value"` in a Swift manifest, in order.
fn swift_args<'a>(text: &'a str, key: &str) -> Vec<&'a str> {
    let needle = format!("{key}: \"");
    text.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &text[i + needle.len()..];
            &rest[..rest.find('"').expect("closing quote")]
        })
        .collect()
}

#[test]
fn the_swift_package_at_the_root_points_at_existing_sources_and_both_binary_variants() {
    let manifest = read("Package.swift");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let paths = swift_args(&manifest, "path");
    // The local framework is built on a Mac (not committed); every other path exists.
    let framework = "bindings/swift/RehabCoreFFI.xcframework";
    assert!(
        paths.contains(&framework),
        "local-path variant missing: {paths:?}"
    );
    for p in paths.iter().filter(|p| **p != framework) {
        assert!(
            root.join(p).is_dir(),
            "Package.swift names {p}, which is not a folder"
        );
    }
    assert!(
        manifest.contains(
            ".binaryTarget(name: \"rehab_coreFFI\", url: release.url, checksum: release.checksum)"
        ),
        "release variant (url + checksum) missing"
    );
    // The release entry repeats the crate's version.
    let version = swift_args(&manifest, "version");
    assert_eq!(
        version,
        [env!("CARGO_PKG_VERSION")],
        "Package.swift release.version"
    );
    let url = swift_args(&manifest, "url");
    assert!(
        url[0].contains(&format!("/{}/", env!("CARGO_PKG_VERSION"))),
        "{url:?}"
    );
    // The privacy manifest is declared as a resource of the target that holds it.
    assert!(manifest.contains(".copy(\"PrivacyInfo.xcprivacy\")"));
    assert!(root
        .join("bindings/swift/Sources/RehabCore/PrivacyInfo.xcprivacy")
        .is_file());
    assert!(
        !root.join("bindings/swift/Package.swift").exists(),
        "a second manifest in bindings/swift"
    );
}

#[test]
fn the_privacy_manifest_declares_no_tracking_and_the_two_reasons() {
    let plist = read("bindings/swift/Sources/RehabCore/PrivacyInfo.xcprivacy");
    let compact: String = plist
        .lines()
        .filter(|l| !l.trim_start().starts_with("<!--") && !l.starts_with("  "))
        .map(str::trim)
        .collect();
    assert!(
        compact.contains("<key>NSPrivacyTracking</key><false/>"),
        "{compact}"
    );
    assert!(compact.contains("<key>NSPrivacyTrackingDomains</key><array/>"));
    assert!(compact.contains("<key>NSPrivacyCollectedDataTypes</key><array/>"));
    for (category, reason) in [
        ("NSPrivacyAccessedAPICategoryFileTimestamp", "C617.1"),
        ("NSPrivacyAccessedAPICategoryDiskSpace", "E174.1"),
    ] {
        let entry = format!(
            "<key>NSPrivacyAccessedAPIType</key><string>{category}</string>\
             <key>NSPrivacyAccessedAPITypeReasons</key><array><string>{reason}</string></array>"
        );
        assert!(compact.contains(&entry), "{category} {reason} missing");
    }
}

#[test]
fn the_gradle_module_publishes_org_rehabcore_with_a_16k_ready_jna() {
    let gradle = read("bindings/kotlin/build.gradle.kts");
    assert!(gradle.contains("`maven-publish`"));
    assert!(gradle.contains("groupId = \"org.rehabcore\""));
    assert!(gradle.contains("artifactId = \"rehabcore-android\""));
    assert!(
        gradle.contains("version = cargoVersion"),
        "the version comes from Cargo.toml"
    );
    // Every JNA the module names is 5.17 or later (16 KB pages on Android).
    let jna: Vec<&str> = gradle
        .match_indices("net.java.dev.jna:jna:")
        .map(|(i, m)| gradle[i + m.len()..].split(['"', '@']).next().unwrap())
        .collect();
    assert!(!jna.is_empty());
    for v in jna {
        let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap());
        let (major, minor) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(
            (major, minor) >= (5, 17),
            "JNA {v} predates 16 KB page support"
        );
    }
    let settings = read("bindings/kotlin/settings.gradle.kts");
    assert!(settings.contains("rootProject.name = \"rehabcore-android\""));
}

#[test]
fn android_links_for_16k_pages_and_uniffi_stays_pinned() {
    let build = read("build.rs");
    assert!(build.contains("cargo:rustc-cdylib-link-arg=-Wl,-z,max-page-size=16384"));
    let cargo = read("Cargo.toml");
    assert!(
        cargo.contains("uniffi = \"=0.32.2\""),
        "uniffi is no longer pinned exactly"
    );
    let lock = read("Cargo.lock");
    assert!(lock.contains("name = \"uniffi\"\nversion = \"0.32.2\"\n"));
}

#[test]
fn license_and_changelog_match_the_crate() {
    let license = read("LICENSE");
    assert!(license.starts_with("Mozilla Public License Version 2.0\n"));
    assert!(license.contains("Exhibit B - \"Incompatible With Secondary Licenses\" Notice"));
    assert_eq!(env!("CARGO_PKG_LICENSE"), "MPL-2.0");
    let changelog = read("CHANGELOG.md");
    assert!(changelog.contains(&format!("\n## {}\n", env!("CARGO_PKG_VERSION"))));
    for rule in ["The API", "The database schema", "The backup format"] {
        assert!(
            changelog.contains(rule),
            "CHANGELOG lacks the rule for {rule}"
        );
    }
}
