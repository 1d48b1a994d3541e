#!/bin/sh
# Replay benchmark, run once (the machine is shared): a mixed synthesized trace replayed from memory
# blocks (events/s, per-event HdrHistogram percentiles, bytes allocated per event), then a vfio map of
# 1 TiB plus a million DMA writes under a 256 MiB heap, then replay from a queue next to a plain read of
# the same queue (QueueReplayBench), then the mixed trace with injectors configured but never firing next
# to none (InjectBench). Figures go to docs/PERFORMANCE.md, "Replay" and "Injectors".
#   scripts/bench-replay.sh [EVENTS]      (default 10000000)
#   scripts/bench-replay.sh --injectors [EVENTS]   (only the injector comparison; default 6000000 per setting)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ONLY_INJECTORS=0
if [ "${1:-}" = "--injectors" ]; then ONLY_INJECTORS=1; shift; fi
N=${1:-10000000}
cd "$ROOT"
mvn -B -q -ntp -o package -DskipTests >/dev/null
mvn -B -q -ntp -o test-compile -pl injectors -am >/dev/null
CP="$ROOT/cli/target/pinreplay.jar:$ROOT/replayer/target/test-classes:$ROOT/injectors/target/test-classes"
injectors() {
    echo "== injectors configured but never firing vs none, ${1} events each, interleaved (java -Xmx2g)"
    java -Xmx2g -XX:+UseParallelGC -cp "$CP" pinreplay.inject.bench.InjectBench "$1"
}
if [ "$ONLY_INJECTORS" = 1 ]; then injectors "${1:-6000000}"; exit 0; fi
echo "== mixed, $N events (java -Xmx2g)"
java -Xmx2g -XX:+UseParallelGC -cp "$CP" pinreplay.replay.bench.ReplayBench mixed "$N"
echo "== vfio 1 TiB + 1M DMA writes (java -Xmx256m)"
/usr/bin/time -f "wall %e s, peak RSS %M KB" java -Xmx256m -cp "$CP" pinreplay.replay.bench.ReplayBench vfio1t
echo "== replay from a queue next to a plain read of it (mixed, $N events)"
Q=${BENCH_DIR:-/tmp/pinreplay-bench}/replay-queue
CHRONICLE_FLAGS="--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
 --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED
 --add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
 -Dchronicle.analytics.disable=true -Dchronicle.announcer.disable=true"
if [ "$(cat "$Q.events" 2>/dev/null)" != "$N" ]; then
    mkdir -p "$(dirname "$Q")"
    ./pinreplay synth mixed --seed 42 --events "$N" --queue "$Q" --force && echo "$N" > "$Q.events"
fi
# shellcheck disable=SC2086
java -Xmx2g -XX:+UseParallelGC $CHRONICLE_FLAGS -cp "$CP" pinreplay.replay.bench.QueueReplayBench "$Q" 5
injectors 6000000
