package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * secretmem_fault() charges RLIMIT_MEMLOCK in 6.12.117 and 7.2 (mm/secretmem.c secretmem_account_folio()): each page
 * it allocates goes on the creator's user->locked_vm, io_uring's counter, with no CAP_IPC_LOCK exemption; beyond the
 * limit the fault is SIGBUS, so a kernel copy from the buffer fails with -EFAULT (fuzz-deeper-608, -610, -613 on
 * 7.2.13); secretmem_release() gives the charge back with the file's last reference. 6.1 charges mm->locked_vm at
 * mmap() instead (VM_LOCKED).
 */
class SecretmemFaultAccountTest {
    /** Root with CAP_IPC_LOCK and RLIMIT_MEMLOCK {@code limit}: 2 of 4 secretmem pages faulted, then an O_DIRECT write of all 4 from a btrfs file's fallback (line 7). */
    private static Replays copyFrom(String kernel, long limit) {
        return Replays.text(Replays.lines(
                "memlock: pid=100 rlimit=" + limit + " cap_ipc_lock=1 uid=0 euid=0 suid=0 locked_vm=0 pinned_vm=0 user_locked_vm=0",
                "file: ino=16254 fs=secretmem dax=0 size=16384 dev=0:13",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=shared ino=16254 pgoff=0",
                "fault: addr=0x40000000 len=0x2000 write=1",
                "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:23",
                "dio_submit: handle=d ino=258 dev=0:23 offset=0 len=0x4000 buf=0x40000000 rw=write",
                "dio_complete: handle=d"), kernel, FaultPoints.NONE, true);
    }

    @Test
    void aFaultBeyondTheLimitFailsTheCopyEvenWithCapIpcLock() {
        for (String kernel : new String[] {"6.12", "7.2"}) {
            assertEquals("-EFAULT", copyFrom(kernel, 8192).result(7), kernel + ": 2 pages charged, the third is SIGBUS");
            assertEquals("16384", copyFrom(kernel, 16384).result(7), kernel + ": all 4 within the limit");
        }
        assertEquals("16384", copyFrom("6.1", 8192).result(7), "6.1: VM_LOCKED, no charge at fault");
    }

    private static final String P = "            prog-300     (    300) [001] .....    11.";

    /** uid 1000 without CAP_IPC_LOCK, RLIMIT_MEMLOCK 4 pages: 3 secretmem pages faulted, a 2-page io_uring registration. */
    private static List<String> trace(String beforeSecondRegistration) {
        return List.of(
                "        snapshot-0       [000] .....     0.000000: memlock: pid=300 rlimit=16384 cap_ipc_lock=0 uid=1000 euid=1000 suid=1000 locked_vm=0 pinned_vm=0 user_locked_vm=0",
                P + "300000: sys_memfd_secret(flags: 0)",
                P + "300001: sys_memfd_secret -> 0x4",
                P + "300002: sys_ftruncate(fd: 4, length: 0x3000)",
                P + "300003: sys_ftruncate -> 0x0",
                P + "300004: sys_mmap(addr: 0, len: 0x3000, prot: 3, flags: 0x1, fd: 4, off: 0)",
                P + "300005: sys_mmap -> 0x7f6e47000000",
                P + "300006: tracing_mark_write: fault: addr=0x7f6e47000000 len=0x3000 write=1",
                P + "338671: sys_io_uring_setup(entries: 4, params: 0x7ffe6a20c180)",
                P + "343508: sys_io_uring_setup -> 0x3",
                P + "351887: sys_mmap(addr: 0, len: 0x2000, prot: 3, flags: 0x22, fd: 0xffffffff, off: 0)",
                P + "352015: sys_mmap -> 0x7f6e4709b000",
                P + "352865: sys_io_uring_register(fd: 3, opcode: 0, arg: 0x7ffe6a20c220, nr_args: 1)",
                P + "353510: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f6e4709b000 nr_pages=2 gup_flags=0x101",
                P + "354091: r_pin_user_pages_fast_0: (io_pin_pages+0x9a/0x150 <- pin_user_pages_fast) ret=2",
                P + "354300: p_unpin_user_folio_0: (unpin_user_folio+0x4/0x80) npages=2",
                P + "354603: sys_io_uring_register -> 0xfffffffffffffff4",
                beforeSecondRegistration,
                P + "372000: sys_io_uring_register(fd: 3, opcode: 0, arg: 0x7ffe6a20c220, nr_args: 1)",
                P + "372100: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x4/0x60) start=0x7f6e4709b000 nr_pages=2 gup_flags=0x101",
                P + "372200: r_pin_user_pages_fast_0: (io_pin_pages+0x9a/0x150 <- pin_user_pages_fast) ret=2",
                P + "372400: sys_io_uring_register -> 0x0");
    }

    private static final int FIRST = 17;
    private static final int SECOND = 23;

    /** The trace with two lines between the registrations (lines 18-19): the first ends on line 17, the second on 23. */
    private static Replays replay(String kernel, String enter, String exit) {
        List<String> t = trace(P + "360000: " + enter.strip() + "\n" + P + "360001: " + exit.strip());
        return Replays.text(String.join("\n", t) + "\n", kernel, FaultPoints.NONE);
    }

    @Test
    void ioUringFindsTheSecretmemChargeOnTheUser() {
        List<String> t = new java.util.ArrayList<>(trace(P + "360000: sys_munmap(addr: 0x7f6e47000000, len: 0x3000)\n"
                + P + "360001: sys_munmap -> 0x0\n" + P + "361000: sys_close(fd: 4)\n" + P + "361010: sys_close -> 0x0"));
        Replays r = Replays.text(String.join("\n", t) + "\n", "7.2", FaultPoints.NONE);
        assertEquals("-ENOMEM", r.result(FIRST), r.jsonl());
        assertEquals("0", r.result(SECOND + 2), "the file's last reference gave its 3 pages back: " + r.jsonl());
        assertEquals(0, r.summary.divergences, r.jsonl());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sys_munmap(addr: 0x7f6e47000000, len: 0x3000) | sys_munmap -> 0x0",
        "sys_close(fd: 4)                              | sys_close -> 0x0",
    })
    void theChargeStaysWhileAnFdOrAMappingHoldsTheFile(String enter, String exit) {
        Replays r = replay("7.2", enter, exit);
        assertEquals("-ENOMEM", r.result(SECOND), r.jsonl());
    }

    /**
     * mmap(MAP_POPULATE) and mlockall(MCL_CURRENT) populate through __get_user_pages(), whose check_vma_flags() refuses
     * a secretmem VMA (-EFAULT, ignored): nothing is faulted in, so nothing is charged (fuzz-deeper-608 on 7.2.13).
     */
    @Test
    void populationFaultsNoSecretmemPageIn() {
        List<String> t = new java.util.ArrayList<>(trace(P + "360000: sys_mlockall(flags: 3)\n" + P + "360001: sys_mlockall -> 0x0"));
        t.set(5, P + "300004: sys_mmap(addr: 0, len: 0x3000, prot: 3, flags: 0x8001, fd: 4, off: 0)");
        t.set(7, P + "300006: sys_getpid()\n" + P + "300007: sys_getpid -> 0x12c");
        Replays r = Replays.text(String.join("\n", t) + "\n", "7.2", FaultPoints.NONE);
        assertEquals("0", r.result(FIRST + 1), "MAP_POPULATE charged nothing: " + r.jsonl());
        assertEquals("0", r.result(SECOND + 1), "mlockall() charged nothing: " + r.jsonl());
    }

    /**
     * A refusal that rests on charges which may not be there (io_uring's, for a creator whose CAP_IPC_LOCK the recording
     * does not show) is not certain: an O_DIRECT request it stopped takes its recorded result, and says why.
     */
    @Test
    void aRefusalOnUncertainChargesTakesTheRecordedResult() {
        Replays r = Replays.text(Replays.lines(
                "memlock: pid=100 rlimit=16384 uid=1000 euid=1000 suid=1000",
                "io_uring_register_buffers: handle=ring addr=0x50000000 len=0x4000 ret=0",
                "file: ino=16254 fs=secretmem dax=0 size=16384 dev=0:13",
                "mmap: addr=0x40000000 len=0x4000 prot=rw flags=shared ino=16254 pgoff=0",
                "file: ino=258 fs=btrfs dax=0 size=65536 dev=0:23",
                "dio_submit: handle=d ino=258 dev=0:23 offset=0 len=0x1000 buf=0x40000000 rw=write",
                "dio_complete: handle=d ret=4096"), "7.2", FaultPoints.NONE);
        assertEquals("4096", r.result(7), r.jsonl());
        assertTrue(r.call(7).assumed.contains("secretmem_fault()'s charge fitted"), r.jsonl());
    }
}
