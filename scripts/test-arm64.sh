#!/usr/bin/env bash
# The crate's Rust tests on arm64 (aarch64, the phones' CPU), on this x86-64
# machine: cross-compiled in the cached Debian trixie root (scripts/toolchains.sh
# swift) with Debian's rustc-web/cargo-web, libstd-rust-web-dev:arm64 and
# gcc-aarch64-linux-gnu, and run under qemu-user (cargo's target runner).
#
#   scripts/test-arm64.sh [CARGO TEST ARGS...]     e.g. -- --skip slow_test
#
# A step of scripts/test.sh: a warm run (caches in place) takes ~1 minute when
# the sources are unchanged and ~2 minutes after a change to the crate; a cold
# run (first install, every crate compiled for aarch64) took 16 minutes here.
# Runs the library's unit tests, the binaries' unit tests and every integration
# test in tests/ except those that start an executable of their own (the `rehab`
# binary, CARGO_BIN_EXE_rehab, or the test binary again, current_exe(), to kill
# it): an aarch64 executable started by a test is not run
# through qemu (that would need binfmt_misc, a setting of the host kernel that
# this script does not touch), so those targets are left out and named.
#
# Caches (outside the repository, under REHAB_CACHE): the packages installed
# once into the trixie root (marker .rehab-arm64-complete) and the target
# folder $REHAB_CACHE/arm64-target. Crates come from the host's cargo registry
# ($CARGO_HOME/registry, bind-mounted; --offline): run a host `cargo fetch` first
# on a fresh machine (scripts/test.sh does, through its cargo build).
# Needs root (apt-get and chroot in a private mount namespace).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
log() { printf 'test-arm64: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 2; }
[[ $EUID -eq 0 ]] || die "needs root (apt-get, chroot)"

bash "$here/toolchains.sh" swift
# shellcheck source=scripts/toolchains.sh
source "$here/toolchains.sh" # SWIFT_ROOT, REHAB_CACHE, _tc_mounts_under
root=$SWIFT_ROOT
cargo_home=${CARGO_HOME:-$HOME/.cargo}
target=$REHAB_CACHE/arm64-target
mkdir -p "$target" "$root/mnt/rehab" "$root/mnt/registry" "$root/mnt/target"

# Run a command in the root: a private mount namespace (everything mounted here
# goes away with its last process), /proc, the repository (read-only), the
# cargo registry and the target folder bind-mounted.
in_root() {
    # shellcheck disable=SC2016 # expanded by the inner bash
    unshare --mount --propagation private --fork /bin/bash -euo pipefail -c '
        root=$1 repo=$2 reg=$3 target=$4; shift 4
        mount -t proc proc "$root/proc"
        mount --bind "$repo" "$root/mnt/rehab" && mount -o remount,bind,ro "$root/mnt/rehab"
        mount --bind "$reg" "$root/mnt/registry"
        mount --bind "$target" "$root/mnt/target"
        exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
            HOME=/root LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"
    ' _ "$root" "$repo" "$cargo_home/registry" "$target" "$@"
}

marker=$root/.rehab-arm64-complete
if [[ ! -f "$marker" ]]; then
    t0=$(date +%s)
    log "installing rustc-web, cargo-web, libstd-rust-web-dev:arm64, gcc-aarch64-linux-gnu, qemu-user into $root"
    in_root dpkg --add-architecture arm64
    in_root apt-get -q update
    in_root apt-get -q -y --no-install-recommends install rustc-web cargo-web libstd-rust-web-dev:arm64 \
        gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
    touch "$marker" # written last: the install above finished
    log "installed in $(($(date +%s) - t0))s"
fi

# Integration tests that do not spawn the rehab binary.
targets=() skipped=()
for f in "$repo"/tests/*.rs; do
    name=$(basename "$f" .rs)
    if grep -q -E 'CARGO_BIN_EXE|current_exe\(\)' "$f"; then skipped+=("$name"); else targets+=(--test "$name"); fi
done
log "left out (they start an aarch64 executable: rehab, or the test itself): ${skipped[*]}"

t0=$(date +%s)
log "cargo test --target aarch64-unknown-linux-gnu --lib --bins ${targets[*]} (offline, runner qemu-aarch64)"
set +e
in_root /bin/bash -c '
    set -euo pipefail
    cargo=$(command -v cargo)
    export CARGO_HOME=/root/cargo-home CARGO_TARGET_DIR=/mnt/target
    mkdir -p "$CARGO_HOME" && ln -sfn /mnt/registry "$CARGO_HOME/registry"
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
    export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc AR_aarch64_unknown_linux_gnu=aarch64-linux-gnu-ar
    export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
    export REHAB_SKIP_CHROMIUM=1
    "$cargo" --version; rustc --version
    # A copy of the sources: the repository is mounted read-only, and cargo
    # writes nothing there but may want Cargo.lock writable.
    rm -rf /root/rehab-src && mkdir -p /root/rehab-src
    cd /mnt/rehab && tar --exclude=./target --exclude=./.git -cf - . | tar -C /root/rehab-src -xf -
    cd /root/rehab-src
    "$cargo" test --offline --target aarch64-unknown-linux-gnu --lib --bins "$@" &&
    # The counter and the movement simulator (crates/rehab_motion): their unit tests.
    "$cargo" test --offline --target aarch64-unknown-linux-gnu -p rehab_motion --lib
' _ "${targets[@]}" "$@"
rc=$?
set -e
if [[ -n "$(_tc_mounts_under "$root")" ]]; then
    log "warning: something is mounted under $root: $(_tc_mounts_under "$root")"
fi
log "exit $rc ($(($(date +%s) - t0))s)"
exit "$rc"
