#!/usr/bin/env bash
# Compile the generated Swift bindings and the Swift tests with swiftc from the
# cached Debian trixie root (see toolchains.sh), then run the tests against the
# crate's cdylib.
#
# Inputs (env overrides; defaults are for this repo, paths relative to its root):
#   LIB_DIR       folder holding lib$LIB_NAME.so                  (target/debug)
#   LIB_NAME      cdylib name, without lib/.so                     (rehab_core)
#   BINDINGS_DIR  uniffi output, found by extension anywhere below  (bindings/swift)
#                 it: <Module>.swift, *FFI.h, *FFI.modulemap (a Package.swift
#                 is ignored); copied with their relative layout kept
#   TESTS_DIR     test sources, every *.swift below it; main.swift (tests/swift)
#                 holds the top-level code and does `import <Module>`
#   TEST_DATA_DIR copied on every run to ./data, the tests' cwd   (tests/data)
#                 (optional; the tests run in $SWIFT_ROOT/work/..., a chroot,
#                 with a clean environment and an empty TMPDIR=./tmp)
#   SWIFT_MODULE  module name of the bindings (default: basename of the one
#                 generated .swift file, i.e. uniffi's module_name)
#   SWIFTC_OPT    optimisation flag for both swiftc steps            (-Onone)
#   REHAB_CACHE   toolchain + build cache (see toolchains.sh)
# Extra arguments are passed to the test program. Exit code: the test program's.
#
# How: the bindings are built as their own Swift module (lib<Module>.so plus
# .swiftmodule), as an app would `import` them, so the tests see only the public
# API; then the tests are linked against it and lib$LIB_NAME.so. Everything is
# copied into $SWIFT_ROOT/work/<hash of sources and flags>/ and compiled with
# absolute paths inside the root. The build is reused while the sources are
# unchanged; the .so is copied in again on every run (not part of the key).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
LIB_DIR=$(realpath -m "${LIB_DIR:-$repo/target/debug}")
LIB_NAME="${LIB_NAME:-rehab_core}"
BINDINGS_DIR=$(realpath -m "${BINDINGS_DIR:-$repo/bindings/swift}")
TESTS_DIR=$(realpath -m "${TESTS_DIR:-$repo/tests/swift}")
TEST_DATA_DIR=$(realpath -m "${TEST_DATA_DIR:-$repo/tests/data}")
SWIFTC_OPT="${SWIFTC_OPT:--Onone}"

log() { printf 'test-swift: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
t_start=$(now)

bash "$here/toolchains.sh" swift
# shellcheck source=scripts/toolchains.sh
source "$here/toolchains.sh" # variables and helpers only: SWIFT_ROOT, _tc_mounts_under

so="$LIB_DIR/lib$LIB_NAME.so"
[[ -f "$so" ]] || die "$so not found (run cargo build first)"
# Generated files, as paths relative to BINDINGS_DIR.
gen_files() { (cd "$BINDINGS_DIR" 2>/dev/null && find . -type f "$@" ! -name Package.swift | LC_ALL=C sort); }
mapfile -t gen_swift < <(gen_files -name '*.swift')
mapfile -t gen_maps < <(gen_files -name '*.modulemap')
mapfile -t gen_all < <(gen_files \( -name '*.swift' -o -name '*.h' -o -name '*.modulemap' \))
mapfile -t tests < <(find "$TESTS_DIR" -name '*.swift' -type f 2>/dev/null | LC_ALL=C sort)
((${#gen_swift[@]} > 0 && ${#gen_maps[@]} > 0)) ||
    die "no generated .swift/.modulemap in $BINDINGS_DIR (run uniffi-bindgen)"
((${#tests[@]} > 0)) || die "no test .swift under $TESTS_DIR"
if [[ -z "${SWIFT_MODULE:-}" ]]; then
    ((${#gen_swift[@]} == 1)) || die "several .swift in $BINDINGS_DIR: set SWIFT_MODULE"
    SWIFT_MODULE=$(basename "${gen_swift[0]}" .swift)
fi

# Cache key: every input except the .so, plus the flags and the toolchain marker.
key=$(
    {
        echo "$SWIFT_MODULE $LIB_NAME $SWIFTC_OPT"
        cat "$SWIFT_ROOT/.rehab-root-complete"
        (cd "$BINDINGS_DIR" && sha256sum "${gen_all[@]}")
        (cd "$TESTS_DIR" && find . -name '*.swift' -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    } | sha256sum | cut -c1-16
)
w="/work/swift-$key"  # absolute path as seen inside the root
host_w="$SWIFT_ROOT$w" # the same folder seen from the host
mkdir -p "$host_w"
exec 8>"$host_w.lock" # one run at a time per work folder (copy, build, run)
flock 8

# Run a command inside the root: a private mount namespace (so the /proc mounted
# here, and anything else, is unmounted by the kernel when the namespace's last
# process exits, whatever happens), chroot, a clean environment and cwd $w.
in_root() {
    # shellcheck disable=SC2016 # expanded by the inner bash, from its arguments
    unshare --mount --propagation private --fork /bin/bash -euo pipefail -c '
        root=$1 dir=$2 ld=$3; shift 3
        mount -t proc proc "$root/proc"
        exec chroot "$root" /usr/bin/env -i -C "$dir" PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 TMPDIR="$dir/tmp" LD_LIBRARY_PATH="$ld" "$@"
    ' _ "$SWIFT_ROOT" "$w" \
        "/usr/libexec/swift/lib/swift/linux:/usr/libexec/swift/lib/swift/host:$w/build:$w/lib" "$@"
}

# The cdylib and the test data are copied on every run: they change without the
# sources changing. TMPDIR ($w/tmp) starts empty on every run.
mkdir -p "$host_w/lib"
cp -f "$so" "$host_w/lib/"
rm -rf --one-file-system -- "$host_w/data" "$host_w/tmp"
mkdir -p "$host_w/tmp"
if [[ -d "$TEST_DATA_DIR" ]]; then cp -a "$TEST_DATA_DIR" "$host_w/data"; fi

if [[ -f "$host_w/build/.complete" ]]; then
    log "using cached build $host_w/build"
else
    t_compile=$(now)
    rm -rf --one-file-system -- "$host_w/bindings" "$host_w/tests" "$host_w/build"
    mkdir -p "$host_w/bindings" "$host_w/tests" "$host_w/build"
    (cd "$BINDINGS_DIR" && cp --parents "${gen_all[@]}" "$host_w/bindings/")
    (cd "$TESTS_DIR" && find . -name '*.swift' -type f -exec cp --parents {} "$host_w/tests/" \;)
    maps=()
    for m in "${gen_maps[@]}"; do maps+=(-Xcc "-fmodule-map-file=$w/bindings/${m#./}"); done
    srcs=()
    for s in "${gen_swift[@]}"; do srcs+=("$w/bindings/${s#./}"); done
    tsrcs=()
    for t in "${tests[@]}"; do tsrcs+=("$w/tests/${t#"$TESTS_DIR"/}"); done

    log "swiftc module $SWIFT_MODULE (${#srcs[@]} generated files)"
    in_root swiftc "$SWIFTC_OPT" -module-name "$SWIFT_MODULE" -emit-library -emit-module \
        -emit-module-path "$w/build/$SWIFT_MODULE.swiftmodule" "${maps[@]}" "${srcs[@]}" \
        -L "$w/lib" -l"$LIB_NAME" -o "$w/build/lib$SWIFT_MODULE.so"
    log "swiftc tests (${#tsrcs[@]} files)"
    in_root swiftc "$SWIFTC_OPT" -module-name "${SWIFT_MODULE}Tests" -I "$w/build" "${maps[@]}" \
        "${tsrcs[@]}" -L "$w/build" -l"$SWIFT_MODULE" -L "$w/lib" -l"$LIB_NAME" -o "$w/build/tests"
    touch "$host_w/build/.complete" # written last: the build above finished
    log "compiled in $(since "$t_compile")s"
    # Keep the 5 most recently used work folders (nothing is ever mounted in them).
    find "$SWIFT_ROOT/work" -mindepth 1 -maxdepth 1 -type d -name 'swift-*' -printf '%T@ %p\n' |
        sort -rn | tail -n +6 | cut -d' ' -f2- |
        while read -r old; do rm -rf --one-file-system -- "$old" "$old.lock"; done
fi
touch "$host_w"

log "running $w/build/tests (lib$LIB_NAME.so from $LIB_DIR)"
set +e
in_root "$w/build/tests" "$@" </dev/null
rc=$?
set -e
# Nothing can stay mounted (see in_root); checked anyway, as a root with mounts
# in it must never be deleted.
if [[ -n "$(_tc_mounts_under "$SWIFT_ROOT")" ]]; then
    log "warning: something is mounted under $SWIFT_ROOT: $(_tc_mounts_under "$SWIFT_ROOT")"
fi
log "exit $rc ($(since "$t_start")s total)"
exit "$rc"
