package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.outcome.Outcome;

/**
 * In a raw recording an RDMA memory registration is judged at ib_umem_get()'s return (its kretprobe: the umem or an
 * ERR_PTR), as the native rdma_reg_mr: the argument checks, then the pin_user_pages_fast() calls inside. A program's
 * rdma_reg_mr marker after such a call is that call, not a second registration.
 */
class RdmaRawTest {
    /** An anonymous private mapping of 16 pages, read-write (prot 3) or read-only (1). */
    private static String mmap(int prot) {
        return " t-9 [000] .....  1.000000: sys_mmap(addr: 0, len: 10000, prot: " + prot + ", flags: 22, "
                + "fd: ffffffffffffffff, off: 0)\n"
                + " t-9 [000] .....  1.000001: sys_mmap -> 0x7f0000000000\n";
    }

    /** ib_umem_get() of {@code size} bytes at the mapping, the pin inside it (when {@code pinRet} is given), its return. */
    private static String umemGet(String ts, long size, String pinFlags, String pinRet, String ret) {
        return " t-9 [000] .....  " + ts + "1: p_ib_umem_get_0: (ib_umem_get+0x0/0x3e0 [ib_uverbs]) addr=0x7f0000000000 "
                + "size=" + size + " access=0x1\n"
                + (pinRet == null ? "" : " t-9 [000] .....  " + ts + "2: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30)"
                        + " start=0x7f0000000000 nr_pages=16 gup_flags=" + pinFlags + "\n"
                        + " t-9 [000] .....  " + ts + "3: r_pin_user_pages_fast_0: (ib_umem_get+0x215/0x3e0 [ib_uverbs] <- "
                        + "pin_user_pages_fast) ret=" + pinRet + "\n")
                + " t-9 [000] .....  " + ts + "4: r_ib_umem_get_0: (rxe_mr_init_user+0x4f/0x200 [rdma_rxe] <- ib_umem_get) "
                + "ret=" + ret + "\n";
    }

    private static Replays replay(int prot, String call) {
        return Replays.text("# tracer: nop\n" + mmap(prot) + call, "6.1", FaultPoints.NONE);
    }

    @Test
    void aRegistrationOfNoPageIsRefusedBeforeAnyPin() {
        // ib_umem_get(): "if (npages == 0 || npages > UINT_MAX)" is -EINVAL
        Replays r = replay(3, umemGet("1.00001", 0, null, null, "0xffffffffffffffea"));
        Outcome o = r.call(5);
        assertEquals(EventType.RDMA_REG_MR, o.event);
        assertEquals("-EINVAL", r.result(5));
        assertTrue(o.hasObserved && o.agrees(), r.jsonl());
    }

    @Test
    void aRegistrationTakesItsPinsResult() {
        Replays r = replay(3, umemGet("1.00001", 65536, "0x10001", "16", "0xffff8e1d0be9a600"));
        assertEquals("0", r.result(7));
        assertTrue(r.call(7).agrees(), r.jsonl());
        assertEquals("16", r.result(5), "the pin is judged too");
    }

    @Test
    void aFailedPinFailsTheRegistration() {
        // a writable MR of a read-only mapping: pin_user_pages_fast(FOLL_WRITE|FOLL_LONGTERM) is -EFAULT, and so is
        // ib_umem_get() ("if (pinned < 0) goto umem_release")
        Replays r = replay(1, umemGet("1.00001", 65536, "0x10001", "4294967282", "0xfffffffffffffff2"));
        assertEquals("-EFAULT", r.result(7));
        assertTrue(r.call(7).agrees(), r.jsonl());
    }

    /**
     * Memory from before the recording, guessed anonymous from a registration's pins, then mprotect(PROT_NONE)ed as the
     * recording shows: the next registration's pin got every page (what the guess was is wrong), so ib_umem_get() went
     * on as the kernel's did and returned its umem (lab, fuzz-dev-811 of 7.2 cut at 65 %).
     */
    @Test
    void aPinOnGuessedMemoryThatTheRecordingSaysSucceededDoesNotFailTheRegistration() {
        String t = "# tracer: nop\n" + umemGet("1.00001", 65536, "0x10001", "16", "0xffff8e1d0be9a600")
                + " t-9 [000] .....  1.000020: sys_mprotect(start: 7f0000000000, len: 10000, prot: 0)\n"
                + " t-9 [000] .....  1.000021: sys_mprotect -> 0x0\n"
                + umemGet("1.00003", 65536, "0x10001", "16", "0xffff8e1d0be9a700");
        Replays r = Replays.text(t, "6.1", FaultPoints.NONE);
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertEquals(2, r.outcomes.stream().filter(o -> o.event == EventType.RDMA_REG_MR && o.result == 0).count(),
                r.jsonl());
    }

    @Test
    void aRegistrationRefusedWithoutAPinIsNotJudged() {
        // IB_ACCESS_ON_DEMAND without ODP support: refused before GUP on what the model does not see
        Replays r = replay(3, umemGet("1.00001", 65536, null, null, "0xffffffffffffffa1"));
        assertTrue(r.outcomes.stream().noneMatch(o -> o.event == EventType.RDMA_REG_MR), r.jsonl());
    }

    @Test
    void canDoMlocksRefusalOfATaskWhoseLimitIsUnknownIsAssumed() {
        // can_do_mlock(): -EPERM needs RLIMIT_MEMLOCK 0 without CAP_IPC_LOCK; no memlock line said the limit
        Replays r = replay(3, umemGet("1.00001", 65536, null, null, "0xffffffffffffffff"));
        assertEquals("-EPERM", r.result(5));
        assertTrue(r.call(5).agrees(), r.jsonl());
        assertEquals("RLIMIT_MEMLOCK 0 (the limit is unknown)", r.call(5).assumed);
    }

    @Test
    void aMarkerAfterTheCallIsThatCallNotASecondRegistration() {
        // 5.10 check_dax_vmas(): the write pin of a private fs-DAX mapping faults in anon COW copies, then refuses
        // (-EOPNOTSUPP); registering the region again would find those copies through GUP-fast and succeed
        String t = "# tracer: nop\n"
                + " t-9 [000] .....  1.000000: tracing_mark_write: file: ino=13 fs=ext4 dax=1 size=65536\n"
                + " t-9 [000] .....  1.000001: tracing_mark_write: mmap: addr=0x7f0000000000 len=0x10000 prot=rw "
                + "flags=private ino=13 pgoff=0\n"
                + umemGet("1.00001", 65536, "0x10001", "4294967201", "0xffffffffffffffa1")
                + " t-9 [000] .....  1.000015: tracing_mark_write: rdma_reg_mr: handle=mr addr=0x7f0000000000 len=0x10000 "
                + "access=write ret=-95\n"
                + umemGet("1.00002", 65536, "0x10011", "16", "0xffff8e1d0be9a600")
                + " t-9 [000] .....  1.000025: tracing_mark_write: rdma_reg_mr: handle=ro addr=0x7f0000000000 len=0x10000 "
                + "access=read ret=0\n"
                + " t-9 [000] .....  1.000026: tracing_mark_write: rdma_dereg_mr: handle=ro\n";
        Replays r = Replays.text(t, "5.10", FaultPoints.NONE);
        assertEquals("-EOPNOTSUPP", r.result(8));
        assertEquals("-EOPNOTSUPP", r.result(7), "the kernel's own call, judged at its kretprobe");
        assertEquals("16", r.result(10), "GUP-fast finds the COW copies: no VMA check on 5.10");
        assertEquals("0", r.result(13));
        assertEquals(0, r.summary.divergences, r.jsonl());
        assertTrue(r.violations().isEmpty(), "the dereg releases the MR the recorded call holds: " + r.jsonl());
    }
}
