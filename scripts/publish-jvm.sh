#!/usr/bin/env bash
# Builds the JVM artifact org.rehabcore:rehabcore-jvm:<version in Cargo.toml> and
# publishes it into a Maven-layout folder (no Gradle or Maven needed):
#
#   REPO/org/rehabcore/rehabcore-jvm/VERSION/rehabcore-jvm-VERSION.jar
#       the compiled Kotlin bindings (bindings/kotlin/src/main/kotlin: generated
#       rehab_core.kt, SessionFlows.kt, SampleFeed.kt) and
#       linux-x86-64/librehab_core.so, where JNA finds it on the classpath by
#       itself (no -Djna.library.path, no LD_LIBRARY_PATH)
#   ...-sources.jar, .pom (dependencies: JNA, kotlinx-coroutines, kotlin-stdlib),
#   .md5/.sha1/.sha256/.sha512 beside each file, and maven-metadata.xml
#
# Usage: scripts/publish-jvm.sh [--repo DIR] [--profile release|debug]
#   --repo     the repository folder (default: target/maven); a Gradle or Maven
#              build uses it as maven { url = uri("file:///...") } / <url>file:///...</url>
#   --profile  release (default): the release cdylib (LTO; one build takes ~5 min
#              here, reused while nothing changes); debug: the debug library with
#              its debug info stripped (what scripts/test.sh publishes, to test
#              the packaging without a release build)
# Linux x86-64 only: the library inside is the host's. The Android AAR is the
# Gradle module's job (bindings/kotlin, maven-publish).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
cd "$repo_root"

out=target/maven
profile=release
while (($#)); do
    case "$1" in
        --repo) out=$2; shift 2 ;;
        --profile) profile=$2; shift 2 ;;
        *) echo "usage: $0 [--repo DIR] [--profile release|debug]" >&2; exit 2 ;;
    esac
done
log() { printf 'publish-jvm: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
[[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] || die "the jar carries the host library: run on Linux x86-64"

version=$(python3 -c 'import tomllib,sys; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
group=org.rehabcore
artifact=rehabcore-jvm
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')

case "$profile" in
    release)
        log "cargo rustc --release --lib --crate-type cdylib --no-default-features"
        cargo rustc --quiet --release --lib --crate-type cdylib --no-default-features
        so=$target_dir/release/librehab_core.so ;;
    debug)
        cargo build --quiet --lib
        so=$target_dir/debug/librehab_core.so ;;
    *) die "--profile must be release or debug" ;;
esac

bash "$here/toolchains.sh" kotlin
# shellcheck source=scripts/toolchains.sh
source "$here/toolchains.sh" # KOTLIN_HOME, JNA_JAR, COROUTINES_JAR, REHAB_CACHE

work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT
mkdir -p "$work/native/linux-x86-64"
# Debug info off (release is stripped already; debug's would be ~100 MB).
strip --strip-debug -o "$work/native/linux-x86-64/librehab_core.so" "$so"

# The compiled bindings, cached by the hash of their sources and the compiler.
src=bindings/kotlin/src/main/kotlin
mapfile -t kt < <(find "$src" -name '*.kt' -type f | LC_ALL=C sort)
((${#kt[@]} > 0)) || die "no .kt under $src"
key=$({ echo "$KOTLIN_HOME $(readlink -f "$JNA_JAR")"; sha256sum "${kt[@]}"; } | sha256sum | cut -c1-16)
classes="$REHAB_CACHE/jvm-classes/$key/classes.jar"
if [[ -f "$classes" ]]; then
    log "using cached classes $classes"
else
    log "kotlinc ${#kt[@]} files (bindings/kotlin)"
    mkdir -p "$work/kotlinc"
    JAVA_OPTS="-Xmx1g -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m" "$KOTLIN_HOME/bin/kotlinc" -nowarn \
        -cp "$JNA_JAR:$COROUTINES_JAR" "${kt[@]}" -d "$work/kotlinc/classes.jar"
    mkdir -p "$(dirname "$classes")"
    mv "$work/kotlinc/classes.jar" "$classes.part" && mv "$classes.part" "$classes"
    # Keep the 3 most recent.
    find "$REHAB_CACHE/jvm-classes" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
        sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf --
fi

coroutines_version=$(unzip -p "$COROUTINES_JAR" META-INF/kotlinx_coroutines_core.version)
stdlib_version=$(unzip -p "$KOTLIN_HOME/lib/kotlin-stdlib.jar" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *\([^[:space:]]*\).*/\1/p')
jna_version=$(basename "$(readlink -f "$JNA_JAR")" .jar | sed 's/^jna-//')

python3 - "$work" "$classes" "$version" "$src" "${kt[@]}" <<'PY'
import sys, zipfile
work, classes, version, src, *kt = sys.argv[1:]
STAMP = (2020, 1, 1, 0, 0, 0)  # fixed entry times: the same inputs give the same jar

def add(z, name, data, mode=0o644):
    info = zipfile.ZipInfo(name, STAMP)
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)

manifest = (
    "Manifest-Version: 1.0\r\n"
    "Implementation-Title: RehabCore for the JVM (Linux x86-64)\r\n"
    f"Implementation-Version: {version}\r\n"
    "Implementation-Vendor-Id: org.rehabcore\r\n"
    "Automatic-Module-Name: org.rehabcore\r\n\r\n"
)
with zipfile.ZipFile(f"{work}/rehabcore-jvm.jar", "w") as z:
    add(z, "META-INF/MANIFEST.MF", manifest)
    add(z, "META-INF/LICENSE", open("LICENSE", "rb").read())
    with zipfile.ZipFile(classes) as c:
        for name in sorted(c.namelist()):
            if name != "META-INF/MANIFEST.MF" and not name.endswith("/"):
                add(z, name, c.read(name))
    # JNA looks for <os-arch>/<mapped name> among the classpath resources when the
    # library is not on jna.library.path or the system's path: linux-x86-64 here.
    add(z, "linux-x86-64/librehab_core.so", open(f"{work}/native/linux-x86-64/librehab_core.so", "rb").read(), 0o755)
with zipfile.ZipFile(f"{work}/rehabcore-jvm-sources.jar", "w") as z:
    add(z, "META-INF/MANIFEST.MF", "Manifest-Version: 1.0\r\n\r\n")
    for f in kt:
        add(z, f[len(src) + 1:], open(f, "rb").read())
PY

cat >"$work/rehabcore-jvm.pom" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>$group</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <packaging>jar</packaging>
  <name>RehabCore for the JVM</name>
  <description>Kotlin bindings (uniffi) of rehab_core, the Rust core of a home stroke-rehabilitation exercise app, with librehab_core.so for Linux x86-64 inside (loaded by JNA from the classpath). Built with the $profile profile.</description>
  <licenses>
    <license>
      <name>MPL-2.0</name>
      <url>https://mozilla.org/MPL/2.0/</url>
    </license>
  </licenses>
  <dependencies>
    <dependency>
      <groupId>net.java.dev.jna</groupId>
      <artifactId>jna</artifactId>
      <version>$jna_version</version>
    </dependency>
    <dependency>
      <groupId>org.jetbrains.kotlinx</groupId>
      <artifactId>kotlinx-coroutines-core-jvm</artifactId>
      <version>$coroutines_version</version>
    </dependency>
    <dependency>
      <groupId>org.jetbrains.kotlin</groupId>
      <artifactId>kotlin-stdlib</artifactId>
      <version>$stdlib_version</version>
    </dependency>
  </dependencies>
</project>
POM

mkdir -p "$out"
jar=$(python3 "$here/maven_repo.py" publish --repo "$out" --group "$group" --artifact "$artifact" \
    --version "$version" --jar "$work/rehabcore-jvm.jar" --sources "$work/rehabcore-jvm-sources.jar" \
    --pom "$work/rehabcore-jvm.pom")
log "published $group:$artifact:$version ($profile) -> $jar ($(stat -c %s "$jar") bytes)"
