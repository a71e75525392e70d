#!/usr/bin/env bash
# Validates the FHIR Bundle that `rehab export --format fhir` writes with a
# validator nobody here wrote: the FHIR models of PyPI's `fhir.resources`
# (pydantic), in a venv cached under $REHAB_CACHE (installed once, idempotent).
#
#   scripts/validate-fhir.sh              demo database -> export -> validate
#   scripts/validate-fhir.sh BUNDLE.json  validate that file only
#
# fhir.resources ships FHIR R5 and R4B (4.3.0) models; the bundle is R4 (4.0.1),
# which R4B revises without changing Bundle, Patient or Observation, so the R4B
# models are used. A bundle the models refuse fails the script; so do
# deliberately broken copies that they accept (the validator must be awake).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
# shellcheck source=scripts/toolchains.sh
source "$here/toolchains.sh" # REHAB_CACHE, _tc_apt_install, _tc_lock

FHIR_RESOURCES_VERSION=8.3.0
venv="$REHAB_CACHE/fhir-venv-$FHIR_RESOURCES_VERSION"
log() { printf 'validate-fhir: %s\n' "$*" >&2; }

_tc_lock fhir-venv
if [[ ! -f "$venv/.rehab-complete" ]]; then
    log "installing fhir.resources==$FHIR_RESOURCES_VERSION into $venv"
    python3 -c 'import ensurepip' 2>/dev/null || _tc_apt_install python3-venv
    rm -rf -- "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "fhir.resources==$FHIR_RESOURCES_VERSION" >&2
    touch "$venv/.rehab-complete"
fi
_tc_unlock

validate() {
    "$venv/bin/python" - "$@" <<'PY'
import collections, copy, json, sys
from fhir.resources.R4B.bundle import Bundle

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    data = json.load(f)
try:
    bundle = Bundle.model_validate(data)
except Exception as e:  # pydantic.ValidationError
    print(f"validate-fhir: {path} is not a valid FHIR Bundle:\n{e}", file=sys.stderr)
    sys.exit(1)
kinds = collections.Counter(e.resource.get_resource_type() for e in bundle.entry or [])
if not kinds.get("Patient") or not kinds.get("Observation"):
    print(f"validate-fhir: {path} holds no Patient or no Observation: {dict(kinds)}", file=sys.stderr)
    sys.exit(1)
# The validator must refuse broken copies, or it proves nothing: a required
# member missing, a member FHIR does not define, a malformed dateTime.
def broken(change):
    b = copy.deepcopy(data)
    change(next(e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == "Observation"))
    return b
for name, change in [
    ("no status", lambda o: o.pop("status")),
    ("an unknown member", lambda o: o.__setitem__("notFhir", 1)),
    ("a malformed dateTime", lambda o: o.__setitem__("effectiveDateTime", "yesterday")),
]:
    try:
        Bundle.model_validate(broken(change))
    except Exception:
        continue
    print(f"validate-fhir: the validator accepted an Observation with {name}", file=sys.stderr)
    sys.exit(1)
print(f"validate-fhir: {path}: valid FHIR Bundle ({bundle.type}), "
      + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
PY
}

if (($# > 0)); then
    validate "$1"
    exit
fi

cd "$repo"
cargo build --quiet --bin rehab
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
target/debug/rehab demo --quiet --minutes 5 --db "$tmp/r.db" >/dev/null
target/debug/rehab demo --quiet --minutes 5 --db "$tmp/r.db" >/dev/null
target/debug/rehab export --format fhir --db "$tmp/r.db" --out "$tmp/bundle.json" >&2
validate "$tmp/bundle.json"
