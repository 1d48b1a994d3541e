#!/bin/bash
# Kernel lab: boots real Debian kernels under qemu (TCG), records the scenario programs of lab/ with
# the pin probes and tracepoints, brings the traces back and replays each against the release's
# profile, printing agreement per scenario. Nothing is installed on the host: the kernel package
# is fetched with a private apt configuration into the cache and unpacked there.
#
#   scripts/kernel-lab.sh [--out DIR] [--only NAME,...] [--no-replay] [--fixtures] [--tracecmd] RELEASE... | all
#
# RELEASE: 5.10 (bullseye), 6.1 (bookworm), 6.12 (trixie), 7.2 (sid): the suite's linux-image-amd64.
#   --out DIR      results: DIR/RELEASE/{NAME.txt,NAME-markers.txt,NAME*.log,NAME*.jsonl,console.log,...}
#                  and DIR/agreement.tsv (release, trace, bytes, agree, differ, replay exit)
#                  (default $PINREPLAY_LAB_OUT, else lab-results/ in the repository)
#   --only NAMES   only these scenarios (names of lab/scenarios.list); the release's other results
#                  from an earlier run are kept
#   --no-replay    record only
#   --fixtures     also copy each release's traces and program logs to traces/real/RELEASE/ (those
#                  whose replay agrees with every recorded result) or traces/real-pending/RELEASE/
#   --tracecmd     record each scenario (raw, no markers) with `trace-cmd record` beside the recorder instead,
#                  in the same run (same events, probes, filters, clock, buffer): NAME-tracecmd.txt is the host's
#                  `trace-cmd report` of its trace.dat (-l, -t: NAME-tracecmd-l.txt, NAME-tracecmd-t.txt),
#                  NAME-tracecmd-ftrace.txt the recorder's text of that run; the host needs trace-cmd
# Environment:
#   PINREPLAY_LAB_CACHE    downloads, unpacked kernels, disk images (default ~/.cache/pinreplay-lab)
#   PINREPLAY_LAB_BUILD    each release's guest build directory, emptied per run (default CACHE/build): two
#                          runs at once need one each; the kernels and symbols of the cache are shared
#   PINREPLAY_LAB_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   PINREPLAY_LAB_TIMEOUT  seconds one boot may take in the guest before it powers off (default 2400)
# Exit: 0 every boot produced its traces; 1 a boot failed (its console tail is printed); 2 usage or
# a missing tool or package.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE=${PINREPLAY_LAB_CACHE:-$HOME/.cache/pinreplay-lab}
MIRROR=${PINREPLAY_LAB_MIRROR:-http://deb.debian.org/debian}
GUEST_TIMEOUT=${PINREPLAY_LAB_TIMEOUT:-2400}
SCENARIO_TIMEOUT=120
OUT=${PINREPLAY_LAB_OUT:-$ROOT/lab-results}
BUILD=${PINREPLAY_LAB_BUILD:-$CACHE/build}
ONLY=
REPLAY=1
FIXTURES=0
TRACECMD=0

log() { echo "kernel-lab: $*" >&2; }
die() { log "$*"; exit 2; }

usage() { sed -n '6,23s/^# \{0,1\}//p' "$0" >&2; exit 2; }
RELEASES=()
while [ $# -gt 0 ]; do
    case $1 in
        --out) OUT=$2; shift 2 ;;
        --only) ONLY=$2; shift 2 ;;
        --no-replay) REPLAY=0; shift ;;
        --fixtures) FIXTURES=1; shift ;;
        --tracecmd) TRACECMD=1; shift ;;
        all) RELEASES+=(5.10 6.1 6.12 7.2); shift ;;
        5.10|6.1|6.12|7.2) RELEASES+=("$1"); shift ;;
        -h|--help) usage ;;
        *) log "unknown argument '$1' (releases: 5.10 6.1 6.12 7.2 all)"; usage ;;
    esac
done
[ ${#RELEASES[@]} -gt 0 ] || usage
[ "$FIXTURES" = 1 ] && [ "$REPLAY" = 0 ] && die "--fixtures needs the replay (drop --no-replay)"
mkdir -p "$OUT" || die "cannot create $OUT"
OUT=$(cd "$OUT" && pwd)

suite_of() {
    case $1 in 5.10) echo bullseye ;; 6.1) echo bookworm ;; 6.12) echo trixie ;; 7.2) echo sid ;; esac
}

# ---- host tools ----------------------------------------------------------------------------------
check_tools() {
    local missing=() pkgs=() t
    for t in qemu-system-x86_64:qemu-system-x86 busybox:busybox-static gcc:gcc cpio:cpio zstd:zstd \
             xz:xz-utils gzip:gzip tar:tar mkfs.ext4:e2fsprogs debugfs:e2fsprogs apt-get:apt dpkg-deb:dpkg \
             mkfs.xfs:xfsprogs mkfs.btrfs:btrfs-progs timeout:coreutils; do
        command -v "${t%%:*}" >/dev/null 2>&1 || { missing+=("${t%%:*}"); pkgs+=("${t#*:}"); }
    done
    if command -v busybox >/dev/null 2>&1 && [[ $(LC_ALL=C ldd "$(command -v busybox)" 2>&1) != *"not a dynamic"* ]]; then
        missing+=("a static busybox"); pkgs+=(busybox-static)
    fi
    if ! echo 'int main(void){return 0;}' | gcc -static -x c - -o /dev/null -luring 2>/dev/null; then
        missing+=("liburing.a (static io_uring library)"); pkgs+=(liburing-dev)
    fi
    if [ "$TRACECMD" = 1 ] && ! command -v trace-cmd >/dev/null 2>&1; then
        missing+=(trace-cmd); pkgs+=(trace-cmd)
    fi
    if [ "$REPLAY" = 1 ] && ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
        missing+=("java (17 or newer, for the replay; or use --no-replay)"); pkgs+=(openjdk-17-jre-headless)
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        log "missing: ${missing[*]}"
        die "install with: apt-get install $(printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' ')"
    fi
}

# ---- kernel package ------------------------------------------------------------------------------
apt_opts() {
    local c=$CACHE/apt/$1
    echo "-o Dir::Etc::SourceList=$c/sources.list -o Dir::Etc::SourceParts=/dev/null" \
         "-o Dir::State::Lists=$c/lists -o Dir::Cache=$c -o Dir::State::status=/dev/null" \
         "-o APT::Architecture=amd64 -o APT::Sandbox::User=root -o Debug::NoLocking=1"
}

apt_lists() {   # apt_lists SUITE: the suite's private package lists, refreshed once a day
    local c=$CACHE/apt/$1
    mkdir -p "$c/lists/partial" "$c/archives/partial" "$CACHE/deb" || die "cannot write the cache $CACHE"
    echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $MIRROR $1 main" > "$c/sources.list"
    # shellcheck disable=SC2046
    if [ -z "$(find "$c/lists" -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null)" ]; then
        log "apt-get update ($1, private lists in $c)"
        apt-get $(apt_opts "$1") -qq update >"$c/update.log" 2>&1 ||
            { cat "$c/update.log" >&2; die "apt-get update of $1 failed (mirror $MIRROR)"; }
    fi
}

# fetch_kernel RELEASE: sets KDIR (unpacked packages), KMOD (their modules directory), KVER (uname -r),
# VMLINUZ, KPKG (name_version), SYMS (the kernel's symbols with the lab's modules loaded)
fetch_kernel() {
    local suite opts meta pkg ver deb parts part
    suite=$(suite_of "$1")
    apt_lists "$suite"
    opts=$(apt_opts "$suite")
    # shellcheck disable=SC2086
    meta=$(apt-cache $opts show linux-image-amd64 2>/dev/null | awk '/^$/{exit} {print}')
    pkg=$(echo "$meta" | sed -n 's/^Depends: //p' | tr ',' '\n' | sed -n 's/^ *\(linux-image-[^ ]*-amd64\) .*/\1/p' | head -n 1)
    [ -n "$pkg" ] || die "[$1] no linux-image-amd64 in $suite (mirror $MIRROR)"
    # shellcheck disable=SC2086
    ver=$(apt-cache $opts show "$pkg" 2>/dev/null | sed -n 's/^Version: //p' | head -n 1)
    # From 7.x on, the image is split: its linux-binary-, linux-modules- and linux-base- packages of
    # the same ABI (exactly this version) hold vmlinuz, the modules and System.map.
    # shellcheck disable=SC2086
    parts="$pkg $(apt-cache $opts show "$pkg=$ver" 2>/dev/null | sed -n 's/^Depends: //p' | tr ',' '\n' |
        sed -n "s/^ *\(linux-[a-z]*-${pkg#linux-image-}\) (= .*/\1/p" | sort -u | tr '\n' ' ')"
    KPKG="${pkg}_$ver"
    KDIR=$CACHE/kernel/$KPKG
    if [ ! -f "$KDIR/.unpacked" ]; then
        rm -rf "$KDIR"; mkdir -p "$KDIR"
        for part in $parts; do
            deb=$(ls "$CACHE/deb/${part}_${ver//:/%3a}_amd64.deb" 2>/dev/null)
            if [ -z "$deb" ]; then
                log "[$1] downloading $part $ver"
                # shellcheck disable=SC2086
                (cd "$CACHE/deb" && apt-get $opts -qq download "$part=$ver") >&2 ||
                    die "[$1] apt-get download $part=$ver failed"
                deb=$(ls "$CACHE/deb/${part}_"*"_amd64.deb" | grep -F "_${ver//:/%3a}_" | head -n 1)
            fi
            dpkg-deb -x "$deb" "$KDIR" || die "[$1] cannot unpack $deb"
        done
        touch "$KDIR/.unpacked"
    else
        log "[$1] $parts$ver (cached)"
    fi
    KMOD=$KDIR/lib/modules   # usr/lib/modules in merged-/usr packages (trixie and later)
    [ -d "$KMOD" ] || KMOD=$KDIR/usr/lib/modules
    KVER=$(ls "$KMOD" 2>/dev/null | head -n 1)
    [ -n "$KVER" ] || die "[$1] no lib/modules/ in $parts"
    VMLINUZ=$KDIR/boot/vmlinuz-$KVER   # MODULES/vmlinuz in the split packages of 7.x
    [ -f "$VMLINUZ" ] || VMLINUZ=$KMOD/$KVER/vmlinuz
    [ -f "$VMLINUZ" ] || die "[$1] no vmlinuz in $parts"
    # module symbols are in /proc/kallsyms only once loaded: one symbols boot per set of modules
    SYMS=$KDIR/symbols-$(echo "$MODULES" | cksum | cut -d' ' -f1)
}

# fetch_verbs: VERBS, rdma-core's libibverbs with the rxe provider as static libraries (libibverbs-dev,
# from the host's Debian suite so that they link with its glibc), unpacked into the cache
VERBS_PKGS="libibverbs-dev ibverbs-providers libibverbs1 libnl-3-dev libnl-route-3-dev libnl-3-200 libnl-route-3-200"
fetch_verbs() {
    local suite p deb
    suite=$(. /etc/os-release 2>/dev/null; echo "${VERSION_CODENAME:-}")
    case $suite in bullseye|bookworm|trixie|sid) ;; *) suite=bookworm ;; esac
    VERBS=$CACHE/verbs/$suite
    [ -f "$VERBS/.unpacked" ] && return
    apt_lists "$suite"
    rm -rf "$VERBS"; mkdir -p "$VERBS"
    for p in $VERBS_PKGS; do
        log "downloading $p ($suite)"
        # shellcheck disable=SC2046
        (cd "$CACHE/deb" && apt-get $(apt_opts "$suite") -qq download "$p") >&2 || die "apt-get download $p failed"
        deb=$(ls -t "$CACHE/deb/${p}_"*_amd64.deb | head -n 1)
        dpkg-deb -x "$deb" "$VERBS" || die "cannot unpack $deb"
    done
    touch "$VERBS/.unpacked"
}

# ---- modules -------------------------------------------------------------------------------------
# Wanted by name (either spelling of - and _); absent ones are built in or not needed by that release.
MODULES="libnvdimm nd_pmem nd_e820 dax_pmem virtio virtio_ring virtio_pci_modern_dev virtio_pci_legacy_dev
virtio_pci virtio_blk crc16 crc32c_generic libcrc32c mbcache jbd2 ext4 vfio vfio_iommu_type1 vfio_pci
virtio_net crc32_generic ib_core ib_uverbs rdma_rxe xfs btrfs"

modinfo_field() {   # modinfo_field FILE FIELD: a .modinfo field of a (possibly compressed) module
    case $1 in
        *.xz) xz -dc "$1" ;; *.zst) zstd -qdc "$1" ;; *.gz) gzip -dc "$1" ;; *) cat "$1" ;;
    esac | tr '\0' '\n' | sed -n "s/^$2=//p" | head -n 1
}

# modules_into DIR: the wanted modules and their dependencies, uncompressed, with DIR/order (load order)
modules_into() {
    local dir=$1 mdir=$KMOD/$KVER index name done_list=" " order=()
    index=$(find "$mdir/kernel" -name '*.ko*' | awk -F/ '{n=$NF; sub(/\.ko.*/, "", n); gsub(/-/, "_", n); print n, $0}')
    add() {   # depth-first: dependencies before the module
        local n=${1//-/_} f deps d
        case $done_list in *" $n "*) return ;; esac
        done_list="$done_list$n "
        f=$(echo "$index" | awk -v n="$n" '$1 == n {print $2; exit}')
        [ -n "$f" ] || return 0
        deps=$(modinfo_field "$f" depends)
        for d in ${deps//,/ }; do add "$d"; done
        case $f in
            *.xz) xz -dc "$f" ;; *.zst) zstd -qdc "$f" ;; *.gz) gzip -dc "$f" ;; *) cat "$f" ;;
        esac > "$dir/$n.ko"
        order+=("$n")
    }
    for name in $MODULES; do add "$name"; done
    printf '%s\n' "${order[@]}" > "$dir/order"
}

# ---- images --------------------------------------------------------------------------------------
mkfs_ext4() {   # mkfs_ext4 IMAGE SIZE [DIR]: ext4 that every kernel here mounts (no orphan_file), DIR's files in it
    local feat=
    mkfs.ext4 -q -F -O ^orphan_file "$1" 8M >/dev/null 2>&1 && feat="-O ^orphan_file"
    rm -f "$1"
    # shellcheck disable=SC2086
    mkfs.ext4 -q -F -b 4096 $feat -E lazy_itable_init=0,lazy_journal_init=0 ${3:+-d "$3"} "$1" "$2" >/dev/null \
        || die "mkfs.ext4 $1 failed"
}

build_programs() {   # build_programs WORKDIR: the scenario programs and the guest's tools, static
    local src libs verbs="-DRDMA_STATIC_PROVIDERS=rxe -I$VERBS/usr/include -L$VERBS/usr/lib/x86_64-linux-gnu
        -L$VERBS/lib/x86_64-linux-gnu -Wl,--start-group -libverbs -lrxe-rdmav34 -lnl-route-3 -lnl-3 -Wl,--end-group"
    mkdir -p "$1/bin" "$1/tools"
    for src in "$ROOT"/lab/scenarios/*.c; do
        case $src in */rdma-*) libs=$verbs ;; */memlock-*|*/fuzz-dev*) libs="$verbs -luring" ;; *) libs=-luring ;; esac
        # shellcheck disable=SC2086
        gcc -static -O2 -Wall -Wextra -Werror -o "$1/bin/$(basename "$src" .c)" "$src" $libs -lpthread 2> "$1/gcc.err" ||
            { cat "$1/gcc.err" >&2; die "cannot build $src"; }
    done
    gcc -static -O2 -Wall -Wextra -Werror -o "$1/tools/blocks" "$ROOT/lab/guest/blocks.c" || die "cannot build blocks.c"
    gcc -static -O2 -Wall -Wextra -Werror -o "$1/tools/rxe-link" "$ROOT/lab/guest/rxe-link.c" || die "cannot build rxe-link.c"
}

# dax_image WORKDIR: WORKDIR/dax.blocks.gz, ext4 for /dev/pmem0 (256 MiB) filled but DAX_FREE blocks
# by a file of unwritten extents, so blocks a truncate frees are the ones the next file gets
DAX_FREE=704
dax_image() {
    local img=$1/dax.img free
    mkfs_ext4 "$img" 256M
    free=$(debugfs -R stats "$img" 2>/dev/null | sed -n 's/^Free blocks: *//p')
    debugfs -w -R "write /dev/null filler" "$img" >/dev/null 2>&1 &&
        debugfs -w -R "fallocate filler 0 $((free - DAX_FREE - 1))" "$img" >/dev/null 2>&1 ||
        die "debugfs could not fill $img"
    "$1/tools/blocks" pack "$img" 2>/dev/null | gzip -1 > "$1/dax.blocks.gz" || die "cannot pack $img"
    rm -f "$img"
}

# xdax_image WORKDIR: WORKDIR/xdax.blocks.gz, xfs for /dev/pmem1 (320 MiB; -o dax refuses reflink before 6.0)
xdax_image() {
    local img=$1/xdax.img
    rm -f "$img"; truncate -s 320M "$img"
    mkfs.xfs -q -f -m reflink=0 "$img" || die "mkfs.xfs $img failed"
    "$1/tools/blocks" pack "$img" 2>/dev/null | gzip -1 > "$1/xdax.blocks.gz" || die "cannot pack $img"
    rm -f "$img"
}

# build_root RELEASE WORKDIR: the guest's root (busybox, /init, modules, fs-DAX image)
build_root() {
    local r=$2/root a
    rm -rf "$r"; mkdir -p "$r"/{bin,lib/modules,lab/bin,lab/run,lab/rec,proc,sys,dev,mnt,tmp,out}
    cp "$(command -v busybox)" "$r/bin/busybox"
    for a in $(busybox --list); do [ "$a" = busybox ] || ln -s busybox "$r/bin/$a"; done
    cp "$ROOT/lab/guest/init.sh" "$r/init"
    modules_into "$r/lib/modules"
    mkdir -p "$r/lab/tools"; cp "$2/tools/blocks" "$2/tools/rxe-link" "$r/lab/tools/"
    dax_image "$2"; cp "$2/dax.blocks.gz" "$r/lab/"
    xdax_image "$2"; cp "$2/xdax.blocks.gz" "$r/lab/"
    if [ "$TRACECMD" = 1 ]; then   # the host's trace-cmd, dynamically linked: the libraries ldd lists and the loader
        cp "$(command -v trace-cmd)" "$r/lab/tools/trace-cmd"
        for a in $(ldd "$(command -v trace-cmd)" | grep -o '/[^ ]*'); do
            mkdir -p "$r$(dirname "$a")"; cp -L "$a" "$r$a"
        done
    fi
}

# add_recordings RELEASE WORKDIR: the programs, and per recording (each scenario without and with
# markers; with --tracecmd, raw beside trace-cmd instead) /lab/run/NAME (the command) and /lab/rec/NAME.sh
# (pinreplay record --dry-run's script)
add_recordings() {
    local w=$2 r=$2/root boot name prog args m out text wait modes=("" -m)
    [ "$TRACECMD" = 1 ] && modes=(-t)
    cp "$w"/bin/* "$r/lab/bin/"
    # 7.x lists tracepoint and syscall metadata symbols as text ('T', 't') in /proc/kallsyms; the
    # recorder tells events from functions by the type, so they are given their data type back.
    awk '$3 ~ /^(__tracepoint_|__syscall_meta__)/ { $2 = "d" } { print }' "$SYMS/kallsyms" > "$w/kallsyms"
    for boot in $(boots); do
        : > "$r/lab/$boot.list"
        while read -r name prog args; do
            for m in "${modes[@]}"; do
                # attach-*: recorded with --pid once the program has mapped its memory (the guest puts its pid
                # for 99999), raw only: a marker written before the recorder's instance exists goes nowhere
                case $prog in attach-*) [ -n "$m" ] && continue; target=(--pid 99999) ;; *) target=() ;; esac
                out=$name${m:+-markers}; text=$out; wait=
                if [ "$m" = -t ]; then
                    # the guest's /init starts trace-cmd record on this pid (and its children) once the recorder
                    # has set its instance up, outside the recorded tasks; the program starts when it traces (a
                    # line on the fifo: the shell's builtins, no task the recordings would show)
                    m=; out=$name-tracecmd; text=$out-ftrace; : > "$r/lab/rec/$out.tracecmd"
                    wait='echo $$ > /tmp/tracecmd.pid; read -r go < /tmp/tracecmd.fifo\n'
                fi
                echo "$out" >> "$r/lab/$boot.list"
                printf "#!/bin/sh\n${wait}exec timeout -s KILL %s /lab/bin/%s %s\n" "$SCENARIO_TIMEOUT" "$prog" \
                    "$(echo $m $args)" > "$r/lab/run/$out"
                chmod +x "$r/lab/run/$out"
                if [ ${#target[@]} -gt 0 ]; then
                    : > "$r/lab/rec/$out.attach"
                else
                    target=(-- "/lab/run/$out")
                fi
                "$ROOT/pinreplay" record --dry-run --symbols "$w/kallsyms" --release "$KVER" \
                    -o "/out/$text.txt" "${target[@]}" > "$r/lab/rec/$out.sh" 2> "$w/record.err" ||
                    { cat "$w/record.err" >&2; die "[$1] pinreplay record --dry-run failed for $out"; }
            done
        done < <(scenarios "$boot")
    done
}

pack() {   # pack RELEASE WORKDIR: WORKDIR/initrd.gz from WORKDIR/root
    (cd "$2/root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$2/initrd.gz" || die "[$1] cpio failed"
}

scenarios() {   # scenarios BOOT: NAME PROGRAM ARGS lines of that boot (after --only)
    awk -v b="$1" -v only=",$ONLY," '$1 == b && (only == ",," || index(only, "," $2 ",")) {
        $1 = ""; sub(/^ /, ""); print }' "$ROOT/lab/scenarios.list"
}
boots() { awk '!/^#/ && NF {print $1}' "$ROOT/lab/scenarios.list" | uniq | while read -r b; do
    [ -n "$(scenarios "$b")" ] && echo "$b"; done; }

boot_args() {   # extra kernel command line per boot; main and vfio reserve 64 huge pages (128 MiB) for hugetlbfs;
    # main turns memfd_secret() on (secretmem.enable=1: off by default from 5.14 until 6.5); thpmadvise boots with
    # transparent huge pages for MADV_HUGEPAGE ranges only, as other distributions build their kernels
    case $1 in movable) echo "movablecore=768M" ;; vfio) echo "intel_iommu=on hugepages=64" ;;
        thpmadvise) echo "transparent_hugepage=madvise" ;;
        main) echo "hugepages=64 secretmem.enable=1" ;; *) echo "" ;; esac
}
boot_devices() {   # extra qemu arguments per boot: vfio gets an emulated IOMMU and the edu DMA device; main
    # (and the symbols boot, which loads the same modules) a virtio NIC for soft-RoCE (rdma_rxe)
    case $1 in vfio) echo "-machine q35 -device intel-iommu -device edu" ;;
        main|symbols) echo "-netdev user,id=net0 -device virtio-net-pci,netdev=net0" ;; *) echo "" ;; esac
}

# ---- boot ----------------------------------------------------------------------------------------
# run_boot RELEASE BOOT WORKDIR RESULTS: boots, streams the guest's "lab:" lines, unpacks the results
run_boot() {
    local rel=$1 boot=$2 w=$3 res=$4 t0 status console
    console=$res/console-$boot.log
    mkfs_ext4 "$w/fast.img" 128M
    # the throttled disk's source file (lab.h SLOW_SRC): written here, not through the throttle
    mkdir -p "$w/slow"
    awk 'BEGIN { for (i = 0; i < 512; i++) { c = sprintf("%c", 97 + i % 26); p = c
        while (length(p) < 4096) p = p p; printf "%s", p } }' > "$w/slow/src"
    mkfs_ext4 "$w/slow.img" 64M "$w/slow"
    # the results' tar (6.1's main boot writes about 90 MB of traces); sparse, so the size costs nothing
    rm -f "$w/out.img"; truncate -s 512M "$w/out.img"
    # xfs and btrfs on virtio disks of their own (mkfs.xfs makes nothing under 300 MiB)
    rm -f "$w/xfs.img" "$w/btrfs.img"; truncate -s 320M "$w/xfs.img"; truncate -s 256M "$w/btrfs.img"
    mkfs.xfs -q -f "$w/xfs.img" || die "mkfs.xfs failed"
    mkfs.btrfs -q -f "$w/btrfs.img" >/dev/null || die "mkfs.btrfs failed"
    t0=$(date +%s)
    if [ "$boot" = symbols ]; then
        log "[$rel] booting $KVER once to read its symbols (cached in $SYMS)"
    else
        log "[$rel] booting $KVER ($boot: $(scenarios "$boot" | awk '{print $1}' | tr '\n' ' '))"
    fi
    # a soft lockup under TCG (text_poke_bp() waiting on an IPI while arming the recorder's kprobes, seen on 6.1) never
    # ends: the boot is stopped once the console reports one two minutes old, and the caller boots again
    : > "$console"
    ( while sleep 15; do
          if grep -q 'soft lockup - CPU#[0-9]* stuck for \(1[2-9][0-9]\|[2-9][0-9][0-9]\|[0-9]\{4,\}\)s' "$console"; then
              pkill -f "^qemu-system-x86_64 .*file=$w/fast.img"; break
          fi
      done ) &
    local watchdog=$!
    # shellcheck disable=SC2046
    timeout $((GUEST_TIMEOUT + 300)) qemu-system-x86_64 -accel tcg -cpu qemu64,+rdrand -m 2048 -smp 2 $(boot_devices "$boot") \
        -nographic -no-reboot -kernel "$VMLINUZ" -initrd "$w/initrd.gz" \
        -append "console=ttyS0 loglevel=5 panic=-1 memmap=256M!1G memmap=320M!1408M $(boot_args "$boot") lab.boot=$boot lab.timeout=$GUEST_TIMEOUT lab.scenario_timeout=$SCENARIO_TIMEOUT" \
        -drive file="$w/fast.img",if=virtio,format=raw \
        -drive file="$w/slow.img",if=virtio,format=raw,throttling.bps-total=1048576,throttling.iops-total=16 \
        -drive file="$w/out.img",if=virtio,format=raw \
        -drive file="$w/xfs.img",if=virtio,format=raw -drive file="$w/btrfs.img",if=virtio,format=raw \
        </dev/null 2>&1 | sed -u 's/\r$//' | tee "$console" | sed -u -n "s/^lab: /  [$rel $boot] /p" >&2
    status=${PIPESTATUS[0]}
    kill "$watchdog" 2>/dev/null; wait "$watchdog" 2>/dev/null
    log "[$rel] $boot boot ended after $(( $(date +%s) - t0 ))s (qemu exit $status)"
    if [ "$status" = 124 ]; then
        log "[$rel] qemu timed out; console tail:"; tail -n 30 "$console" >&2; return 1
    fi
    # the output disk holds a tar per recording and one of the rest (lab/guest/init.sh): the files of each whose
    # list (.saved/NAME) follows it on the disk are taken, the recordings among them named in WORKDIR/saved-BOOT.list
    rm -rf "$w/parts"; mkdir -p "$w/parts"; : > "$w/saved-$boot.list"
    tar -xif "$w/out.img" -C "$w/parts" 2>/dev/null
    for f in "$w"/parts/.saved/*; do
        [ -f "$f" ] || continue
        (cd "$w/parts" && xargs -r cp --parents -t "$res" < "$f") || return 1
        [ "${f##*/}" = final ] || echo "${f##*/}" >> "$w/saved-$boot.list"
    done
    if [ ! -f "$res/guest.log" ]; then
        log "[$rel] the guest wrote no results; console tail:"; tail -n 30 "$console" >&2; return 1
    fi
    if ! grep -q '^lab: results saved' "$console"; then   # a panic, or the output disk was too small
        log "[$rel] $boot: the guest saved $(wc -l < "$w/saved-$boot.list") of its $(wc -l < "$w/root/lab/$boot.list")" \
            "recordings; console tail:"; tail -n 30 "$console" >&2
        return 1
    fi
    mv "$res/guest.log" "$res/guest-$boot.log"; mv "$res/dmesg.txt" "$res/dmesg-$boot.log" 2>/dev/null
    return 0
}

# reports RESULTS: the host's `trace-cmd report` of each trace.dat the guest's trace-cmd record wrote, as printed
# (NAME.txt), with the latency columns (-l: NAME-l.txt) and in nanoseconds (-t: NAME-t.txt)
reports() {
    local d name o
    for d in "$1"/*.dat; do
        [ -f "$d" ] || continue
        name=${d%.dat}
        for o in "" -l -t; do
            trace-cmd report $o -i "$d" > "$name$o.txt" 2> "$name$o.report.err" ||
                log "trace-cmd report $o -i $d failed: $(head -n 1 "$name$o.report.err")"
        done
    done
}

# ---- replay --------------------------------------------------------------------------------------
# replay_all RELEASE RESULTS: agreement per trace, printed and appended to OUT/agreement.tsv
replay_all() {
    local rel=$1 res=$2 f name t a d status kernel
    printf '  %-34s %8s %6s %6s  %s\n' trace bytes agree differ note >&2
    [ -f "$OUT/agreement.tsv" ] || printf 'release\ttrace\tbytes\tagree\tdiffer\treplay_exit\n' > "$OUT/agreement.tsv"
    sed -i "/^$rel\t/d" "$OUT/agreement.tsv"
    for f in "$res"/*.txt; do
        [ -f "$f" ] || continue   # a failed boot left none
        name=$(basename "$f" .txt)
        # the recording's own release (its header's uname -r, and the stable update it hides); a trace-cmd
        # report has no header: the package's stable update
        kernel=()
        case $name in *-tracecmd|*-tracecmd-[lt]) kernel=(--kernel "$(sed -n 's/^package: .*_\([0-9]*\.[0-9]*\.[0-9]*\).*/\1/p' "$res/kernel.info")") ;; esac
        "$ROOT/pinreplay" replay --format jsonl "${kernel[@]}" "$f" > "$res/$name.jsonl" 2> "$res/$name.replay.err"
        status=$?
        a=$(grep -o '"agrees":true' "$res/$name.jsonl" | wc -l)
        d=$(grep -o '"agrees":false' "$res/$name.jsonl" | wc -l)
        t=""
        [ "$status" -ge 2 ] && t="replay exit $status: $(head -n 1 "$res/$name.replay.err")"
        printf '  %-34s %8d %6d %6d  %s\n' "$name" "$(wc -c < "$f")" "$a" "$d" "$t" >&2
        printf '%s\t%s\t%d\t%d\t%d\t%d\n' "$rel" "$name" "$(wc -c < "$f")" "$a" "$d" "$status" >> "$OUT/agreement.tsv"
    done
    for f in "$res"/*-tracecmd-ftrace.jsonl; do   # --tracecmd: each report against the recorder's text of its run
        [ -f "$f" ] || continue
        for t in "${f%-ftrace.jsonl}.jsonl" "${f%-ftrace.jsonl}-l.jsonl" "${f%-ftrace.jsonl}-t.jsonl"; do
            [ -f "$t" ] || continue
            # the recorder's text starts earlier (trace-cmd traces from the program's start): from the report's
            # first event on, less 100 us (each buffer takes its own timestamp of an event)
            a=$(awk '{ for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { printf "%.6f\n", $i - 0.0001; exit } }' "${t%.jsonl}.txt")
            d=$(diff <(judged "$f" "$a") <(judged "$t") | grep -c '^[<>]')
            printf '  %-34s %6d results (%d in the recorder'"'"'s text of the run), %d differ\n' "$(basename "$t" .jsonl)" \
                "$(judged "$t" | wc -l)" "$(judged "$f" "$a" | wc -l)" "$d" >&2
        done
    done
}

# judged JSONL [FROM]: the replay's results from timestamp FROM on, without their line numbers, timestamps, simulated
# or measured times, and a finding's handle and text (they name lines, and files the model numbers as it meets them)
judged() {
    awk -v from="${2:-0}" '{ t = $0; sub(/.*"ts":/, "", t); if (t + 0 < from) next
        gsub(/"(line|ts|latency_us|measured_us)":[^,]*,/, ""); gsub(/,"(handle|detail)":"[^"]*"/, ""); print }' "$1"
}

# ---- fixtures -----------------------------------------------------------------------------------
# fixtures RELEASE RESULTS: each trace and its program's output to traces/real/RELEASE/ when its
# replay agrees with every recorded result (CI replays those), else to traces/real-pending/RELEASE/,
# each directory with a README.md saying how they were made and the agreement when recorded
fixtures() {
    local rel=$1 res=$2 real=$ROOT/traces/real/$1 pending=$ROOT/traces/real-pending/$1 f name to d
    if [ -z "$ONLY" ]; then rm -rf "$real" "$pending"; fi
    mkdir -p "$real" "$pending"
    for f in "$res"/*.txt; do
        [ -f "$f" ] || continue
        name=$(basename "$f" .txt)
        if awk -F'\t' -v r="$rel" -v n="$name" '$1 == r && $2 == n && $5 == 0 && $6 < 2 && $4 > 0 { ok = 1 }
                END { exit !ok }' "$OUT/agreement.tsv"; then to=$real; else to=$pending; fi
        rm -f "$real/$name.txt" "$real/$name.log" "$pending/$name.txt" "$pending/$name.log"
        cp "$f" "$to/"
        [ -f "$res/$name.log" ] && cp "$res/$name.log" "$to/"
    done
    for d in "$real" "$pending"; do
        if [ -z "$(ls "$d"/*.txt 2>/dev/null)" ]; then rm -rf "$d"; continue; fi
        [ -f "$d/README.md" ] && mv "$d/README.md" "$d/README.md.old"
        fixtures_readme "$rel" "$res" "$d" > "$d/README.md"
        rm -f "$d/README.md.old"
    done
    log "[$rel] fixtures: $(ls "$real"/*.txt 2>/dev/null | wc -l) agreeing in traces/real/$rel," \
        "$(ls "$pending"/*.txt 2>/dev/null | wc -l) in traces/real-pending/$rel"
}

fixtures_readme() {   # fixtures_readme RELEASE RESULTS DIR
    local rel=$1 res=$2 d=$3
    if [ "$(basename "$(dirname "$d")")" = real ]; then
        echo "# Real $rel recordings (CI replays each: every recorded result must agree)"
    else
        echo "# Real $rel recordings the model does not agree with yet"
        echo
        echo "Moved to traces/real/$rel/ by \`scripts/kernel-lab.sh --fixtures\` once their replay agrees."
    fi
    echo
    echo "Made by \`scripts/kernel-lab.sh $rel\` (see docs/kernel-lab.md) on $(date -u +%Y-%m-%d): the Debian"
    echo "kernel below under qemu TCG (2 vCPUs, 2 GiB), each scenario recorded by the script"
    echo "\`pinreplay record --dry-run --symbols <the guest's /proc/kallsyms> --release <uname -r> -o NAME.txt"
    echo "-- /lab/run/NAME\` printed, \`/lab/run/NAME\` running the program of lab/scenarios/ under a 120 s timeout."
    echo "\`NAME.txt\` holds kernel events only; \`NAME-markers.txt\` the same scenario with the program's native"
    echo "events as trace markers; \`NAME.log\` is what the program printed (the kernel's results, timings)."
    echo
    echo "Agreement when recorded (\`pinreplay replay --format jsonl\`, the recorded release: calls with a recorded"
    echo "result that agree and differ; replay exit status):"
    echo
    echo "| trace | bytes | agree | differ | exit |"
    echo "|---|---|---|---|---|"
    for f in "$d"/*.txt; do   # a trace this run did not replay (--only) keeps its row of the old README
        awk -F'\t' -v r="$rel" -v n="$(basename "$f" .txt)" \
            '$1 == r && $2 == n { printf "| %s | %d | %d | %d | %d |\n", $2, $3, $4, $5, $6; ok = 1 }
             END { exit !ok }' "$OUT/agreement.tsv" ||
            grep -F "| $(basename "$f" .txt) |" "$d/README.md.old" 2>/dev/null | head -n 1
    done
    echo
    echo '```'
    cat "$res/kernel.info"
    echo '```'
}

# ---- main ----------------------------------------------------------------------------------------
check_tools
fetch_verbs
failed=0
for rel in "${RELEASES[@]}"; do
    t_rel=$(date +%s)
    fetch_kernel "$rel"
    w=$BUILD/$rel
    res=$OUT/$rel
    rm -rf "$w"; mkdir -p "$w" "$res"
    [ -n "$ONLY" ] || rm -rf "${res:?}"/*   # with --only, the other recordings stay
    build_programs "$w"
    build_root "$rel" "$w"
    if [ ! -s "$SYMS/kallsyms" ]; then   # Debian's System.map is a placeholder: ask the kernel itself
        pack "$rel" "$w"
        mkdir -p "$w/symbols" "$SYMS.tmp"
        run_boot "$rel" symbols "$w" "$w/symbols" || { failed=1; continue; }
        mv "$w/symbols/kallsyms" "$w/symbols/available_events" "$w/symbols/available_filter_functions" "$SYMS.tmp/" &&
            rm -rf "$SYMS" && mv "$SYMS.tmp" "$SYMS"
    fi
    add_recordings "$rel" "$w"
    pack "$rel" "$w"
    { echo "package: $KPKG"; echo "uname -r: $KVER"
      echo "recorder: pinreplay record --dry-run --symbols /proc/kallsyms of this kernel (commit $(git -C "$ROOT" rev-parse --short HEAD))"
      echo "qemu: $(qemu-system-x86_64 --version | head -n 1)"
      rec=$(ls "$w"/root/lab/rec/*.sh | head -n 1)
      echo "kprobes (set when the kernel offers the function):"; sed -n "s/^probe \([^ ]*\) .*/  \1/p" "$rec"
      echo "events (enabled when the kernel has them):"   # each probe's own events, then the enable lines
      grep "^probe " "$rec" | grep -o "'[pr]:pinreplay/[^ ']*" | sed "s/^'[pr]:/  /"
      sed -n 's/^enable \([^ ]*\)$/  \1/p' "$rec"
    } > "$res/kernel.info"
    for boot in $(boots); do
        # a kernel oops on a stray int3 (text poking of the recorder's tracepoints racing qemu's multi-threaded
        # TCG, seen on 6.12) panics the guest: the boot is run once more with the recordings it had not saved
        # (or soft-locks up in text_poke_bp(), seen on 6.1, which the watchdog of run_boot stops)
        run_boot "$rel" "$boot" "$w" "$res" && continue
        if grep -q "Oops: int3\|soft lockup - CPU#" "$res/console-$boot.log" 2>/dev/null; then
            grep -vxF -f "$w/saved-$boot.list" "$w/root/lab/$boot.list" > "$w/rest.list"
            mv "$w/rest.list" "$w/root/lab/$boot.list"; pack "$rel" "$w"
            log "[$rel] $boot: the guest panicked on a stray int3 or locked up arming kprobes; booting once more for" \
                "$(wc -l < "$w/root/lab/$boot.list") recordings"
            run_boot "$rel" "$boot" "$w" "$res" && continue
        fi
        failed=1
    done
    log "[$rel] boots took $(( $(date +%s) - t_rel ))s"
    [ "$TRACECMD" = 1 ] && reports "$res"
    [ "$REPLAY" = 1 ] && replay_all "$rel" "$res"
    [ "$FIXTURES" = 1 ] && fixtures "$rel" "$res"
done
exit $failed
