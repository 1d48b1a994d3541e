package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** An injection fires only where the release's code path calls the point: the result follows the kernel's. */
class InjectionReachTest {
    /** Four unfaulted anonymous pages, pinned long-term through GUP-fast's slow path. */
    private static final String FAST_LONGTERM = String.join("\n",
            "            app-4000    [000] .....   100.000000: mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=private",
            "            app-4000    [000] .....   100.000100: pin_user_pages_fast: start=0x7f0000000000 nr_pages=4"
                    + " gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p0 ret=4",
            "            app-4000    [000] .....   100.000200: unpin_user_pages: handle=p0", "");

    /**
     * __gup_longterm_unlocked() (5.10-6.2) faults FOLL_LONGTERM pages under mmap_read_lock() with locked == NULL: no
     * VM_FAULT_RETRY, so no window to drop the lock in; gup_fast_fallback() (6.3+) passes FOLL_UNLOCKABLE.
     */
    @ParameterizedTest
    @CsvSource({"5.10, 4, ''", "6.1, 4, ''", "6.12, -EFAULT, 2:mmap-unlock@faultin_page",
        "7.2, -EFAULT, 2:mmap-unlock@faultin_page"})
    void aLongtermGupFastCanDropMmapLockFrom63(String kernel, String result, String site) {
        Injected r = Injected.replay(FAST_LONGTERM, kernel, 1, "mmap-unlock:race=munmap");
        assertEquals(result, r.result(2, "pin_user_pages_fast"), r.jsonl());
        assertEquals(site.isEmpty() ? List.of() : List.of(site), r.sites());
    }

    /** A ring made with CAP_IPC_LOCK: 7.2's io_buffer_account_pin() returns before io_account_mem() (!ctx->user). */
    @ParameterizedTest
    @CsvSource({"5.10, -ENOMEM", "6.12, -ENOMEM", "7.2, 0"})
    void aPrivilegedRingsAccountingIsSkippedIn72(String kernel, String result) {
        Injected r = Injected.replay(String.join("\n",
                "        snapshot-0       [000] .....     0.000000: memlock: pid=4000 rlimit=8388608 cap_ipc_lock=1 uid=0"
                        + " euid=0 suid=0 locked_vm=0 pinned_vm=0",
                "            app-4000    [000] .....   100.000000: mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=private",
                "            app-4000    [000] .....   100.000010: fault: addr=0x7f0000000000 len=0x10000 write=1",
                "            app-4000    [000] .....   100.000100: io_uring_register_buffers: handle=ring1 addr=0x7f0000000000"
                        + " len=0x4000 ret=0", ""), kernel, 1, "enomem:at=io_uring_register_buffers");
        assertEquals(result, r.result(4, "io_uring_register_buffers"), r.jsonl());
    }

    /**
     * Present CMA pages pinned long-term by GUP-fast: 5.10's gup_pte_range() takes them (no is_pinnable_page() check
     * before 5.13), so no migration runs to fail; 6.1 leaves them to the slow path, which migrates them.
     */
    @ParameterizedTest
    @CsvSource({"5.10, 4, ''", "6.1, -ENOMEM, 3:enomem@migrate_pages"})
    void gupFastMigratesPresentCmaPagesFrom513(String kernel, String result, String site) {
        Injected r = Injected.replay(String.join("\n",
                "            app-4000    [000] .....   100.000000: mmap: addr=0x7f0000000000 len=0x10000 prot=rw"
                        + " flags=private zone=cma",
                "            app-4000    [000] .....   100.000010: fault: addr=0x7f0000000000 len=0x4000 write=1",
                "            app-4000    [000] .....   100.000100: pin_user_pages_fast: start=0x7f0000000000 nr_pages=4"
                        + " gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p0 ret=4", ""), kernel, 1, "enomem");
        assertEquals(result, r.result(3, "pin_user_pages_fast"), r.jsonl());
        assertEquals(site.isEmpty() ? List.of() : List.of(site), r.sites());
    }

    /**
     * __get_user_pages() calls faultin_page() per page and retries only the page that dropped mmap_lock (FOLL_TRIED),
     * then goes on with the caller's flags: each of four unfaulted pages is a site, and a munmap in the window of the
     * third leaves a short count of two.
     */
    @ParameterizedTest
    @CsvSource({"1, -EFAULT", "2, 1", "3, 2", "4, 3"})
    void everyFaultedPageIsASite(int nth, String result) {
        String t = String.join("\n",
                "            app-4000    [000] .....   100.000000: mmap: addr=0x7f0000000000 len=0x10000 prot=rw flags=private",
                "            app-4000    [000] .....   100.000100: get_user_pages_fast: start=0x7f0000008000 nr_pages=4"
                        + " gup_flags=FOLL_WRITE handle=p1", "");
        Injected r = Injected.replay(t, "6.12", 1, "mmap-unlock:race=munmap,fail-nth=" + nth);
        assertEquals(result, r.result(2, "get_user_pages_fast"), r.jsonl());
        assertEquals(List.of("2:mmap-unlock@faultin_page"), r.sites());
        assertEquals(4, Injected.replay(t, "6.12", 1, "mmap-unlock").sites().size());
    }
}
