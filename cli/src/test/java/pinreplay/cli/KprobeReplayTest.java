package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import pinreplay.campaign.Json;

/**
 * docs/trace-format.md section 4: a kprobe on a pin function is that call, and the kretprobe on the same function
 * supplies its {@code ret}; lines as a 6.1 kernel prints them (x-types with 0x, 6.1 FOLL bit values,
 * negative returns as 64-bit two's complement), from {@code trace} and from {@code trace-cmd report}.
 */
class KprobeReplayTest {
    private static final String SETUP =
            "# tracer: nop\n"
            + "        qemu-kvm-4242    [000] .....    50.000000: tracing_mark_write: mmap: addr=0x7f1234560000 len=0x100000 prot=rw flags=private populate=1\n";

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> replay(String trace, int exit) {
        Run run = Run.of(trace, "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        assertEquals(exit, run.code(), run.out() + run.err());
        return Arrays.stream(run.out().split("\n")).map(l -> (Map<String, Object>) Json.parse(l))
                .filter(r -> !"mmap".equals(r.get("event"))).collect(Collectors.toList());
    }

    @Test
    void entryAndReturnProbesAreOneCallWithItsRet() {
        List<Map<String, Object>> calls = replay(SETUP
                + "        qemu-kvm-4242    [000] .....    50.100000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=0x7f1234560000 nr_pages=0x1 gup_flags=0x10001\n"
                + "        qemu-kvm-4242    [000] .....    50.100010: r_pin_user_pages_fast_0: (vfio_pin_pages_remote+0x1a5/0x5d0 <- pin_user_pages_fast) arg1=0x1\n"
                + "        qemu-kvm-4242    [000] .....    50.200000: p_pin_user_pages_0: (pin_user_pages+0x0/0xa0) start=0x7f1234570000 nr_pages=0x10 gup_flags=0x10001\n"
                + "        qemu-kvm-4242    [000] .....    50.200010: r_pin_user_pages_0: (io_sqe_buffers_register+0x1f5/0x6a0 <- pin_user_pages) arg1=0x10\n",
                ExitCodes.OK);
        assertEquals(2, calls.size(), calls.toString());
        assertEquals(Map.of("line", 3L, "event", "pin_user_pages_fast", "result", 1L, "observed", 1L, "agrees", true),
                pick(calls.get(0)));
        assertEquals(Map.of("line", 5L, "event", "pin_user_pages", "result", 16L, "observed", 16L, "agrees", true),
                pick(calls.get(1)));
    }

    @Test
    void aNegativeReturnIsAnErrnoAndADivergenceWhenTheModelPins() {
        List<Map<String, Object>> calls = replay(SETUP
                + "        qemu-kvm-4242    [000] .....    50.100000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=0x7f1234560000 nr_pages=0x1 gup_flags=0x10001\n"
                + "        qemu-kvm-4242    [000] .....    50.100010: r_pin_user_pages_fast_0: (vfio_pin_pages_remote+0x1a5/0x5d0 <- pin_user_pages_fast) arg1=0xfffffffffffffff2\n",
                ExitCodes.FINDINGS);
        assertEquals(Map.of("line", 3L, "event", "pin_user_pages_fast", "result", 1L, "observed", "-EFAULT",
                "agrees", false), pick(calls.get(0)));
    }

    @Test
    void aReturnOfAnotherFunctionDoesNotCompleteThePendingCall() {
        List<Map<String, Object>> calls = replay(SETUP
                + "        qemu-kvm-4242    [000] .....    50.100000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=0x7f1234560000 nr_pages=0x2 gup_flags=0x10001\n"
                + "        qemu-kvm-4242    [000] .....    50.100005: r_get_user_pages_fast_0: (iov_iter_get_pages+0x1a5/0x5d0 <- get_user_pages_fast) arg1=0x1\n"
                + "        qemu-kvm-4242    [000] .....    50.100010: r_pin_user_pages_fast_0: (vfio_pin_pages_remote+0x1a5/0x5d0 <- pin_user_pages_fast) arg1=0x2\n",
                ExitCodes.OK);
        assertEquals(1, calls.size(), calls.toString());
        assertEquals(Map.of("line", 3L, "event", "pin_user_pages_fast", "result", 2L, "observed", 2L, "agrees", true),
                pick(calls.get(0)));
    }

    @Test
    void aThreadInTheTgidColumnPinsItsGroupsMemoryAndAProbesMmPointerIsNoPid() {
        List<Map<String, Object>> calls = replay("# tracer: nop\n"
                + "        qemu-kvm-4242  ( 4242) [000] .....    50.000000: tracing_mark_write: mmap: addr=0x7f1234560000 len=0x100000 prot=rw flags=private populate=1\n"
                + "    CPU 0/KVM-4250  ( 4242) [001] .....    50.100000: p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x90) mm=0xffff888004a1c000 start=0x7f1234560000 nr_pages=0x4 gup_flags=0x10001\n"
                + "    CPU 0/KVM-4250  ( 4242) [001] .....    50.100010: r_pin_user_pages_remote_0: (vaddr_get_pfns+0x5f/0x90 <- pin_user_pages_remote) arg1=0x4\n",
                ExitCodes.OK);
        assertEquals(Map.of("line", 3L, "event", "pin_user_pages_remote", "result", 4L, "observed", 4L, "agrees", true),
                pick(calls.get(0)));
    }

    @Test
    void traceCmdReportPaddingAndPrintMarkersReplayAlike() {
        List<Map<String, Object>> calls = replay("version = 6\ncpus=2\n"
                + "        qemu-kvm-4242  [000]    50.000000: print:                tracing_mark_write: mmap: addr=0x7f1234560000 len=0x100000 prot=rw flags=private populate=1\n"
                + "        qemu-kvm-4242  [000]    50.100000: p_pin_user_pages_0:   (pin_user_pages+0x0/0xa0) start=0x7f1234560000 nr_pages=0x1 gup_flags=0x10001\n"
                + "        qemu-kvm-4242  [000]    50.100010: r_pin_user_pages_0:   (io_sqe_buffers_register+0x1f5/0x6a0 <- pin_user_pages) arg1=0x1\n",
                ExitCodes.OK);
        assertEquals(Map.of("line", 4L, "event", "pin_user_pages", "result", 1L, "observed", 1L, "agrees", true),
                pick(calls.get(0)));
        assertFalse(calls.get(0).containsKey("violation"));
    }

    @Test
    void traceCmdReportProbesWithBareAddressesPairByTheirDefaultNames() {
        List<Map<String, Object>> calls = replay("version = 6\ncpus=2\n"
                + "        qemu-kvm-4242  [000]    50.000000: print:                tracing_mark_write: mmap: addr=0x7f1234560000 len=0x100000 prot=rw flags=private populate=1\n"
                + "        qemu-kvm-4242  [000]    50.100000: p_pin_user_pages_fast_0: (ffffffff8123abc0) start=0x7f1234560000 nr_pages=0x8 gup_flags=0x10001\n"
                + "        qemu-kvm-4242  [000]    50.100010: r_pin_user_pages_fast_0: (ffffffffc0a10f35 <- ffffffff8123abc0) arg1=0x8\n",
                ExitCodes.OK);
        assertEquals(Map.of("line", 4L, "event", "pin_user_pages_fast", "result", 8L, "observed", 8L, "agrees", true),
                pick(calls.get(0)));
    }

    /** As on a Debian 6.1.192 kernel: a truncate of an fs-DAX file after the O_DIRECT I/O into its mapping completes. */
    @Test
    void aProbedShortTermGupIsDroppedByItsCallerSoATruncateAfterTheIoDoesNotStall() {
        List<Map<String, Object>> calls = replay(String.join("",
                "dbtool-3100    [002] .....   200.000000: tracing_mark_write: file: ino=20 fs=ext4 dax=1 size=0x200000\n",
                "           dbtool-3100    [002] .....   200.000010: tracing_mark_write: mmap: addr=0x7f1000000000 len=0x200000 prot=rw flags=shared ino=20 pgoff=0\n",
                "           dbtool-3100    [002] .....   200.000020: tracing_mark_write: fault: addr=0x7f1000000000 len=0x10000 write=1\n",
                "           dbtool-3100    [002] .....   200.000030: tracing_mark_write: file: ino=30 fs=ext4 size=0x100000\n",
                "           dbtool-3100    [002] .....   200.000100: p_get_user_pages_fast_0: (get_user_pages_fast+0x0/0x50) start=0x7f1000000000 nr_pages=0x10 gup_flags=0x1\n",
                "           dbtool-3100    [002] .....   200.000110: r_get_user_pages_fast_0: (iov_iter_get_pages+0x1a5/0x5d0 <- get_user_pages_fast) arg1=0x10\n",
                "           dbtool-3100    [002] .....   200.000300: tracing_mark_write: dio_submit: handle=dio0 ino=30 offset=0 len=0x10000 buf=0x7f1000000000 rw=read ret=0\n",
                "           dbtool-3100    [002] .....   200.004200: tracing_mark_write: dio_complete: handle=dio0 ret=65536\n",
                "           dbtool-3100    [002] .....   200.005000: tracing_mark_write: ftruncate: ino=20 size=0 ret=0\n"), ExitCodes.OK);
        Map<String, Object> truncate = calls.get(calls.size() - 1);
        assertEquals("ftruncate", truncate.get("event"), calls.toString());
        assertEquals(Boolean.TRUE, truncate.get("agrees"), truncate.toString());
    }

    private static Map<String, Object> pick(Map<String, Object> rec) {
        return Map.of("line", rec.get("line"), "event", rec.get("event"), "result", rec.get("result"),
                "observed", rec.get("observed"), "agrees", rec.get("agrees"));
    }

    /** A :u64 fetcharg prints -14 as 18446744073709551602: the same errno. */
    @Test
    void aReturnPrintedAsAnUnsignedDecimalIsItsErrno() {
        List<Map<String, Object>> calls = replay(SETUP
                + "        qemu-kvm-4242    [000] .....    50.100000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=0x7f1234560000 nr_pages=1 gup_flags=65537\n"
                + "        qemu-kvm-4242    [000] .....    50.100010: r_pin_user_pages_fast_0: (vfio_pin_pages_remote+0x1a5/0x5d0 <- pin_user_pages_fast) ret=18446744073709551602\n",
                ExitCodes.FINDINGS);
        assertEquals("-EFAULT", calls.get(0).get("observed"), calls.toString());
    }

    /**
     * A kprobe'd call whose kretprobe was lost returned before the task's next marker or syscall: it runs then, on the
     * memory it saw, not after the munmap the task did next.
     */
    @Test
    void aCallWhoseReturnWasLostRunsBeforeTheTasksNextEvent() {
        List<Map<String, Object>> calls = replay(SETUP
                + "        qemu-kvm-4242    [000] .....    50.100000: p_pin_user_pages_0: (pin_user_pages+0x0/0xa0) start=0x7f1234560000 nr_pages=0x2 gup_flags=0x1\n"
                + "        qemu-kvm-4242    [000] .....    50.200000: tracing_mark_write: munmap: addr=0x7f1234560000 len=0x100000\n",
                ExitCodes.OK);
        assertEquals(3L, calls.get(0).get("line"), calls.toString());
        assertEquals(2L, calls.get(0).get("result"), calls.toString());
        assertEquals("munmap", calls.get(1).get("event"));
    }
}
