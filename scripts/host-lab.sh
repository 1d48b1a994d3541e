#!/bin/bash
# Host lab: records the kernel lab's scenarios on this machine's own running kernel, as root, the way
# scripts/kernel-lab.sh records them in qemu guests, and replays each against this kernel's release.
# For the kernels the lab does not boot (a distribution's, a cloud's, a development tree), including
# one without kprobes: pinreplay record then records the syscalls and tracepoints alone.
#
#   scripts/host-lab.sh [--out DIR] [--only NAME,...] [--fixtures]
#
#   --out DIR      results: DIR/{NAME.txt,NAME-markers.txt,NAME*.log,NAME*.jsonl} and DIR/agreement.tsv
#                  (release, trace, bytes, agree, differ, replay exit); default lab-results/host
#   --only NAMES   only these scenarios (names of lab/scenarios.list)
#   --fixtures     copy each recording whose replay agrees with every recorded result, with its program
#                  log, to traces/real-host/MAJOR.MINOR/
#
# Needs root, gcc and liburing (headers and library), and mkfs for the filesystems the kernel has (ext4,
# xfs, btrfs). For the run it mounts filesystems on loop devices at the scenarios' paths (/mnt/ext4,
# /mnt/slow, /mnt/xfs, /mnt/btrfs, /mnt/dax, /mnt/xdax; tmpfs at /mnt/tmp, hugetlbfs at /mnt/huge) and
# reserves 64 huge pages, and undoes all of it at the end; it refuses when one of those paths is a mount
# point already. Without pmem, /mnt/dax and /mnt/xdax are plain ext4 and xfs: the recordings' mount lines
# say dax=0 and the replay follows them. The scenarios are those of the lab's 'main' boot (the others need
# a kernel command line) but the RDMA ones (rdma-*, memlock-*, fuzz-dev: soft-RoCE in the guest) and attach-* (a
# hand-off only the guest's init does).
# Exit: 0 every recording agrees; 1 a recording disagrees or could not be made; 2 usage or a missing tool.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/lab-results/host
ONLY=
FIXTURES=0
SCENARIO_TIMEOUT=120
MOUNTS=(ext4:ext4 slow:ext4 xfs:xfs btrfs:btrfs dax:ext4 xdax:xfs)

log() { echo "host-lab: $*" >&2; }
die() { log "$*"; exit 2; }
usage() { sed -n '7,14s/^# \{0,1\}//p' "$0" >&2; exit 2; }

while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --fixtures) FIXTURES=1; shift ;;
        -h|--help) usage ;;
        *) log "unknown argument '$1'"; usage ;;
    esac
done
[ "$(id -u)" = 0 ] || die "must run as root (tracefs, mounts, huge pages)"
command -v gcc > /dev/null || die "gcc is missing"
echo 'int main(void){return 0;}' | gcc -x c - -o /dev/null -luring 2> /dev/null || die "liburing is missing (liburing-dev)"
for m in /mnt/ext4 /mnt/slow /mnt/xfs /mnt/btrfs /mnt/dax /mnt/xdax /mnt/tmp /mnt/huge; do
    mountpoint -q "$m" 2> /dev/null && die "$m is a mount point already: unmount it, or run where the lab's paths are free"
done
RELEASE=$(uname -r)
LINE=$(echo "$RELEASE" | sed -n 's/^\([0-9]*\.[0-9]*\).*/\1/p')
WORK=$(mktemp -d /tmp/pinreplay-host-lab.XXXXXX)
MOUNTED=()
HUGE_BEFORE=$(cat /proc/sys/vm/nr_hugepages 2> /dev/null || echo 0)

cleanup() {
    local m
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        m=${MOUNTED[$i]}; umount "$m" 2> /dev/null || umount -l "$m" 2> /dev/null; rmdir "$m" 2> /dev/null
    done
    echo "$HUGE_BEFORE" > /proc/sys/vm/nr_hugepages 2> /dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

mount_at() {   # mount_at DIR ARGS...: mount, remembered for the clean-up
    local dir=$1; shift
    mkdir -p "$dir" && mount "$@" "$dir" && MOUNTED+=("$dir")
}

# the filesystems, each on a 512 MiB sparse image
for spec in "${MOUNTS[@]}"; do
    name=${spec%%:*}; fs=${spec#*:}
    grep -qw "$fs" /proc/filesystems || modprobe "$fs" 2> /dev/null
    if ! grep -qw "$fs" /proc/filesystems || ! command -v "mkfs.$fs" > /dev/null; then
        log "no $fs here: /mnt/$name stays absent (the scenarios record the failure)"
        continue
    fi
    truncate -s 512M "$WORK/$name.img"
    case $fs in ext4) mkfs.ext4 -q -F "$WORK/$name.img" ;; xfs) mkfs.xfs -q -f "$WORK/$name.img" ;;
        btrfs) mkfs.btrfs -q -f "$WORK/$name.img" > /dev/null ;; esac || die "mkfs.$fs failed"
    mount_at "/mnt/$name" -o loop "$WORK/$name.img" || die "cannot mount /mnt/$name"
done
mount_at /mnt/tmp -t tmpfs -o size=256m tmpfs || die "cannot mount /mnt/tmp"
[ "$HUGE_BEFORE" -ge 64 ] || echo 64 > /proc/sys/vm/nr_hugepages 2> /dev/null
mount_at /mnt/huge -t hugetlbfs -o pagesize=2M nodev || log "no hugetlbfs here: /mnt/huge stays absent"

# the programs, built as the lab builds them (dynamic: this machine runs them)
mkdir -p "$WORK/bin" "$OUT" || die "cannot create $OUT"
for src in "$ROOT"/lab/scenarios/*.c; do
    case $src in */rdma-*|*/memlock-*|*/fuzz-dev*) continue ;; esac
    gcc -O2 -Wall -Wextra -Werror -o "$WORK/bin/$(basename "$src" .c)" "$src" -luring -lpthread 2> "$WORK/gcc.err" ||
        { cat "$WORK/gcc.err" >&2; die "cannot build $src"; }
done

JAR=$ROOT/cli/target/pinreplay.jar
"$ROOT/pinreplay" --version > /dev/null || die "cannot build pinreplay"
printf 'release\ttrace\tbytes\tagree\tdiffer\treplay exit\n' > "$OUT/agreement.tsv"
status=0
while read -r name prog args; do
    case $prog in rdma-*|memlock-*|fuzz-dev|attach-*) continue ;; esac
    for m in "" -m; do
        out=$name${m:+-markers}
        # shellcheck disable=SC2086
        (cd / && "$ROOT/pinreplay" record -o "$OUT/$out.txt" -- timeout -s KILL "$SCENARIO_TIMEOUT" \
            "$WORK/bin/$prog" $m $args > "$OUT/$out.log" 2> "$OUT/$out.record.log")
        if [ ! -s "$OUT/$out.txt" ]; then
            log "$out: no recording ($(tail -1 "$OUT/$out.record.log"))"; status=1; continue
        fi
        java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$JAR" replay --format jsonl "$OUT/$out.txt" \
            > "$OUT/$out.jsonl" 2> "$OUT/$out.replay.log"
        code=$?
        agree=$(grep -c '"agrees":true' "$OUT/$out.jsonl"); differ=$(grep -c '"agrees":false' "$OUT/$out.jsonl")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$RELEASE" "$out" "$(stat -c %s "$OUT/$out.txt")" "$agree" "$differ" "$code" \
            >> "$OUT/agreement.tsv"
        log "$out: $agree agree, $differ differ (replay exit $code)"
        if [ "$differ" != 0 ] || [ "$code" -gt 1 ]; then
            status=1
        elif [ "$FIXTURES" = 1 ]; then
            mkdir -p "$ROOT/traces/real-host/$LINE" &&
                cp "$OUT/$out.txt" "$OUT/$out.log" "$ROOT/traces/real-host/$LINE/"
        fi
    done
done < <(awk -v only=",$ONLY," '$1 == "main" && (only == ",," || index(only, "," $2 ",")) {
    $1 = ""; sub(/^ /, ""); print }' "$ROOT/lab/scenarios.list")
awk -F'\t' 'NR > 1 { a += $4; d += $5; n++ } END { printf "host-lab: %d recordings, %d results agree, %d differ\n", n, a, d }' \
    "$OUT/agreement.tsv" >&2
exit $status
