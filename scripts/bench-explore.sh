#!/bin/sh
# explore benchmark, run once (the machine is shared): orders replayed per second, and what the sleep-set pruning
# saves (orders explored with and without it, and whether the same outcome classes are found), on the scenario
# traces of traces/explore/, their concatenations (independent tasks side by side) and a synthesized dax-truncate
# workload. Figures go to docs/PERFORMANCE.md, "Explore".
#   scripts/bench-explore.sh [MAX_ORDERS]      (default 200000 per run; --max-seconds 120)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
MAX=${1:-200000}
cd "$ROOT"
W=${BENCH_DIR:-/tmp/pinreplay-bench}/explore
mkdir -p "$W"
E=traces/explore
# side by side: the second trace's tasks are independent of the first's except where they share a filesystem
cat $E/dax-dio-truncate.txt > "$W/dax+vfio.txt"; grep -v '^#' $E/vfio-bar-unmap.txt >> "$W/dax+vfio.txt"
cat $E/memfile-writeback.txt > "$W/memfile+vfio.txt"; grep -v '^#' $E/vfio-bar-unmap.txt >> "$W/memfile+vfio.txt"
cat "$W/dax+vfio.txt" > "$W/all3.txt"; grep -v '^#' $E/memfile-writeback.txt >> "$W/all3.txt"
./pinreplay synth dax-truncate --seed 1 --events 400 -o "$W/synth.txt" && head -n 140 "$W/synth.txt" > "$W/synth-dax-truncate.txt"
run() { # TRACE KERNEL [OPTIONS]
    t=$1; k=$2; shift 2
    printf '%-28s %-5s %-11s ' "$(basename "$t")" "$k" "${1:-prune}"
    ./pinreplay explore "$t" --kernel "$k" --out "$W/out" --max-orders "$MAX" --max-seconds 120 "$@" \
        2>&1 | awk '/^orders:/ { sub(/^orders: /, ""); printf "%s; ", $0 } /^pinreplay explore: [0-9]+ order\(s\) in / { printf "%s s; ", $(NF - 1) }
            /^outcome [0-9]+:/ { n++ } END { print n + 0 " non-recorded outcome(s)" }'
}
for t in $E/dax-dio-truncate.txt $E/vfio-bar-unmap.txt $E/memfile-writeback.txt "$W/dax+vfio.txt" \
        "$W/memfile+vfio.txt" "$W/all3.txt" "$W/synth-dax-truncate.txt"; do
    k=6.1
    case $t in *vfio-bar-unmap*) k=6.15;; *synth*) k=4.14;; esac
    run "$t" "$k"
    run "$t" "$k" --no-prune
done
