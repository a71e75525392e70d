#!/usr/bin/env bash
# Recordings the counter was not developed on, for checking that it generalises.
#
#   scripts/heldout-data.sh            # prints the folder; then:
#   REHAB_DATA=$(scripts/heldout-data.sh) cargo bench --bench accuracy
#
# ../shared/data ships SPAR subjects 1-6. The same public source (the PyPI package
# seglearn 1.2.5, BSD-3-Clause; D. Burns et al., Physiological Measurement 2018) holds
# subjects 1-10: this script downloads the wheel once (pinned by SHA-256), and writes
# subjects 7-10 (56 sets, 20 repetitions each by protocol) in the format of
# ../shared/data/README.md (acceleration converted from g to m/s², 50 Hz), with a
# manifest.csv. Keep that attribution with any copy.
#
# Needs python3 with pip and numpy (numpy is installed into a cached virtualenv if the
# system python lacks it). Idempotent: a second run only prints the folder.
set -euo pipefail

REHAB_CACHE="${REHAB_CACHE:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/rehab_core}"
WHEEL_NAME=seglearn-1.2.5-py3-none-any.whl
WHEEL_SHA256=ec6b952c85c9627050102854b372d85951563d3b990df677d7c55547e87413dd
DIR="$REHAB_CACHE/heldout-spar"
OUT="$DIR/data"

if [[ -f "$OUT/manifest.csv" ]]; then
    echo "$OUT"
    exit 0
fi
mkdir -p "$DIR"
if ! echo "$WHEEL_SHA256  $DIR/$WHEEL_NAME" | sha256sum -c --status 2>/dev/null; then
    python3 -m pip download --quiet --no-deps --dest "$DIR" seglearn==1.2.5 >&2
    echo "$WHEEL_SHA256  $DIR/$WHEEL_NAME" | sha256sum -c --status \
        || { echo "heldout-data: $WHEEL_NAME does not match its pinned SHA-256" >&2; exit 1; }
fi
PY=python3
if ! python3 -c 'import numpy' 2>/dev/null; then
    [[ -x "$DIR/venv/bin/python" ]] || python3 -m venv "$DIR/venv" >&2
    "$DIR/venv/bin/python" -m pip install --quiet numpy >&2
    PY="$DIR/venv/bin/python"
fi
tmp="$OUT.tmp.$$"
rm -rf "$tmp" && mkdir -p "$tmp/spar"
"$PY" - "$DIR/$WHEEL_NAME" "$tmp" <<'EOF'
import io, sys, zipfile
import numpy as np

wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    raw = z.read("seglearn/data/watch_dataset.npy")
d = np.load(io.BytesIO(raw), allow_pickle=True).item()
labels = d["y_labels"]
rows = ["file,dataset,subject,exercise,side,rate_hz,true_reps,note"]
for x, y, side, subject in zip(d["X"], d["y"], d["side"], d["subject"]):
    subject = int(subject)
    if subject <= 6:  # subjects 1-6 are in ../shared/data
        continue
    side = "right" if side == 1 else "left"
    name = f"spar/s{subject}_{labels[y]}_{side}_1.csv"
    with open(f"{out}/{name}", "w") as f:
        f.write("t_s,ax,ay,az,gx,gy,gz\n")
        for k, r in enumerate(x):
            a = r[:3] * 9.80665
            f.write(f"{k * 0.02:.3f},{a[0]:.5f},{a[1]:.5f},{a[2]:.5f},"
                    f"{r[3]:.5f},{r[4]:.5f},{r[5]:.5f}\n")
    rows.append(f"{name},spar,s{subject},{labels[y]},{side},50,20,reps by protocol")
rows[1:] = sorted(rows[1:])
with open(f"{out}/manifest.csv", "w") as f:
    f.write("\n".join(rows) + "\n")
print(f"heldout-data: {len(rows) - 1} recordings", file=sys.stderr)
EOF
cat > "$tmp/README.md" <<'EOF'
SPAR subjects 7-10, written by rehab_core's scripts/heldout-data.sh from the PyPI
package seglearn 1.2.5 (BSD-3-Clause): shoulder physiotherapy smartwatch recordings,
D. Burns et al., Physiological Measurement 2018. Same format as ../shared/data.
EOF
rm -rf "$OUT" && mv "$tmp" "$OUT"
echo "$OUT"
