package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.Record;

/**
 * {@code trace-cmd report} pads each event name to 20 columns (libtraceevent print_event_name()) and
 * shows a trace_marker write as ftrace's {@code print} event: {@code print:  tracing_mark_write: TEXT}.
 */
class TraceCmdReportTest {
    private final Parsed p = Parsed.of(String.join("\n",
            "version = 6",
            "cpus=2",
            "           a.out-512   [000]    50.000000: print:                tracing_mark_write: mmap: addr=0x7f0000000000 len=0x1000 prot=rw flags=private",
            "           a.out-512   [000]    50.000001: tracing_mark_write:   munmap: addr=0x7f0000000000 len=0x1000",
            "           a.out-512   [000]    50.000002: vfio_dma_map:         handle=v1 vaddr=0x7f0000000000 iova=0x0 size=0x1000",
            "           a.out-512   [000]    50.000003: p_pin_user_pages_0:   (pin_user_pages+0x0/0xa0) start=0x7f0000000000 nr_pages=0x1 gup_flags=0x10001",
            "           a.out-512   [000]    50.000004: r_pin_user_pages_0:   (io_sqe_buffers_register+0x1a5/0x5d0 <- pin_user_pages) arg1=0x1",
            "           a.out-512   [000]    50.000005: sched_process_fork:   comm=a.out pid=512 child_comm=a.out child_pid=513",
            "           a.out-512   [000]    50.000006: print:                tracing_mark_write: phase two",
            "           a.out-512   [000]    50.000007: funcgraph_entry:        1.199 us   |    load_new_mm_cr3();",
            ""));

    @Test
    void printEventCarryingATraceMarkerIsTheNativeEvent() {
        Parsed.Ev e = p.atLine(3);
        assertEquals(EventType.MMAP, e.type());
        assertTrue(e.bit(Record.B_MARKER));
        assertEquals(0x7f0000000000L, e.num("addr"));
        Parsed.Ev text = p.atLine(9);
        assertEquals(EventType.UNKNOWN, text.type());
        assertEquals("tracing_mark_write", text.name());
        assertEquals("phase two", text.raw());
    }

    @Test
    void paddedEventNamesDecodeAsUnpadded() {
        assertEquals(EventType.MUNMAP, p.atLine(4).type());
        assertEquals(EventType.VFIO_DMA_MAP, p.atLine(5).type());
        assertEquals(EventType.PIN_USER_PAGES, p.atLine(6).type());
        assertEquals(0x10001, p.atLine(6).num("gup_flags"));
        assertEquals(EventType.KRETPROBE, p.atLine(7).type());
        assertEquals(1, p.atLine(7).num("ret"));
        assertEquals(EventType.SCHED_PROCESS_FORK, p.atLine(8).type());
        assertEquals(513, p.atLine(8).num("child_pid"));
    }

    @Test
    void probesShownAsBareAddressesAreKnownByTheirDefaultNames() {
        Parsed q = Parsed.of(String.join("\n",
                "           a.out-512   [000]    50.000003: p_pin_user_pages_fast_0: (ffffffff8123abc0) start=0x7f0000000000 nr_pages=0x1 gup_flags=0x10001",
                "           a.out-512   [000]    50.000004: r_pin_user_pages_fast_0: (ffffffff81aa0f35 <- ffffffff8123abc0) arg1=0x1",
                "           a.out-512   [000]    50.000005: r___gup_longterm_locked_0: (ffffffff81aa0f35 <- ffffffff8123abc0) arg1=0x1",
                ""));
        assertEquals(EventType.PIN_USER_PAGES_FAST, q.atLine(1).type());
        assertEquals("p_pin_user_pages_fast_0", q.atLine(1).sym("event_name"));
        assertEquals(EventType.KRETPROBE, q.atLine(2).type());
        assertEquals("pin_user_pages_fast", q.atLine(2).sym("func"));
        assertEquals(EventType.UNKNOWN, q.atLine(3).type());
    }

    /** The entry probes the replay reads, and ib_umem_get()'s return, are known by their default names as well. */
    @Test
    void entryProbesShownAsBareAddressesAreKnownByTheirDefaultNames() {
        Parsed q = Parsed.of(String.join("\n",
                "        vfio-edu-203   [000]    11.815300: p_vfio_iommu_type1_ioctl_0: (ffffffffc0a01234) cmd=15217 flags=0x3 at8=0x7f68ab9e5000 at16=0x100000 at24=0x10000",
                "        vfio-edu-203   [000]    11.815310: p_unpin_user_page_0: (ffffffff81234560) page=0xffffea0000d2a040",
                "            rdma-300   [001]    12.000001: p_ib_umem_get_0: (ffffffffc0b01000) addr=0x7f0000000000 size=65536 access=0x1",
                "            rdma-300   [001]    12.000009: r_ib_umem_get_0: (ffffffffc0c02000 <- ffffffffc0b01000) arg1=0xffff888004a1c000",
                ""));
        assertEquals(EventType.VFIO_IOCTL_PROBE, q.atLine(1).type());
        assertEquals("vfio_iommu_type1_ioctl", q.atLine(1).sym("func"));
        assertEquals(0x100000, q.atLine(1).num("iova"));
        assertEquals(EventType.UNPIN_PROBE, q.atLine(2).type());
        assertEquals("unpin_user_page", q.atLine(2).sym("func"));
        assertEquals(EventType.UMEM_GET_PROBE, q.atLine(3).type());
        assertEquals(65536, q.atLine(3).num("len"));
        assertEquals(EventType.KRETPROBE, q.atLine(4).type());
        assertEquals("ib_umem_get", q.atLine(4).sym("func"));
    }

    /**
     * libtraceevent prints {@code %p} with printf's {@code %p}: the recorded pointer as {@code 0x...}, {@code (nil)}
     * for NULL (the kernel prints it hashed, 16 bare digits). Lines of a 6.1 guest's trace.dat (mmap_lock, io_uring).
     */
    @Test
    void pointersPrintedByLibtraceeventDecode() {
        Parsed q = Parsed.of(String.join("\n",
                "       fork-ring-430   [001]   148.184942: mmap_lock_start_locking: mm=0xffff8dcd41062880 memcg_path=/ write=false",
                "       fork-ring-430   [001]   148.184956: mmap_lock_acquire_returned: mm=0xffff8dcd41062880 memcg_path=/ write=false success=true",
                "       fork-ring-430   [001]   148.185025: mmap_lock_released:   mm=(nil) memcg_path=/ write=true",
                " dax-truncate-di-8129  [001]   370.229976: io_uring_submit_sqe:  ring 0xffff88dd0e9d6000, req 0xffff88dd155a9c00, user_data 0x0, opcode READ, flags 0x0, non block 1, sq_thread 0",
                " dax-truncate-di-8129  [001]   372.338102: io_uring_complete:    ring 0xffff88dd0e9d6000, req 0xffff88dd155a9c00, user_data 0x0, result 2097152, cflags 0x0 extra1 0 extra2 0 ",
                ""));
        assertEquals(EventType.MMAP_LOCK_START_LOCKING, q.atLine(1).type());
        assertEquals(0xffff8dcd41062880L, q.atLine(1).num("mm"));
        assertEquals(EventType.MMAP_LOCK_ACQUIRE_RETURNED, q.atLine(2).type());
        assertEquals(1, q.atLine(2).num("success"));
        assertEquals(EventType.MMAP_LOCK_RELEASED, q.atLine(3).type());
        assertEquals(0, q.atLine(3).num("mm"));
        assertEquals(1, q.atLine(3).num("write"));
        assertEquals("mm=(nil) memcg_path=/ write=true", q.atLine(3).raw().strip());
        assertEquals(EventType.IO_URING_SUBMIT_SQE, q.atLine(4).type());
        assertEquals(0xffff88dd155a9c00L, q.atLine(4).num("req"));
        assertEquals(EventType.IO_URING_COMPLETE, q.atLine(5).type());
        assertEquals(0xffff88dd0e9d6000L, q.atLine(5).num("ring"));
        assertEquals(2097152, q.atLine(5).num("result"));
    }

    /**
     * A 7.2 guest's syscalls as trace-cmd report prints them from their print fmt: openat() with the path and flags as
     * O_ names but {@code 0x%08lx} numbers and a mode always; a call with a user buffer, whose
     * {@code __print_dynamic_array()} libtraceevent 1.7 cannot format, as its fields.
     */
    @Test
    void syscallsOfA72GuestDecode() {
        Parsed q = Parsed.of(String.join("\n",
                "   writeback-dio-10671 [001]   704.221870: sys_enter_openat:     dfd: 0xffffff9c, filename: 0x0048c0e4 \"/mnt/slow/src\", flags: O_RDWR|O_DIRECT|O_CLOEXEC, mode: 0000",
                "         timeout-13667 [001]   704.053253: sys_enter_openat:     dfd: 0xffffff9c, filename: 0x005b050f \"/dev/null\", flags: O_RDWR|O_CREAT|O_TRUNC|O_CLOEXEC, mode: 0644",
                "   writeback-dio-10671 [001]   704.241023: sys_enter_pwrite64:   [FAILED TO PARSE] __syscall_nr=18 fd=4 buf=0x10cc6710 count=65536 pos=65536 __buf_val=aa aa=1",
                "   writeback-dio-10671 [001]   704.241023: sys_enter_pwrite64:   [FAILED TO PARSE] __syscall_nr=18 fd=4 buf=0x10cc6710 count=65536 pos=-1 __buf_val=ARRAY[00, 01]",
                ""));
        assertEquals(EventType.SYSCALL_ENTER, q.atLine(1).type());
        assertEquals("openat", q.atLine(1).sym("syscall"));
        assertEquals(0xffffff9cL, q.atLine(1).num("dfd"));
        assertEquals(0x48c0e4, q.atLine(1).num("filename"));
        assertEquals(0x84002, q.atLine(1).num("flags"));
        assertEquals(0x80242, q.atLine(2).num("flags"));
        assertEquals(0644, q.atLine(2).num("mode"));
        assertEquals(EventType.SYSCALL_ENTER, q.atLine(3).type());
        assertEquals("pwrite64", q.atLine(3).sym("syscall"));
        assertEquals(4, q.atLine(3).num("fd"));
        assertEquals(0x10cc6710, q.atLine(3).num("buf"));
        assertEquals(65536, q.atLine(3).num("count"));
        assertEquals(65536, q.atLine(3).num("pos"));
        assertEquals(-1, q.atLine(4).num("pos"));
        assertTrue(!q.atLine(3).fields().containsKey("__syscall_nr") && !q.atLine(3).fields().containsKey("aa"));
    }

    @Test
    void paddingOfKeptPayloadsPrintsBack() {
        String[] lines = p.ftrace().split("\n");
        assertTrue(lines[7].endsWith("sched_process_fork:   comm=a.out pid=512 child_comm=a.out child_pid=513"), lines[7]);
        assertTrue(lines[9].endsWith("funcgraph_entry:        1.199 us   |    load_new_mm_cr3();"), lines[9]);
    }
}
