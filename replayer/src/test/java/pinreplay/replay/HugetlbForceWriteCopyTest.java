package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * A FOLL_FORCE write (/proc/PID/mem, ptrace) into a read-only private hugetlb mapping, which 5.10 lets through:
 * hugetlb_cow() maps the copy with make_huge_pte(vma, new_page, 1), writable though the VMA has no VM_WRITE, so a
 * later GUP-fast FOLL_WRITE of it succeeds (fuzz-deeper-607 on 5.10.223: an O_DIRECT read into that page, 65536).
 */
class HugetlbForceWriteCopyTest {
    private static Replays replay(String kernel) {
        return Replays.text(Replays.lines("mmap: addr=0x40000000 len=0x200000 prot=r flags=private hugetlb=1",
                "get_user_pages_remote: start=0x40010000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_FORCE handle=f",
                "put_page: handle=f",
                "get_user_pages_fast: start=0x40020000 nr_pages=4 gup_flags=FOLL_WRITE handle=g"), kernel,
                FaultPoints.NONE);
    }

    @Test
    void theForcedCopyIsWritable() {
        Replays r = replay("5.10");
        assertEquals("1", r.result(2), r.jsonl());
        assertEquals("4", r.result(4), "hugetlb_cow()'s writable huge PTE: " + r.jsonl());
    }

    @Test
    void sixOneRefusesTheForcedWrite() {
        Replays r = replay("6.1");
        assertEquals("-EFAULT", r.result(2), r.jsonl());
        assertEquals("-EFAULT", r.result(4), r.jsonl());
    }
}
