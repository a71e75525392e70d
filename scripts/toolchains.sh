#!/usr/bin/env bash
# Idempotent installer for the toolchains that compile and run the generated
# Kotlin and Swift bindings (see shared TOOLCHAINS.md for how they were found).
#
# Usage:
#   scripts/toolchains.sh kotlin     # kotlinc (npm kotlin-compiler) + JNA (apt libjna-java)
#   scripts/toolchains.sh swift      # Debian trixie root with swiftlang, made by debootstrap
#   scripts/toolchains.sh chromium   # apt chromium (for screenshots later)
#   scripts/toolchains.sh all        # the three above
#   scripts/toolchains.sh env        # print `export VAR=...` lines (no install)
#   eval "$(scripts/toolchains.sh kotlin env)"   # install, then export the variables
#   source scripts/toolchains.sh     # define the variables and toolchains_* functions only
#
# Everything downloaded lives under REHAB_CACHE (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/rehab_core), apart from the apt packages.
# Each install step prints one status line on stderr (stdout is kept for `env`).
# Runs as root without stdin (CI); apt-get update runs at most once per process,
# and only when a package is actually missing.

# --- Locations and versions (safe to source: nothing below runs on source) ---
REHAB_CACHE="${REHAB_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/rehab_core}"
KOTLIN_VERSION="2.4.20"
KOTLIN_HOME="$REHAB_CACHE/kotlin-compiler-$KOTLIN_VERSION"
COROUTINES_JAR="$KOTLIN_HOME/lib/kotlinx-coroutines-core-jvm.jar"
JNA_JAR="/usr/share/java/jna.jar"
SWIFT_SUITE="trixie"
SWIFT_MIRROR="${SWIFT_MIRROR:-http://deb.debian.org/debian}"
SWIFT_ROOT="$REHAB_CACHE/swift-$SWIFT_SUITE-root"
SWIFT_MARKER="$SWIFT_ROOT/.rehab-root-complete"
KOTLIN_MARKER="$KOTLIN_HOME/.rehab-complete"
export REHAB_CACHE KOTLIN_HOME COROUTINES_JAR JNA_JAR SWIFT_ROOT

_TOOLCHAINS_APT_UPDATED=0

_tc_log() { printf 'toolchains: %s\n' "$*" >&2; }
_tc_die() { _tc_log "error: $*"; exit 1; }
_tc_now() { date +%s.%N; }
# Seconds elapsed since $1 (a _tc_now value), one decimal.
_tc_since() { awk -v a="$1" -v b="$(_tc_now)" 'BEGIN { printf "%.1f", b - a }'; }

# True when every named Debian package is installed.
_tc_have_pkgs() {
    local p status
    for p in "$@"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ "$status" == "install ok installed" ]] || return 1
    done
}

# Install the missing packages among "$@"; apt-get update at most once per process.
_tc_apt_install() {
    local missing=() p
    for p in "$@"; do _tc_have_pkgs "$p" || missing+=("$p"); done
    ((${#missing[@]} == 0)) && return 0
    [[ $EUID -eq 0 ]] || _tc_die "need root to apt-get install ${missing[*]}"
    local apt=(apt-get -q -y -o DPkg::Lock::Timeout=300)
    if ((_TOOLCHAINS_APT_UPDATED == 0)); then
        DEBIAN_FRONTEND=noninteractive "${apt[@]}" update </dev/null >&2
        _TOOLCHAINS_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install --no-install-recommends \
        "${missing[@]}" </dev/null >&2
}

# Serialise concurrent installers of the same toolchain (fd 9, released on return).
_tc_lock() {
    mkdir -p "$REHAB_CACHE"
    exec 9>"$REHAB_CACHE/.$1.lock"
    flock 9
}
_tc_unlock() { exec 9>&-; }

# Print every mount point at or below $1 (from /proc/mounts; \040 etc. left escaped).
_tc_mounts_under() {
    local dir
    dir=$(realpath -m "$1")
    awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts
}

# Remove an unfinished Swift root, but never while anything is mounted inside it:
# rm -rf would then walk into the host's /proc, /dev or a bind-mounted folder.
_tc_remove_root_safely() {
    local root=$1 mounts
    mounts=$(_tc_mounts_under "$root")
    if [[ -n "$mounts" ]]; then
        _tc_log "unmounting leftovers under $root: $(echo "$mounts" | tr '\n' ' ')"
        # Deepest first; plain (not lazy) umount so a busy mount stays visible.
        echo "$mounts" | sort -r | while read -r m; do umount "$m" || true; done
        mounts=$(_tc_mounts_under "$root")
        [[ -z "$mounts" ]] || _tc_die "still mounted under $root, not removing it: $mounts"
    fi
    # --one-file-system: second guard against crossing into another filesystem.
    rm -rf --one-file-system -- "$root"
}

# --- Kotlin: kotlinc from npm, JNA from Debian -------------------------------
toolchains_kotlin() {
    local t0 how="cached"
    t0=$(_tc_now)
    _tc_lock kotlin
    command -v java >/dev/null 2>&1 || _tc_apt_install openjdk-17-jre-headless
    if ! _tc_have_pkgs libjna-java; then
        _tc_apt_install libjna-java
        how="installed"
    fi
    [[ -f "$JNA_JAR" ]] || _tc_die "$JNA_JAR missing after installing libjna-java"

    if [[ ! -f "$KOTLIN_MARKER" ]]; then
        how="installed"
        command -v npm >/dev/null 2>&1 || _tc_die "npm not found (needed for kotlin-compiler)"
        local tmp="$REHAB_CACHE/.kotlin-tmp.$$"
        rm -rf -- "$tmp" "$KOTLIN_HOME"
        mkdir -p "$tmp"
        (cd "$tmp" && npm pack --silent --no-fund --no-audit --no-update-notifier \
            "kotlin-compiler@$KOTLIN_VERSION" </dev/null >/dev/null)
        tar -xzf "$tmp"/kotlin-compiler-*.tgz -C "$tmp"
        [[ -f "$tmp/package/bin/kotlinc" && -f "$tmp/package/lib/kotlin-stdlib.jar" ]] ||
            _tc_die "npm kotlin-compiler@$KOTLIN_VERSION has no bin/kotlinc or lib/kotlin-stdlib.jar"
        [[ -f "$tmp/package/lib/kotlinx-coroutines-core-jvm.jar" ]] ||
            _tc_die "npm kotlin-compiler@$KOTLIN_VERSION has no lib/kotlinx-coroutines-core-jvm.jar"
        chmod +x "$tmp"/package/bin/*
        mv "$tmp/package" "$KOTLIN_HOME"
        rm -rf -- "$tmp"
        # Written last: its presence means the unpack above finished.
        echo "kotlin-compiler@$KOTLIN_VERSION $(date -u +%FT%TZ)" >"$KOTLIN_MARKER"
    fi
    _tc_unlock
    _tc_log "kotlin: $how kotlinc $KOTLIN_VERSION at $KOTLIN_HOME + $JNA_JAR ($(_tc_since "$t0")s)"
}

# --- Swift: a Debian trixie root with swiftlang, used through chroot ---------
toolchains_swift() {
    local t0 how="cached"
    t0=$(_tc_now)
    _tc_lock swift
    if [[ ! -f "$SWIFT_MARKER" ]]; then
        how="installed"
        [[ $EUID -eq 0 ]] || _tc_die "need root for debootstrap/chroot"
        if [[ -e "$SWIFT_ROOT" ]]; then
            _tc_log "swift: removing unfinished root $SWIFT_ROOT"
            _tc_remove_root_safely "$SWIFT_ROOT"
        fi
        command -v debootstrap >/dev/null 2>&1 || _tc_apt_install debootstrap
        mkdir -p "$SWIFT_ROOT"
        # In a private mount namespace: whatever debootstrap or apt mount inside the
        # root (proc, sys, a /dev bind in containers) disappears with the namespace,
        # even if they fail half-way. (Single quotes: expanded by the inner bash.)
        # shellcheck disable=SC2016
        unshare --mount --propagation private --fork /bin/bash -euo pipefail -c '
            root=$1 suite=$2 mirror=$3
            debootstrap --variant=minbase --include=swiftlang,ca-certificates \
                "$suite" "$root" "$mirror" >&2
            mount -t proc proc "$root/proc"
            chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
                DEBIAN_FRONTEND=noninteractive \
                apt-get -q -y -o Dpkg::Use-Pty=0 install --no-install-recommends \
                libc6-dev libstdc++-14-dev >&2
            chroot "$root" apt-get clean
        ' _ "$SWIFT_ROOT" "$SWIFT_SUITE" "$SWIFT_MIRROR" </dev/null
        [[ -x "$SWIFT_ROOT/usr/bin/swiftc" ]] || _tc_die "no usr/bin/swiftc in $SWIFT_ROOT"
        [[ -z "$(_tc_mounts_under "$SWIFT_ROOT")" ]] || _tc_die "mounts left under $SWIFT_ROOT"
        mkdir -p "$SWIFT_ROOT/work"
        # Written last: its presence means the root is complete.
        # shellcheck disable=SC2016
        echo "$SWIFT_SUITE swiftlang $(chroot "$SWIFT_ROOT" dpkg-query -W -f='${Version}' swiftlang) $(date -u +%FT%TZ)" \
            >"$SWIFT_MARKER"
    fi
    _tc_unlock
    _tc_log "swift: $how $(cut -d' ' -f1-3 "$SWIFT_MARKER") root at $SWIFT_ROOT ($(_tc_since "$t0")s)"
}

# --- Chromium (headless screenshots, later) ----------------------------------
toolchains_chromium() {
    local t0 how="cached"
    t0=$(_tc_now)
    if ! _tc_have_pkgs chromium fonts-liberation; then
        _tc_apt_install chromium fonts-liberation
        how="installed"
    fi
    _tc_log "chromium: $how $(command -v chromium) ($(_tc_since "$t0")s)"
}

toolchains_env() {
    local v
    for v in REHAB_CACHE KOTLIN_HOME JNA_JAR COROUTINES_JAR SWIFT_ROOT; do
        printf 'export %s=%q\n' "$v" "${!v}"
    done
}

_toolchains_main() {
    (($# > 0)) || set -- all
    local cmd
    for cmd in "$@"; do
        case "$cmd" in
        kotlin) toolchains_kotlin ;;
        swift) toolchains_swift ;;
        chromium) toolchains_chromium ;;
        all) toolchains_kotlin && toolchains_swift && toolchains_chromium ;;
        env) toolchains_env ;;
        -h | --help) sed -n '2,/^$/s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" ;;
        *) _tc_die "unknown subcommand '$cmd' (kotlin, swift, chromium, all, env)" ;;
        esac
    done
}

# Run only when executed, not when sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    _toolchains_main "$@"
fi
