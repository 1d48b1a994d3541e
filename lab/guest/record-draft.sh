#!/bin/sh
# TEMPORARY bring-up recorder, to be replaced by the script `pinreplay record --dry-run` prints.
# Records COMMAND into OUT with the pin kprobes/kretprobes and the tracepoints the model reads,
# in the tracefs instance "pinreplay", filtered to COMMAND's pid and its children (event-fork).
#   record-draft.sh OUT COMMAND [ARGS...]
set -u
OUT=$1; shift
T=/sys/kernel/tracing
I=$T/instances/pinreplay

probe() {   # probe FUNCTION ENTRY-FETCHARGS [RETURN-TYPE]: a kprobe, and a kretprobe unless void
    grep -q "^$1\( \|$\)" $T/available_filter_functions || { echo "record-draft: no $1" >&2; return; }
    echo "p:pinreplay/$1 $1 $2" >> $T/kprobe_events || echo "record-draft: kprobe $1 refused" >&2
    [ "${3:-s64}" = void ] && return
    echo "r:pinreplay/r_$1 $1 ret=\$retval:${3:-s64}" >> $T/kprobe_events ||
        echo "record-draft: kretprobe $1 refused" >&2
}

echo 0 > $T/tracing_on
[ -d $I ] && { echo 0 > $I/tracing_on; echo 0 > $I/events/enable; rmdir $I; }
echo > $T/kprobe_events
P3='start=$arg1:x64 nr_pages=$arg2:u64 gup_flags=$arg3:x32'
PF='start=$arg1:x64 nr_pages=$arg2:s32 gup_flags=$arg3:x32'
PR='mm=$arg1:x64 start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32'
for f in pin_user_pages get_user_pages; do probe $f "$P3"; done
for f in pin_user_pages_fast get_user_pages_fast; do probe $f "$PF"; done
for f in pin_user_pages_remote get_user_pages_remote __get_user_pages; do probe $f "$PR"; done
for f in get_user_pages_unlocked pin_user_pages_unlocked; do
    probe $f 'start=$arg1:x64 nr_pages=$arg2:u64 gup_flags=$arg4:x32'
done
probe __gup_longterm_locked 'mm=$arg1:x64 start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg6:x32'
probe io_pin_pages 'ubuf=$arg1:x64 len=$arg2:u64' x64
probe fixup_user_fault 'mm=$arg1:x64 address=$arg2:x64 fault_flags=$arg3:x32' s32
probe unpin_user_page 'page=$arg1:x64' void
probe unpin_user_pages 'pages=$arg1:x64 npages=$arg2:u64' void
probe unpin_user_pages_dirty_lock 'pages=$arg1:x64 npages=$arg2:u64 make_dirty=$arg3:u8' void
for f in check_and_migrate_movable_pages check_and_migrate_cma_pages migrate_longterm_unpinnable_pages \
         migrate_longterm_unpinnable_folios; do probe $f ''; done
probe ext4_break_layouts 'inode=$arg1:x64' s32
probe dax_layout_busy_page_range 'mapping=$arg1:x64 start=$arg2:x64 end=$arg3:x64' x64
probe folio_mkclean 'folio=$arg1:x64' s32
probe page_mkclean 'page=$arg1:x64' s32

mkdir $I
echo 0 > $I/tracing_on
echo 8192 > $I/buffer_size_kb
echo 1 > $I/options/event-fork
echo 1 > $I/events/pinreplay/enable
for s in mmap munmap mprotect mremap ftruncate fallocate io_uring_register openat pread64 pwrite64 \
         process_vm_readv process_vm_writev vmsplice fsync sync_file_range memfd_create; do
    for d in enter exit; do
        [ -e $I/events/syscalls/sys_${d}_$s ] && echo 1 > $I/events/syscalls/sys_${d}_$s/enable
    done
done
for e in sched/sched_process_fork sched/sched_process_exec sched/sched_process_exit task/task_newtask \
         mmap_lock fs_dax migrate filemap io_uring/io_uring_register \
         writeback/writeback_dirty_folio writeback/writeback_dirty_page; do
    [ -e $I/events/$e/enable ] && echo 1 > $I/events/$e/enable
done
cat /proc/mounts > "$OUT.mounts"
echo > $I/trace
sh -c 'echo $$ > '$I'/set_event_pid; echo 1 > '$I'/tracing_on; exec "$@"' sh "$@"
status=$?
echo 0 > $I/tracing_on
cat $I/trace > "$OUT"
cat $I/per_cpu/cpu*/stats | grep -E 'overrun|dropped' | sort | uniq -c > "$OUT.stats"
echo 0 > $I/events/enable
: > $I/set_event_pid
rmdir $I
echo > $T/kprobe_events
exit $status
