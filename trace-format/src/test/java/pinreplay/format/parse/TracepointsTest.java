package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;
import pinreplay.format.ValueType;

/** The real tracepoints the model uses (include/trace/events/ TP_printk): typed fields and the payload kept verbatim. */
class TracepointsTest {
    private static final long DEV_253_6 = 253L << 32 | 6;

    @Test
    void mmapLockWithMemcgPathFromTheFirstRelease() {
        Parsed.Ev e = Parsed.of(Parsed.sample("a01-mmap-lock-function.txt")).atLine(5);
        assertEquals(EventType.MMAP_LOCK_ACQUIRE_RETURNED, e.type());
        assertEquals(new Parsed.Val(ValueType.PTR, 0x6515cb1fL, null), e.f("mm"));
        assertEquals("/user.slice/user-0.slice/session-2.scope", e.sym("memcg_path"));
        assertEquals(new Parsed.Val(ValueType.BOOL, 0, null), e.f("write"));
        assertEquals(new Parsed.Val(ValueType.BOOL, 1, null), e.f("success"));
        assertEquals("mm=000000006515cb1f memcg_path=/user.slice/user-0.slice/session-2.scope write=false success=true",
                e.raw());
    }

    @Test
    void mmapLockWithMemcgIdPtrvalAndAnExtraKey() {
        Parsed p = Parsed.of(Parsed.sample("layouts.txt"));
        Parsed.Ev id = p.atLine(14);
        assertEquals(new Parsed.Val(ValueType.PTR, 0, null), id.f("mm"), "(____ptrval____) before the RNG is ready");
        assertEquals(7, id.num("memcg_id"));
        assertEquals(1, id.num("write"));
        Parsed.Ev ip = p.atLine(21);
        assertEquals(EventType.MMAP_LOCK_RELEASED, ip.type());
        assertEquals("/user slice/a", ip.sym("memcg_path"), "paths may hold spaces");
        assertEquals("do_user_addr_fault+0x270/0x4d0", ip.sym("ip"));
    }

    /**
     * A payload equal to the last one of its tracepoint takes that one's fields without a scan: the same fields and
     * symbols as a fresh decode, by type (another tracepoint's equal payload is its own), and one byte more or less
     * is decoded afresh; in lenient mode a line refused between them changes nothing.
     */
    @Test
    void aRepeatedPayloadGivesTheSameFieldsAsAFreshDecode() {
        String lock = "mm=000000006515cb1f memcg_path=/a write=false";
        String text = "t-1 [000] ..... 1.000001: mmap_lock_start_locking: " + lock + "\n"
                + "t-1 [000] ..... 1.000002: mmap_lock_start_locking: " + lock + "\n"
                + "t-1 [000] ..... 1.000003: mmap_lock_released: " + lock + "\n"
                + "t-1 [000] ..... 1.000004: mmap_lock_start_locking: " + lock.replace("/a", "/ab") + "\n"
                + "t-1 [000] ..... 1.000005: mmap_lock_start_locking: bad\n"
                + "t-1 [000] ..... 1.000006: mmap_lock_start_locking: " + lock.replace("/a", "/ab") + " ip=x\n"
                + "t-1 [000] ..... 1.000007: mmap_lock_start_locking: " + lock.replace("/a", "/ab") + " ip=x\n";
        Parsed p = Parsed.of(text, true);
        for (int line : new int[] {1, 2, 3}) {
            Parsed.Ev e = p.atLine(line);
            assertEquals("/a", e.sym("memcg_path"), "line " + line);
            assertEquals(new Parsed.Val(ValueType.PTR, 0x6515cb1fL, null), e.f("mm"), "line " + line);
            assertEquals(new Parsed.Val(ValueType.BOOL, 0, null), e.f("write"), "line " + line);
        }
        assertEquals(EventType.MMAP_LOCK_RELEASED, p.atLine(3).type());
        assertEquals("/ab", p.atLine(4).sym("memcg_path"));
        assertEquals(EventType.UNKNOWN, p.atLine(5).type(), "kept as an unknown event");
        for (int line : new int[] {6, 7}) {
            assertEquals("/ab", p.atLine(line).sym("memcg_path"), "line " + line);
            assertEquals("x", p.atLine(line).sym("ip"), "line " + line);
        }
    }

    @Test
    void writebackFolioAndPageEvents() {
        Parsed.Ev page = Parsed.of(Parsed.sample("a04-writeback-4x.txt")).atLine(1);
        assertEquals(EventType.WRITEBACK_DIRTY_PAGE, page.type());
        assertEquals(new Parsed.Val(ValueType.DEVNO, 8L << 32, null), page.f("bdi"));
        assertEquals(new Parsed.Val(ValueType.DEC, 23, null), page.f("ino"));
        assertEquals(0, page.num("index"));
        Parsed p = Parsed.of(Parsed.sample("layouts.txt"));
        assertEquals(EventType.WRITEBACK_DIRTY_FOLIO, p.atLine(10).type());
        assertEquals(1835023, p.atLine(10).num("ino"));
        assertEquals("(unknown)", p.atLine(11).sym("bdi"));
        assertEquals(EventType.WAIT_ON_PAGE_WRITEBACK, p.atLine(11).type());
        assertEquals(EventType.FOLIO_WAIT_WRITEBACK, p.atLine(12).type());
    }

    @Test
    void filemapOldFormatWithPagePointerAndDecimalPfn() {
        Parsed.Ev e = Parsed.of(Parsed.sample("a03-filemap-old-tgid.txt")).atLine(1);
        assertEquals(new Parsed.Val(ValueType.DEVNO, DEV_253_6, null), e.f("dev"));
        assertEquals(new Parsed.Val(ValueType.HEX_BARE, 0x7580, null), e.f("ino"), "ino is %lx");
        assertEquals(new Parsed.Val(ValueType.PTR, 0x60e990c7L, null), e.f("page"));
        assertEquals(new Parsed.Val(ValueType.DEC, 677646, null), e.f("pfn"));
        assertEquals(159744, e.num("ofs"));
    }

    @Test
    void filemapNewFormatWithHexPfnAndOrder() {
        Parsed p = Parsed.of(Parsed.sample("a02-filemap-new.txt"));
        Parsed.Ev e = p.atLine(2);
        assertEquals(EventType.MM_FILEMAP_ADD_TO_PAGE_CACHE, e.type());
        assertEquals(0x13f730, e.num("ino"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0x113bcc, null), e.f("pfn"));
        assertEquals(4096, e.num("ofs"));
        assertEquals(0, e.num("order"));
        assertEquals(EventType.UNKNOWN, p.atLine(3).type(), "mm_filemap_get_pages is not modelled");
        assertEquals(EventType.MM_FILEMAP_DELETE_FROM_PAGE_CACHE,
                Parsed.of(Parsed.sample("layouts.txt")).atLine(9).type());
    }

    @Test
    void processLifecycleEvents() {
        Parsed p = Parsed.of(Parsed.sample("layouts.txt"));
        Parsed.Ev fork = p.atLine(15);
        assertEquals(EventType.SCHED_PROCESS_FORK, fork.type());
        assertEquals("bash", fork.sym("comm"));
        assertEquals(77, fork.num("pid"));
        assertEquals(78, fork.num("child_pid"));
        Parsed.Ev task = p.atLine(16);
        assertEquals(79, task.num("pid"));
        assertEquals("GC Thread#1", task.sym("comm"), "task names may hold spaces");
        assertEquals(new Parsed.Val(ValueType.HEX_BARE, 0x3d0f00, null), task.f("clone_flags"));
        assertEquals(-1000, task.num("oom_score_adj"));
        Parsed.Ev exit = p.atLine(17);
        assertEquals(EventType.SCHED_PROCESS_EXIT, exit.type());
        assertEquals(120, exit.num("prio"));
        assertEquals(new Parsed.Val(ValueType.BOOL, 1, null), exit.f("group_dead"), "a newer kernel's extra key");
    }

    @Test
    void pageFaultUser() {
        Parsed.Ev e = Parsed.of(Parsed.sample("layouts.txt")).atLine(18);
        assertEquals(EventType.PAGE_FAULT_USER, e.type());
        assertEquals(0x7f0000001000L, e.num("address"));
        assertEquals(new Parsed.Val(ValueType.HEX, 6, null), e.f("error_code"));
    }

    @Test
    void aKnownTracepointThatDoesNotDecodeIsUnknownNotAnError() {
        Parsed p = Parsed.of(Parsed.sample("layouts.txt"));
        Parsed.Ev e = p.atLine(19);
        assertEquals(EventType.UNKNOWN, e.type());
        assertEquals("page_fault_user", e.name());
        assertEquals("address=0x7f0000001000 ip=0x55d0c0de1234 error_code=six", e.raw());
        assertEquals(1, e.fields().size(), "no partial fields survive");
        assertEquals(1L, p.stats.unknownEvents().get("page_fault_user"));
        Parsed.Ev mm = Parsed.of("  a-1 [000] .... 1.000001: mmap_lock_released: mm=xyz memcg_path=/ write=false\n")
                .events.get(0);
        assertEquals(EventType.UNKNOWN, mm.type());
    }
}
