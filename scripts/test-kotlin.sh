#!/usr/bin/env bash
# Compile the generated Kotlin bindings with the Kotlin tests and run them on the
# JVM against the crate's cdylib (JNA), as uniffi tests its own Kotlin bindings.
#
# Inputs (env overrides; defaults are for this repo, paths relative to its root):
#   LIB_DIR       folder holding lib$LIB_NAME.so          (target/debug)
#   LIB_NAME      cdylib name, without lib/.so             (rehab_core)
#   BINDINGS_DIR  generated Kotlin; every *.kt below it    (bindings/kotlin)
#   TESTS_DIR     test sources; every *.kt below it, one   (tests/kotlin)
#                 of them with a top-level `fun main`
#   KOTLIN_MAIN_CLASS  JVM class to run (default: derived from the file with main)
#   KOTLINC_JAVA_OPTS  JVM options for kotlinc   (-Xmx1g -XX:TieredStopAtLevel=1)
#   REHAB_CACHE   toolchain + compiled-jar cache (see toolchains.sh)
# The test program runs with the repo root as cwd (so tests/data/... resolves).
# Extra arguments are passed to the test program. Exit code: the test program's.
#
# The compiled jar is cached under $REHAB_CACHE/kotlin-jars/<hash of the .kt
# sources and the compiler version>; the .so is not part of the key, so a second
# run with unchanged sources skips kotlinc (~15 s) and only starts the JVM.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
LIB_DIR=$(realpath -m "${LIB_DIR:-$repo/target/debug}")
LIB_NAME="${LIB_NAME:-rehab_core}"
BINDINGS_DIR=$(realpath -m "${BINDINGS_DIR:-$repo/bindings/kotlin}")
TESTS_DIR=$(realpath -m "${TESTS_DIR:-$repo/tests/kotlin}")

log() { printf 'test-kotlin: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)

bash "$here/toolchains.sh" kotlin
# shellcheck source=scripts/toolchains.sh
source "$here/toolchains.sh" # variables only: KOTLIN_HOME, JNA_JAR, COROUTINES_JAR

[[ -f "$LIB_DIR/lib$LIB_NAME.so" ]] ||
    die "$LIB_DIR/lib$LIB_NAME.so not found (run cargo build first)"
mapfile -t generated < <(find "$BINDINGS_DIR" -name '*.kt' -type f 2>/dev/null | LC_ALL=C sort)
mapfile -t tests < <(find "$TESTS_DIR" -name '*.kt' -type f 2>/dev/null | LC_ALL=C sort)
((${#generated[@]} > 0)) || die "no generated .kt under $BINDINGS_DIR (run uniffi-bindgen)"
((${#tests[@]} > 0)) || die "no test .kt under $TESTS_DIR"

# JVM class holding `main`: file foo_bar.kt in package a.b -> a.b.Foo_barKt.
main_class() {
    local f base pkg
    f=$(grep -l -E '^[[:space:]]*fun[[:space:]]+main[[:space:]]*\(' "${tests[@]}" | head -n1) ||
        die "no 'fun main(' in $TESTS_DIR"
    base=$(basename "$f" .kt)
    pkg=$(sed -n -E 's/^[[:space:]]*package[[:space:]]+([A-Za-z0-9_.]+).*/\1/p' "$f" | head -n1)
    printf '%s%s%sKt\n' "${pkg:+$pkg.}" "$(tr '[:lower:]' '[:upper:]' <<<"${base:0:1}")" "${base:1}"
}
main=${KOTLIN_MAIN_CLASS:-$(main_class)}

# Cache key: compiler version + relative path and content of every source file.
key=$(
    {
        echo "kotlinc $KOTLIN_HOME -nowarn $(readlink -f "$JNA_JAR")"
        (cd "$BINDINGS_DIR" && find . -name '*.kt' -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
        (cd "$TESTS_DIR" && find . -name '*.kt' -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    } | sha256sum | cut -c1-16
)
jar_dir="$REHAB_CACHE/kotlin-jars/$key"
jar="$jar_dir/tests.jar"

if [[ -f "$jar" ]]; then
    log "using cached jar $jar"
    touch "$jar_dir" # keeps recently used entries from being pruned
else
    t_compile=$(now)
    tmp=$(mktemp -d "$REHAB_CACHE/kotlin-jars.tmp.XXXXXX")
    trap 'rm -rf -- "$tmp"' EXIT
    log "kotlinc ${#generated[@]} generated + ${#tests[@]} test files"
    # C1 only: kotlinc is a short-lived JVM; this cuts its CPU time by ~40%.
    JAVA_OPTS="${KOTLINC_JAVA_OPTS:--Xmx1g -XX:TieredStopAtLevel=1}" \
        "$KOTLIN_HOME/bin/kotlinc" -nowarn -cp "$JNA_JAR:$COROUTINES_JAR" \
            "${generated[@]}" "${tests[@]}" -d "$tmp/tests.jar"
    mkdir -p "$REHAB_CACHE/kotlin-jars"
    rm -rf -- "$jar_dir"
    mv "$tmp" "$jar_dir" # rename: a half-written jar is never seen as cached
    trap - EXIT
    log "compiled $jar ($(since "$t_compile")s)"
    # Keep the 5 most recently used jars.
    find "$REHAB_CACHE/kotlin-jars" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
        sort -rn | tail -n +6 | cut -d' ' -f2- | xargs -r rm -rf --
fi

log "java $main (lib$LIB_NAME.so from $LIB_DIR)"
cd "$repo"
set +e
java -Djna.library.path="$LIB_DIR" \
    -cp "$jar:$JNA_JAR:$COROUTINES_JAR:$KOTLIN_HOME/lib/kotlin-stdlib.jar" \
    "$main" "$@" </dev/null
rc=$?
set -e
log "exit $rc ($(since "$t_start")s total)"
exit "$rc"
