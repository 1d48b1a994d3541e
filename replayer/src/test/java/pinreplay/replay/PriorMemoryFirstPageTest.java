package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * A GUP refused at its first page, over a range the recording itself left a hole in (fuzz-ops' seed 106 on 6.1:
 * an io_uring registration of an fs-DAX mapping with one page unmapped inside it): __get_user_pages() returns an
 * error only when it pinned nothing, so only the first page decided it, and the recording described that page. No
 * memory from before the recording is assumed, and nothing is invented in the hole, where a later madvise() is still
 * -ENOMEM (madvise_walk_vmas()).
 */
class PriorMemoryFirstPageTest {
    private static final String[] TRACE = {
        "file: ino=12 fs=ext4 dax=1 size=65536 dev=259:0",
        "mmap: addr=0x30000000 len=0x10000 prot=rw flags=shared ino=12 pgoff=0",
        "munmap: addr=0x30008000 len=0x1000",
        "pin_user_pages: start=0x30004000 nr_pages=6 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=-EOPNOTSUPP",
        "madvise: addr=0x30006000 len=0x9000 advice=remove ret=-ENOMEM",
        "pin_user_pages: start=0x30008000 nr_pages=5 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=-EFAULT",
    };

    @Test
    void aRefusalAtADescribedFirstPageAssumesNothing() {
        Replays r = Replays.text(Replays.lines(TRACE), "6.1", FaultPoints.NONE);
        assertEquals("-EOPNOTSUPP", r.result(4), r.jsonl());
        assertNull(r.call(4).assumed, "check_vma_flags() refused the fs-DAX VMA the recording mapped");
        assertEquals("-ENOMEM", r.result(5), "the hole munmap() left is still a hole");
        assertNull(r.call(5).assumed);
        assertEquals("-EFAULT", r.result(6));
        assertNull(r.call(6).assumed, "the first page is the hole the recording made");
    }

    /**
     * Registrations io_buffer_validate() refuses before any page is asked for (6.12's iouring-register-errors: a
     * length of 0, one above 1 GiB): nothing is assumed of the memory the recording never described.
     */
    @Test
    void anIovecRefusedByItsArgumentsAssumesNothing() {
        Replays r = Replays.text(Replays.lines(
                "io_uring_register_buffers: handle=ring1 addr=0x7f8bd27cc000 len=0x0 ret=-14",
                "io_uring_register_buffers: handle=ring1 addr=0x7f8bd27cc000 len=0x40000001 ret=-14"), "6.12",
                FaultPoints.NONE);
        assertEquals("-EFAULT", r.result(1), r.jsonl());
        assertNull(r.call(1).assumed, r.jsonl());
        assertEquals("-EFAULT", r.result(2), r.jsonl());
        assertNull(r.call(2).assumed, r.jsonl());
    }

    /**
     * Memory from before the recording moved by mremap() into a range the recording unmapped (mremap-matrix's move to a
     * hole it made): mapped again there, so a pin refused with -EOPNOTSUPP makes it fs-DAX where it now lies.
     */
    @Test
    void memoryMovedIntoARecordedHoleIsMappedThere() {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x40000000 len=0x10000 prot=none flags=private",
                "munmap: addr=0x40000000 len=0x10000",
                "sys_mremap(addr: 30000000, old_len: 4000, new_len: 4000, flags: 3, new_addr: 40000000)",
                "sys_mremap -> 0x40000000",
                "pin_user_pages: start=0x40000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=-EOPNOTSUPP",
                "pin_user_pages: start=0x40000000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM ret=-EOPNOTSUPP"),
                "6.1", FaultPoints.NONE);
        assertEquals("fsdax", r.call(5).assumed, r.jsonl());
        assertEquals("-EOPNOTSUPP", r.result(6), r.jsonl());
        assertNull(r.call(6).assumed, "the same mapping, known now");
    }

    /**
     * The same registration as its native event: io_uring's error may be any VMA's (io_pin_pages()' file check up to
     * 6.4), so fs-DAX is assumed where nobody described the memory, but not in the hole the recording made.
     */
    @Test
    void aNativeRegistrationInventsNothingInARecordedHole() {
        Replays r = Replays.text(Replays.lines(TRACE[0], "mmap: addr=0x30004000 len=0x4000 prot=rw flags=shared ino=12 pgoff=4",
                "munmap: addr=0x30008000 len=0x1000",
                "io_uring_register_buffers: handle=h addr=0x30000000 len=0xa000 ret=-EOPNOTSUPP",
                "madvise: addr=0x30004000 len=0x5000 advice=remove ret=-ENOMEM"), "6.1", FaultPoints.NONE);
        assertEquals("-EOPNOTSUPP", r.result(4), r.jsonl());
        assertEquals("fsdax", r.call(4).assumed, "the first four pages were never described");
        assertEquals("-ENOMEM", r.result(5), r.jsonl());
        assertNull(r.call(5).assumed, "the model's own -ENOMEM: the hole stayed a hole");
    }
}
