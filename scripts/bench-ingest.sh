#!/bin/sh
# Times `pinreplay ingest` against mawk and wc on the same deterministic trace, in one run, and
# prints the ratios (goal: ingest/mawk <= 1.0), ingest's peak RSS and the queue's size on disk.
#   scripts/bench-ingest.sh [LINES]      (default 10000000; work files under $BENCH_DIR)
#   BREAKDOWN=1 scripts/bench-ingest.sh  also times the parser alone (1 and 2 parsing threads) and with the
#                                        queue appended on the parsing thread or a writer thread
#                                        (IngestBreakdown, test sources)
#   BASE=DIR scripts/bench-ingest.sh     also times the checkout in DIR (another build, e.g. main's) on the
#                                        same trace in the same run, and prints new/base ratios
#   rm -rf $BENCH_DIR                    when done: the trace is kept for the next run
# The machine is shared: run it once, not in a loop. Figures go to docs/PERFORMANCE.md, "Ingest".
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
LINES=${1:-10000000}
BENCH_DIR=${BENCH_DIR:-/tmp/pinreplay-bench}
TRACE="$BENCH_DIR/trace-$LINES.txt"
QUEUE="$BENCH_DIR/queue"
mkdir -p "$BENCH_DIR"

# A qemu/vfio guest pinning and doing DMA, an fio job pinning with pin_user_pages_fast, and the
# mmap_lock, writeback and page-cache tracepoints around them. Deterministic: no rand(), the line
# number picks the event. (mawk prints %x in 32 bits, so 64-bit addresses are a fixed prefix + %08x.)
generate() {
    mawk -v n="$LINES" '
    # the line prefix exactly as kernel/trace/trace_output.c prints it, so cat prints the same text
    function ctx(task, pid, flags) {
        return sprintf("%16s-%-7d [%03d] %s %5d.%06d: ", task, pid, i % 4, flags, 100 + int(i / 1000000), i % 1000000)
    }
    BEGIN {
        print "# tracer: nop"
        print "#"
        print "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION"
        print "#              | |         |   |||||     |         |"
        lock = "mm=000000006515cb1f memcg_path=/user.slice/user-0.slice/session-2.scope write=false"
        for (i = 0; i < n - 4; i++) {
            k = i % 20; h = int(i / 20) % 64
            if (k == 0)
                printf "%svfio_dma_map: handle=vfio%d vaddr=0x7f00%08x iova=0x%x size=0x200000 prot=rw\n", ctx("qemu-kvm", 4242, "....."), h, h * 2097152, h * 2097152
            else if (k == 1 || k == 2)
                printf "%sdma_write: handle=vfio%d iova=0x%x len=4096\n", ctx("qemu-kvm", 4242, "....."), h, h * 2097152 + (i % 512) * 4096
            else if (k == 3)
                printf "%svfio_dma_unmap: handle=vfio%d iova=0x%x size=0x200000\n", ctx("qemu-kvm", 4242, "....."), h, h * 2097152
            else if (k == 4)
                printf "%spin_user_pages_fast: start=0x7e00%08x nr_pages=16 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p%d ret=16\n", ctx("fio", 5150, "....."), (i % 4096) * 65536, h
            else if (k == 5)
                printf "%sdma_read: handle=p%d offset=0x0 len=65536\n", ctx("fio", 5150, "....."), h
            else if (k == 6)
                printf "%sunpin_user_pages: handle=p%d dirty=1\n", ctx("fio", 5150, "....."), h
            else if (k == 7 || k == 10 || k == 13)
                printf "%smmap_lock_start_locking: %s\n", ctx("qemu-kvm", 4242, "...1."), lock
            else if (k == 8 || k == 11 || k == 14)
                printf "%smmap_lock_acquire_returned: %s success=true\n", ctx("qemu-kvm", 4242, "...1."), lock
            else if (k == 9 || k == 12 || k == 15)
                printf "%smmap_lock_released: %s\n", ctx("qemu-kvm", 4242, "...1."), lock
            else if (k == 16 || k == 17)
                printf "%swriteback_dirty_folio: bdi 259:0: ino=1835023 index=%d\n", ctx("dd", 2291, "....."), i % 100000
            else
                printf "%smm_filemap_add_to_page_cache: dev 253:3 ino 13f730 pfn=0x%x ofs=%d order=0\n", ctx("less", 901, "....."), 1100000 + i % 100000, (i % 100000) * 4096
        }
    }' > "$TRACE.tmp" && mv "$TRACE.tmp" "$TRACE"
}

[ -f "$TRACE" ] || { echo "generating $TRACE ..." >&2; generate; }
"$ROOT/pinreplay" --version >/dev/null   # builds the jar if needed and records the class-data archive
"$ROOT/pinreplay" --version >/dev/null
if [ -n "${BASE:-}" ]; then "$BASE/pinreplay" --version >/dev/null; "$BASE/pinreplay" --version >/dev/null; fi
cat "$TRACE" >/dev/null                  # every tool reads from the page cache

# wall seconds, peak RSS (KiB), user and system CPU seconds of a command, its output discarded
measure() {
    /usr/bin/time -f "%e %M %U %S" -o "$BENCH_DIR/time.txt" "$@" >/dev/null
    cat "$BENCH_DIR/time.txt"
}
echo "cpus: $(nproc); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
set -- $(measure wc -l "$TRACE");                         WC=$1
set -- $(measure mawk '{print $5}' "$TRACE");             MAWK=$1; MAWK_CPU="$3 + $4"
# one parsing thread (the parser on the main thread, the queue appended on a writer thread) ...
set -- $(measure "$ROOT/pinreplay" ingest "$TRACE" --queue "$QUEUE" --force --threads 1)
SERIAL=$1; SERIAL_RSS=$2; SERIAL_CPU="$3 + $4"
SERIAL_SUM=$(cksum < "$(ls "$QUEUE"/*.cq4 | head -n 1)")
SERIAL_ALLOCATED=$(du -s --block-size=1 "$QUEUE" | cut -f1)
if [ -n "${BASE:-}" ]; then   # the other build, right after, on the same trace
    set -- $(measure "$BASE/pinreplay" ingest "$TRACE" --queue "$BENCH_DIR/base-queue" --force --threads 1)
    B_SERIAL=$1; B_RSS=$2; B_CPU="$3 + $4"
    B_ALLOCATED=$(du -s --block-size=1 "$BENCH_DIR/base-queue" | cut -f1)
    rm -rf "$BENCH_DIR/base-queue"
fi
# ... and two parsing threads (the default is one per CPU but one), same queue bytes
set -- $(measure "$ROOT/pinreplay" ingest "$TRACE" --queue "$QUEUE" --force --threads 2)
INGEST=$1; RSS=$2; INGEST_CPU="$3 + $4"
[ "$SERIAL_SUM" = "$(cksum < "$(ls "$QUEUE"/*.cq4 | head -n 1)")" ] && SAME=yes || SAME=NO
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

BYTES=$(wc -c < "$TRACE")
APPARENT=$(du -s --apparent-size --block-size=1 "$QUEUE" | cut -f1)
ALLOCATED=$(du -s --block-size=1 "$QUEUE" | cut -f1)
rm -rf "$QUEUE"
# What filling the page cache with that many bytes costs this machine on its own (the queue's floor:
# on a VM, fresh pages can cost several times more than recycled ones).
set -- $(measure dd if=/dev/zero of="$BENCH_DIR/dd.tmp" bs=1M count=$((ALLOCATED / 1048576)) status=none)
DD="$1 s wall, $3 + $4 s cpu"
rm -f "$BENCH_DIR/dd.tmp"
echo "page cache reference: dd of the queue's size: $DD"
mawk -v lines="$LINES" -v bytes="$BYTES" -v wc="$WC" -v mawk="$MAWK" -v ingest="$INGEST" -v rss="$RSS" \
     -v serial="$SERIAL" -v srss="$SERIAL_RSS" -v same="$SAME" -v mcpu="$MAWK_CPU" -v scpu="$SERIAL_CPU" \
     -v icpu="$INGEST_CPU" -v apparent="$APPARENT" -v allocated="$ALLOCATED" 'BEGIN {
    printf "trace: %d lines, %.1f MB\n", lines, bytes / 1e6
    printf "%-34s %8s %12s %10s   %s\n", "command", "seconds", "Mlines/s", "MB/s", "user + sys s"
    printf "%-34s %8.2f %12.2f %10.0f\n", "wc -l", wc, lines / wc / 1e6, bytes / wc / 1e6
    printf "%-34s %8.2f %12.2f %10.0f   %s\n", "mawk {print $5}", mawk, lines / mawk / 1e6, bytes / mawk / 1e6, mcpu
    printf "%-34s %8.2f %12.2f %10.0f   %s\n", "pinreplay ingest --threads 1", serial, lines / serial / 1e6, bytes / serial / 1e6, scpu
    printf "%-34s %8.2f %12.2f %10.0f   %s\n", "pinreplay ingest --threads 2", ingest, lines / ingest / 1e6, bytes / ingest / 1e6, icpu
    printf "ratios (goal <= 1.0): ingest --threads 1/mawk %.2f, --threads 2/mawk %.2f; ingest/wc %.2f\n", serial / mawk, ingest / mawk, serial / wc
    printf "same queue bytes with 1 and 2 threads: %s\n", same
    printf "ingest peak RSS: %.0f MB with 1 thread, %.0f MB with 2\n", srss / 1024, rss / 1024
    printf "queue on disk: %.1f MB allocated (%.1f MB apparent), %.1f bytes per line\n", allocated / 1e6, apparent / 1e6, allocated / lines
}'
if [ -n "${BASE:-}" ]; then
    mawk -v lines="$LINES" -v mawk="$MAWK" -v new="$SERIAL" -v base="$B_SERIAL" -v cpu="$B_CPU" -v rss="$B_RSS" \
         -v nq="$SERIAL_ALLOCATED" -v bq="$B_ALLOCATED" -v dir="$BASE" 'BEGIN {
    printf "base %s: ingest --threads 1 %.2f s (%s s cpu, %.0f MB peak RSS), ratio to mawk %.2f\n", dir, base, cpu, rss / 1024, base / mawk
    printf "new/base: wall %.2f; queue %.1f / %.1f MB allocated, %.1f / %.1f bytes per line\n", new / base, nq / 1e6, bq / 1e6, nq / lines, bq / lines
    }'
fi

if [ "${BREAKDOWN:-0}" = 1 ]; then
    (cd "$ROOT" && mvn -B -q -ntp -o test-compile -pl trace-format)
    CQ="--add-exports=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED"
    CQ="$CQ --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED"
    for RUN in "none 1" "none 2" "sync 1" "async 1" "async 2"; do
        # shellcheck disable=SC2086
        /usr/bin/time -f "       wall %e s, user %U s, sys %S s" java $CQ -XX:+UseSerialGC \
            -cp "$ROOT/cli/target/pinreplay.jar:$ROOT/trace-format/target/test-classes" \
            pinreplay.format.queue.IngestBreakdown "$TRACE" "${RUN% *}" "$BENCH_DIR/breakdown-queue" "${RUN#* }"
    done
    rm -rf "$BENCH_DIR/breakdown-queue"
fi
