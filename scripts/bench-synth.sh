#!/bin/sh
# Times `pinreplay synth` in one run: events straight into a queue (goal >= 5 M events/s), the same
# events as ftrace text to /dev/null (limited by formatting), and peak RSS at N and 10 x N events into
# a queue (constant memory: both should be about the same).
#   scripts/bench-synth.sh [EVENTS]      (default 10000000; queues under $BENCH_DIR, removed afterwards)
#   BASE=DIR scripts/bench-synth.sh      also times the checkout in DIR (another build, e.g. main's) into a
#                                        queue of N events, right after this build's, and prints new/base
# The machine is shared: run it once, not in a loop. Figures go to docs/PERFORMANCE.md, "Synthesizer".
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-10000000}
BENCH_DIR=${BENCH_DIR:-/tmp/pinreplay-bench}
mkdir -p "$BENCH_DIR"
P="$ROOT/pinreplay"
"$P" --version >/dev/null # build once, outside the timings

timed() { # label, command...: prints seconds, rate, peak RSS (MB) and user + system CPU seconds
    label=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/time" "$@"
    set -- $(cat "$BENCH_DIR/time")
    printf '%-38s %8.2f s %8.2f M events/s %7d MB peak RSS   cpu %s + %s s\n' "$label" "$1" \
        "$(echo "$EVENTS / $1 / 1000000" | bc -l)" $(($2 / 1024)) "$3" "$4"
}
echo "cpus: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"

EVENTS=$N
timed "synth mixed --queue ($N)" "$P" synth mixed --events "$N" --queue "$BENCH_DIR/synth-q" --force
NEW_WALL=$(cut -d' ' -f1 "$BENCH_DIR/time")
du -sh "$BENCH_DIR/synth-q" | awk '{print "queue on disk: " $1}'
if [ -n "${BASE:-}" ]; then
    "$BASE/pinreplay" --version >/dev/null
    timed "base: synth mixed --queue ($N)" "$BASE/pinreplay" synth mixed --events "$N" --queue "$BENCH_DIR/base-q" --force
    du -sh "$BENCH_DIR/base-q" | awk '{print "base queue on disk: " $1}'
    rm -rf "$BENCH_DIR/base-q"
    echo "new/base wall: $(echo "$NEW_WALL / $(cut -d' ' -f1 "$BENCH_DIR/time")" | bc -l | cut -c1-5)"
fi
timed "synth mixed > /dev/null, ftrace ($N)" sh -c "\"$P\" synth mixed --events $N > /dev/null"
timed "synth mixed > /dev/null, jsonl ($N)" sh -c "\"$P\" synth mixed --events $N --format jsonl > /dev/null"
EVENTS=$((N * 10))
timed "synth mixed --queue ($EVENTS)" "$P" synth mixed --events "$EVENTS" --queue "$BENCH_DIR/synth-q" --force
rm -rf "$BENCH_DIR/synth-q"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
