#!/bin/sh
# Runs the bundled nightly campaign (traces/nightly.yaml) and compares it with the previous night's:
# exits non-zero when a cell fails that did not fail last night (on the first night: when any cell
# fails). Results: $NIGHTLY_DIR/latest (report.html, junit.xml, results.tap, summary.json, cells/,
# repro/); the night before is kept in $NIGHTLY_DIR/previous as the baseline.
#   NIGHTLY_DIR  results directory (default: nightly-results in the repository)
#   JOBS         cells replayed in parallel (default: the number of CPUs)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DIR=${NIGHTLY_DIR:-$ROOT/nightly-results}
mkdir -p "$DIR"

set -- "$ROOT/traces/nightly.yaml" --out "$DIR/latest"
if [ -n "${JOBS:-}" ]; then
    set -- "$@" --jobs "$JOBS"
fi
if [ -f "$DIR/latest/summary.json" ]; then
    rm -rf "$DIR/previous"
    mv "$DIR/latest" "$DIR/previous"
    set -- "$@" --baseline "$DIR/previous"
fi

status=0
"$ROOT/pinreplay" campaign "$@" || status=$?
case $status in
    0) echo "nightly: no new failures; report: $DIR/latest/report.html" >&2 ;;
    1) echo "nightly: new failures; report: $DIR/latest/report.html" >&2 ;;
    *) echo "nightly: the campaign could not run (exit $status)" >&2 ;;
esac
exit "$status"
