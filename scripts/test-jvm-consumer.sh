#!/usr/bin/env bash
# The JVM artifact as a consumer sees it (a step of scripts/test.sh):
#   1. scripts/publish-jvm.sh publishes org.rehabcore:rehabcore-jvm into a
#      Maven-layout folder (default target/maven; debug library, see below);
#   2. the third-party dependencies its POM names (JNA, kotlinx-coroutines,
#      kotlin-stdlib) are put, under their coordinates, into a second folder
#      $REHAB_CACHE/maven-mirror from the jars this machine has (Debian's JNA, the
#      Kotlin compiler's lib/): a stand-in for Maven Central, unreachable here;
#   3. examples/jvm-consumer/pom.xml is resolved from those two folders only
#      (scripts/maven_repo.py classpath: group/artifact/version, checksums
#      checked, transitive POMs followed; no source paths), Main.kt is compiled
#      against the result and run from an empty folder, without
#      -Djna.library.path or LD_LIBRARY_PATH: JNA must find the library inside
#      the jar. It opens a database and plays one block.
# Env: JVM_PROFILE (debug: the debug library, stripped of debug info, so the test
#      needs no release build; release for the real thing), JVM_MAVEN_REPO.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$here/.." && pwd)
cd "$repo_root"
log() { printf 'test-jvm-consumer: %s\n' "$*" >&2; }

profile=${JVM_PROFILE:-debug}
maven=$(realpath -m "${JVM_MAVEN_REPO:-target/maven}")
"$here/publish-jvm.sh" --repo "$maven" --profile "$profile"

# shellcheck source=scripts/toolchains.sh
source "$here/toolchains.sh" # KOTLIN_HOME, JNA_JAR, COROUTINES_JAR, REHAB_CACHE
mirror="$REHAB_CACHE/maven-mirror"
py() { python3 "$here/maven_repo.py" "$@"; }
py mirror --repo "$mirror" --group net.java.dev.jna --artifact jna \
    --version "$(basename "$(readlink -f "$JNA_JAR")" .jar | sed 's/^jna-//')" --jar "$JNA_JAR"
py mirror --repo "$mirror" --group org.jetbrains.kotlinx --artifact kotlinx-coroutines-core-jvm \
    --version "$(unzip -p "$COROUTINES_JAR" META-INF/kotlinx_coroutines_core.version)" --jar "$COROUTINES_JAR"
py mirror --repo "$mirror" --group org.jetbrains.kotlin --artifact kotlin-stdlib \
    --version "$(unzip -p "$KOTLIN_HOME/lib/kotlin-stdlib.jar" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *\([^[:space:]]*\).*/\1/p')" \
    --jar "$KOTLIN_HOME/lib/kotlin-stdlib.jar"

version=$(python3 -c 'import tomllib; print(tomllib.load(open("Cargo.toml","rb"))["package"]["version"])')
consumer=examples/jvm-consumer
cp=$(py classpath --repo "$maven" --repo "$mirror" -Drehabcore.version="$version" "$consumer/pom.xml")
log "classpath from the repositories: ${cp//:/ }"
case ":$cp:" in *"$repo_root/bindings"* | *"$repo_root/src"*) log "error: a source path in the classpath"; exit 1 ;; esac

# Compile (cached by the consumer's source and the published sources jar + POM).
base="$maven/org/rehabcore/rehabcore-jvm/$version/rehabcore-jvm-$version"
key=$(cat "$consumer/Main.kt" "$base-sources.jar.sha1" "$base.pom.sha1" <(echo "$KOTLIN_HOME") | sha256sum | cut -c1-16)
jar="$REHAB_CACHE/jvm-consumer/$key/consumer.jar"
if [[ ! -f "$jar" ]]; then
    log "kotlinc $consumer/Main.kt"
    mkdir -p "$(dirname "$jar")"
    JAVA_OPTS="-Xmx1g -XX:TieredStopAtLevel=1 -XX:ReservedCodeCacheSize=256m" "$KOTLIN_HOME/bin/kotlinc" -nowarn -cp "$cp" \
        "$consumer/Main.kt" -d "$jar.part.jar"
    mv "$jar.part.jar" "$jar"
    find "$REHAB_CACHE/jvm-consumer" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
        sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf --
fi

run=$(mktemp -d)
trap 'rm -rf -- "$run"' EXIT
log "java MainKt (cwd $run, no jna.library.path, no LD_LIBRARY_PATH)"
(cd "$run" && env -u LD_LIBRARY_PATH java -Djna.tmpdir="$run" -cp "$jar:$cp" MainKt </dev/null)
