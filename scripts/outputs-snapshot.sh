#!/bin/sh
# Writes every output a change must not alter into DIR: each committed trace replayed on each release
# (jsonl outcomes, text report, hgrm), each synthesized scenario, an injected and a swept replay, and
# the nightly campaign's records. Compare two builds with
#   scripts/outputs-snapshot.sh /tmp/before   # on the old commit
#   scripts/outputs-snapshot.sh /tmp/after    # on the new one
#   diff -r /tmp/before /tmp/after
# Campaign files that carry wall-clock time are left out.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:?usage: outputs-snapshot.sh DIR}
P="$ROOT/pinreplay"
RELEASES="4.14 5.10 6.1 6.5 6.12 7.2"
rm -rf "$OUT"
mkdir -p "$OUT/traces" "$OUT/synth"

# Each committed trace: lab recordings on their own release, the others on every release.
find "$ROOT/traces" -name '*.txt' | sort | while read -r t; do
    name=$(echo "${t#"$ROOT"/traces/}" | tr / _)
    case $t in
        */real/*) kernels=default ;;
        *) kernels=$RELEASES ;;
    esac
    for k in $kernels; do
        if [ "$k" = default ]; then set --; else set -- --kernel "$k"; fi
        o="$OUT/traces/$name.$k"
        "$P" replay "$@" --format jsonl "$t" >"$o.jsonl" 2>"$o.err" || echo "exit $?" >>"$o.err"
        "$P" replay "$@" --hgrm "$o.hgrm" "$t" >"$o.txt" 2>/dev/null || true
    done
done

# Each scenario, synthesized and replayed on two releases.
for s in $("$P" synth --list | grep -E '^[a-z]'); do
    "$P" synth --seed 7 --events 3000 "$s" >"$OUT/synth/$s.trace"
    for k in 6.1 7.2; do
        "$P" replay --kernel "$k" --format jsonl "$OUT/synth/$s.trace" >"$OUT/synth/$s.$k.jsonl" 2>&1 || true
    done
done

# Injection and sweep.
"$P" replay --kernel 6.1 --inject mmap-unlock:race=munmap,fail-nth=1 --format jsonl \
    "$ROOT/traces/qemu-vfio-fsdax.txt" >"$OUT/inject.jsonl" 2>&1 || true
"$P" replay --kernel 6.1 --sweep eagain --format jsonl \
    "$ROOT/traces/inject/memfile-ext4-pinned.txt" >"$OUT/sweep.jsonl" 2>&1 || true

# The nightly campaign (its records, not its timings).
"$P" campaign --jobs 2 --keep all --out "$OUT/campaign" "$ROOT/traces/nightly.yaml" >/dev/null 2>&1 || true
find "$OUT/campaign" -name '*.gz' -exec gunzip -f {} +
rm -f "$OUT/campaign/report.html" "$OUT/campaign/junit.xml"
