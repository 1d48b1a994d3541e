package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import pinreplay.format.EventType;

/**
 * Line variants a real kernel or trace-cmd prints (kernel/trace/trace_output.c trace_print_context(), real samples), one per case: each
 * decodes to its event type (typed, or kept verbatim when the model does not know it), and parse -> print
 * -> parse gives identical blocks.
 */
class LineVariantsTest {
    static Stream<Arguments> lines() {
        return Stream.of(
            // trace-cmd report -l: latency flags after the CPU, function plugin with its event name
            Arguments.of("            sshd-1683  [001] d..1  1289.622913: function:             net_rx_action",
                    EventType.UNKNOWN),
            // 5 flag columns with an irqs-off 'd' and migrate-disable, typed tracepoint
            Arguments.of("            sshd-1683  [001] d..1. 1289.622913: mmap_lock_released: mm=000000006515cb1f "
                    + "memcg_path=/ write=false", EventType.MMAP_LOCK_RELEASED),
            // the NMI-in-hardirq 'Z' and hex preempt/migrate digits (A.13), a task name with spaces and a slash
            Arguments.of("        CPU 0/KVM-4201    [003] ..Zff  100.000000: kvm_exit: reason EPT_VIOLATION rip 0xffff",
                    EventType.UNKNOWN),
            // 'X': the arch cannot report the IRQ state; a 4.x writeback_single_inode with cgroup=
            Arguments.of("    kworker/u16:2-5968  [000] X..1  6888.108259: writeback_single_inode: bdi 8:0: ino=0 "
                    + "state=I_SYNC dirtied_when=4295625605 age=5 index=25952258 to_write=13312 wrote=1 cgroup=/",
                    EventType.UNKNOWN),
            // an unknown TGID and a syscall event with its own "name: value," payload (libtraceevent's printing)
            Arguments.of("            bash-1234  (-------) [001] .....   100.000000: sys_enter_openat: dfd: 0xffffff9c, "
                    + "filename: 0x7ffc, flags: 0x0, mode: 0x0", EventType.SYSCALL_ENTER),
            // a raw counter clock (x86-tsc) instead of seconds
            Arguments.of("            bash-1234  [001] .....  123456789012: page_fault_user: address=0x7f0000001000 "
                    + "ip=0x400000 error_code=0x6", EventType.PAGE_FAULT_USER),
            // nine decimals and a native event inside a trace marker
            Arguments.of("       qemu-1447    [001] .....  1.000000001: tracing_mark_write: vfio_dma_map: handle=v "
                    + "vaddr=0x1000 iova=0x0 size=0x1000", EventType.VFIO_DMA_MAP),
            // a marker that is not a native event is just text
            Arguments.of("            bash-1234  [001] .....   100.000000: tracing_mark_write: hello world",
                    EventType.UNKNOWN),
            // kprobe with a quoted string argument and a 0x-prefixed argument; <...> task, no flags column
            Arguments.of("           <...>-1447  [001] 1038282.286875: myprobe: (do_sys_open+0x0/0xd6) dfd=3 "
                    + "filename=\"/etc/passwd\" flags=0x8000 arg1=0xffff888004", EventType.UNKNOWN),
            // kprobe on a pin function with 0x arguments; its kretprobe with arg1= as the value
            Arguments.of("           <...>-1447  [001] ..... 1038282.286878: p_pin_user_pages_0: (pin_user_pages+0x0/0x90) "
                    + "start=0x10000000 nr_pages=0x4 gup_flags=0x10001", EventType.PIN_USER_PAGES),
            Arguments.of("           <...>-1447  [001] ..... 1038282.286878: r_pin_user_pages_0: (io_pin_pages+0x7b/0x130 <- "
                    + "pin_user_pages) arg1=0x3", EventType.KRETPROBE),
            // task and fork tracepoints the model follows
            Arguments.of("            bash-1234  [001] .....   100.000000: task_newtask: pid=79 comm=GC Thread#1 "
                    + "clone_flags=3d0f00 oom_score_adj=-1000", EventType.TASK_NEWTASK),
            Arguments.of("            bash-1234  [001] .....   100.000000: sched_process_fork: comm=bash pid=1234 "
                    + "child_comm=bash child_pid=1235", EventType.SCHED_PROCESS_FORK),
            // the memcg_id form (~6.13) with a boot-time (____ptrval____) pointer (lib/vsprintf.c before the RNG is ready)
            Arguments.of("            bash-1234  [001] .....   100.000000: mmap_lock_acquire_returned: mm=(____ptrval____) "
                    + "memcg_id=0 write=true success=false", EventType.MMAP_LOCK_ACQUIRE_RETURNED),
            // the TP_printk-only events of 7.5 (no real line was found)
            Arguments.of("              dd-2291    [003] .....   812.402117: folio_wait_writeback: bdi 259:0: ino=1835023 "
                    + "index=0", EventType.FOLIO_WAIT_WRITEBACK),
            Arguments.of("            bash-1234  [001] .....   100.000000: mm_filemap_delete_from_page_cache: dev 253:3 "
                    + "ino 13f730 pfn=0x113bad ofs=0 order=0", EventType.MM_FILEMAP_DELETE_FROM_PAGE_CACHE),
            // trace_printk with an unresolved ip, and a bputs line
            Arguments.of("            bash-1234  [001] .....   100.000000: 0xffffffffc044e5dc: -> in the local_bh_disable()",
                    EventType.UNKNOWN),
            Arguments.of("            bash-1234  [001] .....   100.000000: sched_switch: prev_comm=swapper/0 prev_pid=0 "
                    + "prev_prio=120 prev_state=R ==> next_comm=bash next_pid=1 next_prio=120", EventType.UNKNOWN),
            // latency format and the ring-buffer meta lines
            Arguments.of("      dd-805       0d....    1us : __rmqueue_pcplist", EventType.OTHER),
            Arguments.of("CPU:2 [LOST 123 EVENTS]", EventType.LOST_EVENTS),
            // trace-cmd report -l (trace-read.c: "%8.8s-%-5d %3d" + latency flags): a bare CPU, typed events kept
            Arguments.of("    sshd-1683    1d..1. 1289.622913: mmap_lock_released: mm=000000006515cb1f memcg_path=/ "
                    + "write=false", EventType.MMAP_LOCK_RELEASED),
            Arguments.of("trace-cm-1683    0.... 1289.622913: vfio_dma_map: handle=v vaddr=0x1000 iova=0x0 size=0x1000",
                    EventType.VFIO_DMA_MAP),
            Arguments.of("    sshd-1683   12d..1  1289.622913: function:             net_rx_action", EventType.UNKNOWN),
            Arguments.of("CPU:2 [SUBBUFFER START] [1289622913:0x1000]", EventType.COMMENT),
            // trace-cmd report's own per-CPU notices
            Arguments.of("CPU:2 [123 EVENTS DROPPED]", EventType.LOST_EVENTS),
            Arguments.of("CPU:2 [EVENTS DROPPED]", EventType.COMMENT),
            Arguments.of("CPU:2 [SUBBUFFER START]", EventType.COMMENT),
            Arguments.of("##### CPU 3 buffer started ####", EventType.COMMENT));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("lines")
    void eachVariantDecodesAndRoundTrips(String line, EventType type) {
        Parsed p = Parsed.of(line + "\n");
        assertEquals(1, p.events.size());
        assertEquals(type, p.events.get(0).type());
        Parsed again = Parsed.of(p.ftrace());
        assertArrayEquals(p.blocks, again.blocks);
    }

    @org.junit.jupiter.api.Test
    void aBareCpuIsTheCpuAndTheLatencyFlagsFollowIt() {
        Parsed.Ev e = Parsed.of("    sshd-1683   12d..1. 1289.622913: mmap_lock_released: mm=000000006515cb1f "
                + "memcg_path=/ write=false\n").events.get(0);
        assertEquals("sshd", e.comm());
        assertEquals(1683, e.pid());
        assertEquals(12, e.cpu());
        assertEquals("d..1.", e.flags());
        assertEquals(1_289_622_913_000L, e.ts());
    }
}
