#!/bin/sh
# /init of the kernel-lab guest (busybox). Loads the modules, prepares the backings (ext4 on a fast
# and on a throttled virtio disk, xfs and btrfs on virtio disks, fs-DAX with ext4 and with xfs on
# emulated pmem, tmpfs, hugetlbfs; soft-RoCE rxe0 on the virtio NIC), records each scenario of the
# boot's list, writes each one's files onto the output disk as it ends and powers off. Kernel command line:
# lab.boot=NAME (runs /lab/NAME.list; "symbols" only saves /proc/kallsyms and the tracefs lists),
# lab.timeout=SECONDS (global; the guest powers off when it expires), lab.scenario_timeout=SECONDS.
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
exec </dev/console >/dev/console 2>&1
mount -t tracefs nodev /sys/kernel/tracing
mkdir -p /out /mnt/ext4 /mnt/slow /mnt/dax /mnt/xfs /mnt/btrfs /mnt/xdax /mnt/tmp /mnt/huge /tmp

say() { echo "lab: $*"; echo "$*" >> /out/guest.log; }
arg() { sed -n "s/.*$1=\([^ ]*\).*/\1/p" /proc/cmdline; }
# The output disk holds one tar after another (the host reads them with GNU tar -i): each recording's files as soon as
# it ends (the files of /out changed since the last part), the rest at the end. A part counts once the one after it,
# /out/.saved/NAME listing its files, is on the disk: a panic (a stray int3 under TCG) loses only what it interrupts.
touch /tmp/part.stamp; echo 0 > /tmp/part.block
put() { b=$(cat /tmp/part.block); dd if="$1" of=/dev/vdc bs=512 seek="$b" conv=notrunc,fsync 2>/dev/null &&
    echo $((b + ($(stat -c %s "$1") + 511) / 512)) > /tmp/part.block; }
part() {   # part NAME: the files changed since the last part, then their list as .saved/NAME
    (cd /out && find . -type f -newer /tmp/part.stamp ! -path './.saved/*') > /tmp/part.list
    touch /tmp/part.stamp
    mkdir -p /out/.saved
    if [ -s /tmp/part.list ]; then   # (the names have no blanks)
        (cd /out && tar cf /tmp/part.tar $(cat /tmp/part.list)) && put /tmp/part.tar || return 1
    fi
    cp /tmp/part.list "/out/.saved/$1" && (cd /out && tar cf /tmp/part.tar "./.saved/$1") && put /tmp/part.tar
}
save() { sync; part final && say "results saved"; }
BOOT=$(arg lab.boot)
TIMEOUT=$(arg lab.timeout)
STIMEOUT=$(arg lab.scenario_timeout)
say "kernel $(uname -r), boot $BOOT, $(grep -c ^processor /proc/cpuinfo) cpus, uptime $(cut -d' ' -f1 /proc/uptime)s"
( sleep "${TIMEOUT:-1800}"; say "global timeout (${TIMEOUT}s): powering off"; save; poweroff -f ) &

while read -r mod; do
    insmod "/lib/modules/$mod.ko" 2>/tmp/insmod.err || say "insmod $mod failed: $(cat /tmp/insmod.err)"
done < /lib/modules/order

wait_dev() {
    n=0
    while [ ! -b "$1" ] && [ $n -lt 50 ]; do sleep 0.2; n=$((n + 1)); done
    [ -b "$1" ] || say "no $1"
}
wait_dev /dev/vda; wait_dev /dev/vdb; wait_dev /dev/vdc; wait_dev /dev/vdd; wait_dev /dev/vde; wait_dev /dev/pmem0
mount -t ext4 /dev/vda /mnt/ext4 || say "mount ext4 (vda) failed"
mount -t ext4 /dev/vdb /mnt/slow || say "mount ext4 (vdb, throttled) failed"
mount -t xfs /dev/vdd /mnt/xfs || say "mount xfs (vdd) failed"
mount -t btrfs /dev/vde /mnt/btrfs || say "mount btrfs (vde) failed"
mount -t tmpfs -o size=256m tmpfs /mnt/tmp
mount -t hugetlbfs -o pagesize=2M nodev /mnt/huge || say "mount hugetlbfs failed"
say "hugetlb: $(grep -E '^HugePages_(Total|Free)' /proc/meminfo | tr -s ' \n' ' ')"
if [ -b /dev/pmem0 ]; then
    zcat /lab/dax.blocks.gz | /lab/tools/blocks unpack /dev/pmem0 2>/dev/null &&
        mount -t ext4 -o dax /dev/pmem0 /mnt/dax || say "mount -o dax failed"
    # no blocks held back for metadata: a file written after a truncate gets the blocks it freed
    echo 0 > /sys/fs/ext4/pmem0/reserved_clusters
    say "fs-DAX: $(stat -f -c '%f' /mnt/dax) free blocks"
fi
if [ -b /dev/pmem1 ]; then
    zcat /lab/xdax.blocks.gz | /lab/tools/blocks unpack /dev/pmem1 2>/dev/null &&
        mount -t xfs -o dax /dev/pmem1 /mnt/xdax || say "mount xfs -o dax failed"
fi
for d in /sys/bus/pci/devices/*; do   # qemu's edu DMA device, for the vfio scenarios
    [ "$(cat "$d/vendor")" = 0x1234 ] && [ "$(cat "$d/device")" = 0x11e8 ] || continue
    echo vfio-pci > "$d/driver_override"
    echo "${d##*/}" > /sys/bus/pci/drivers_probe
    say "edu ${d##*/}: driver $(basename "$(readlink "$d/driver")"), IOMMU group $(basename "$(readlink "$d/iommu_group")")"
done
if [ -d /sys/class/net/eth0 ] && [ -d /sys/module/rdma_rxe ]; then   # soft-RoCE, for the RDMA scenarios
    ip link set lo up; ip link set eth0 up; ip addr add 10.0.2.15/24 dev eth0
    /lab/tools/rxe-link rxe0 eth0 2>/tmp/rxe.err || say "rxe-link failed: $(cat /tmp/rxe.err)"
    say "rdma: $(ls /sys/class/infiniband 2>/dev/null | tr '\n' ' ')$(ls /dev/infiniband 2>/dev/null | tr '\n' ' ')"
fi
grep -E ' /mnt/' /proc/mounts | while read -r line; do say "mounted: $line"; done
dmesg | grep -iE 'dax|pmem|zone movable|movable zone|dmar|vfio' | tail -n 8 | while read -r line; do say "dmesg: $line"; done
say "ready after $(cut -d' ' -f1 /proc/uptime)s"
T=/sys/kernel/tracing

if [ "$BOOT" = symbols ]; then
    # What the recorder chooses its probes and events from (pinreplay record --symbols).
    cat /proc/kallsyms > /out/kallsyms
    cat $T/available_events > /out/available_events
    cat $T/available_filter_functions > /out/available_filter_functions
    say "symbols: $(wc -l < /out/kallsyms) kallsyms, $(wc -l < /out/available_events) events"
    save
    poweroff -f
fi

# tracecmd NAME (kernel-lab.sh --tracecmd): trace-cmd record of the pid /lab/run/NAME writes and its children, with
# the events, filters, clock and buffer size of the recorder's instance (its kprobes are global); a line on
# /tmp/tracecmd.fifo lets the program start once trace-cmd traces. Started here, trace-cmd is none of the recorded tasks.
tracecmd() {
    name=$1; I=$T/instances/pinreplay; n=0
    while [ ! -s /tmp/tracecmd.pid ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
    pid=$(cat /tmp/tracecmd.pid 2>/dev/null)
    [ -n "$pid" ] && [ -d "$I" ] || { say "$name: no pid or instance for trace-cmd"; go; return; }
    set -- -o "/out/$name.dat" -C "$(sed -n 's/.*\[\(.*\)\].*/\1/p' "$I/trace_clock")" \
        -b "$(cut -d' ' -f1 "$I/buffer_size_kb")" -O record-tgid -P "$pid" -c
    for e in "$I"/events/*/*/enable; do
        [ "$(cat "$e")" = 1 ] || continue
        d=${e%/enable}; g=${d%/*}
        set -- "$@" -e "${g##*/}:${d##*/}"
        f=$(cat "$d/filter"); [ "$f" = none ] || set -- "$@" -f "$f"
    done
    /lab/tools/trace-cmd record "$@" > "/out/$name.record.log" 2>&1 &
    echo $! > /tmp/tracecmd.tc
    n=0
    while ! grep -qw "$pid" "$T/set_event_pid" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
    sleep 1
    go
    wait
}
go() { timeout 10 sh -c 'echo go > /tmp/tracecmd.fifo'; }   # the program's start (none when its recorder refused)

# /lab/BOOT.list names the recordings; /lab/rec/NAME.sh is the script `pinreplay record --dry-run`
# printed for it (output /out/NAME.txt), which runs /lab/run/NAME (the program, under a timeout).
while read -r out; do
    t0=$(cut -d' ' -f1 /proc/uptime)
    tc=
    if [ -f "/lab/rec/$out.tracecmd" ]; then
        rm -f /tmp/tracecmd.pid /tmp/tracecmd.tc; [ -p /tmp/tracecmd.fifo ] || mkfifo /tmp/tracecmd.fifo
        tracecmd "$out" &
        tc=$!
    fi
    if [ -f "/lab/rec/$out.attach" ]; then
        # the program maps its memory, says its pid, and waits for the recorder to attach (record --pid)
        rm -f /tmp/attach.ready
        "/lab/run/$out" > "/out/$out.prog" 2>&1 &
        prog=$!
        n=0
        while [ ! -s /tmp/attach.ready ] && [ $n -lt 60 ]; do sleep 1; n=$((n + 1)); done
        pid=$(cat /tmp/attach.ready 2>/dev/null)
        sed "s/99999/${pid:-99999}/g" "/lab/rec/$out.sh" > "/tmp/$out.sh"
        timeout -s KILL $((${STIMEOUT:-120} + 60)) sh "/tmp/$out.sh" > "/out/$out.log" 2>&1
        status=$?
        wait "$prog"   # not the global timeout's subshell
        cat "/out/$out.prog" >> "/out/$out.log"
    else
        timeout -s KILL $((${STIMEOUT:-120} + 60)) sh "/lab/rec/$out.sh" > "/out/$out.log" 2>&1
        status=$?
    fi
    if [ -d $T/instances/pinreplay ]; then   # the recorder was killed before its teardown
        say "$out: recorder killed (exit $status); removing its instance and probes"
        echo 0 > $T/instances/pinreplay/tracing_on
        echo 0 > $T/instances/pinreplay/events/enable
        rmdir $T/instances/pinreplay
        echo > $T/kprobe_events
    fi
    if [ -n "$tc" ]; then   # trace-cmd's enabled probes kept the recorder's teardown from removing them
        kill -INT "$(cat /tmp/tracecmd.tc 2>/dev/null)" 2>/dev/null
        wait "$tc"
        echo > $T/kprobe_events
        say "$out: trace-cmd: $(wc -c < "/out/$out.dat" 2>/dev/null || echo 0) bytes; $(grep -v '^ *$' "/out/$out.record.log" | tail -n 1)"
    fi
    sed "s/^/lab: $out: /" "/out/$out.log"
    say "$out: exit $status, $(cat "/out/$out.txt" "/out/$out-ftrace.txt" 2>/dev/null | wc -c) bytes, from ${t0}s to $(cut -d' ' -f1 /proc/uptime)s"
    part "$out" || say "$out: could not write its files onto the output disk"
done < "/lab/$BOOT.list"

dmesg > /out/dmesg.txt
say "done after $(cut -d' ' -f1 /proc/uptime)s"
save
poweroff -f
