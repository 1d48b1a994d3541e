#!/bin/sh
# Nightly kernel lab: boots every release of scripts/kernel-lab.sh under qemu, records the scenarios,
# replays them, and compares the agreement table with the previous night's. Too slow for CI (about
# 5 minutes per release under TCG); the committed fixtures in traces/real/ are what CI replays.
#   NIGHTLY_DIR           results directory (default: nightly-results/lab in the repository)
#   PINREPLAY_LAB_CACHE   kernel packages and unpacked kernels (default ~/.cache/pinreplay-lab)
# Results: $NIGHTLY_DIR/latest (per release: traces, logs, replays; agreement.tsv; lab.log), the night
# before in $NIGHTLY_DIR/previous. Exit: 0 all boots produced traces and no trace has more
# disagreements than last night; 1 otherwise; 2 the lab could not run (tool or package missing).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${NIGHTLY_DIR:-$ROOT/nightly-results/lab}
mkdir -p "$DIR"
if [ -d "$DIR/latest" ]; then
    rm -rf "$DIR/previous"
    mv "$DIR/latest" "$DIR/previous"
fi
mkdir -p "$DIR/latest"

status=0
"$ROOT/scripts/kernel-lab.sh" --out "$DIR/latest" all > "$DIR/latest/lab.log" 2>&1 || status=$?
grep -v '^  \[' "$DIR/latest/lab.log" >&2
[ "$status" -ge 2 ] && { echo "nightly-lab: the lab could not run (exit $status)" >&2; exit 2; }

if [ -f "$DIR/previous/agreement.tsv" ] && [ -f "$DIR/latest/agreement.tsv" ]; then
    # release, trace -> differ: a trace that disagrees more than last night is a regression
    worse=$(awk -F'\t' 'NR == FNR { if (FNR > 1) was[$1 FS $2] = $5; next }
        FNR > 1 && ($1 FS $2) in was && $5 > was[$1 FS $2] { printf "  %s %s: %d -> %d\n", $1, $2, was[$1 FS $2], $5 }' \
        "$DIR/previous/agreement.tsv" "$DIR/latest/agreement.tsv")
    if [ -n "$worse" ]; then
        echo "nightly-lab: more disagreements than last night:" >&2
        echo "$worse" >&2
        status=1
    fi
fi
case $status in
    0) echo "nightly-lab: all boots recorded; no trace disagrees more than last night ($DIR/latest)" >&2 ;;
    *) echo "nightly-lab: failures (see $DIR/latest/lab.log)" >&2; status=1 ;;
esac
exit "$status"
