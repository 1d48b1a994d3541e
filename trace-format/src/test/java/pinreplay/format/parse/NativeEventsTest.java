package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.Foll;
import pinreplay.format.Record;
import pinreplay.format.ValueType;

/** The native vocabulary (contract section 2): every event type, value types and radix, markers. */
class NativeEventsTest {

    @Test
    void everyNativeEventTypeParses() {
        Parsed p = Parsed.of(Parsed.sample("native.txt"));
        Set<EventType> seen = EnumSet.noneOf(EventType.class);
        p.events.forEach(e -> seen.add(e.type()));
        for (EventType t : EventType.values()) {
            if (t.isNative()) {
                assertTrue(seen.contains(t), t + " missing from native.txt");
            }
        }
        assertEquals(0, p.stats.malformed());
    }

    @Test
    void madviseCarriesItsAdviceAsAWordEvenWhenANumber() {
        Parsed.Ev named = Parsed.of(Parsed.sample("native.txt")).atLine(47);
        assertEquals(EventType.MADVISE, named.type());
        assertEquals("dontneed", named.sym("advice"));
        assertEquals(0x200000L, named.num("len"));
        Parsed.Ev numbered = Parsed.of("  app-1 [000] .... 1.000001: madvise: addr=0x1000 len=4096 advice=77 ret=-EINVAL\n")
                .events.get(0);
        assertEquals("77", numbered.sym("advice"));
    }

    @Test
    void aNullAddressPrintedByPercentPIsZero() {
        Parsed.Ev e = Parsed.of("  app-1 [000] .... 1.000001: process_vm_readv: pid=1 addr=(nil) len=0x1000 ret=-14\n")
                .events.get(0);
        assertEquals(EventType.PROCESS_VM_READV, e.type());
        assertEquals(new Parsed.Val(ValueType.HEX, 0, null), e.f("addr"));
    }

    @Test
    void contractExampleDecodesWithItsRadix() {
        Parsed.Ev e = Parsed.of("        qemu-kvm-4242    [001] .....   100.000100: vfio_dma_map: handle=vfio0 "
                + "vaddr=0x7f0000000000 iova=0x0 size=0x40000000 prot=rw\n").events.get(0);
        assertEquals(EventType.VFIO_DMA_MAP, e.type());
        assertEquals(1, e.line());
        assertEquals("qemu-kvm", e.comm());
        assertEquals(4242, e.pid());
        assertEquals(1, e.cpu());
        assertEquals(100_000_100_000L, e.ts());
        assertEquals("vfio0", e.sym("handle"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0x7f0000000000L, null), e.f("vaddr"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0, null), e.f("iova"));
        assertEquals(0x40000000L, e.num("size"));
        assertEquals("rw", e.sym("prot"));
    }

    @Test
    void decimalHexErrnoFollAndWordValues() {
        Parsed p = Parsed.of(Parsed.sample("native.txt"));
        Parsed.Ev mmap = p.atLine(14);
        assertEquals(ValueType.HEX, mmap.f("len").type());
        assertEquals(new Parsed.Val(ValueType.DEC, 0, null), mmap.f("pgoff"));
        assertEquals("shared", mmap.sym("flags"));
        assertEquals(new Parsed.Val(ValueType.DEC, 4096, null), p.atLine(15).f("len"));

        Parsed.Ev gup = p.atLine(29);
        assertEquals(new Parsed.Val(ValueType.FOLL, Foll.WRITE | Foll.FORCE, null), gup.f("gup_flags"));
        assertEquals(901, gup.num("mm"));
        assertEquals(new Parsed.Val(ValueType.FOLL, Foll.WRITE | Foll.LONGTERM, null), p.atLine(31).f("gup_flags"));
        assertEquals(new Parsed.Val(ValueType.ERRNO, -Errno.EOPNOTSUPP, null), p.atLine(31).f("ret"));
        assertEquals(new Parsed.Val(ValueType.DEC, -14, null), p.atLine(32).f("ret"), "a numeric errno stays a number");
        assertEquals(new Parsed.Val(ValueType.HEX, 1, null), p.atLine(28).f("gup_flags"));
        assertEquals(new Parsed.Val(ValueType.DEC, 0x10001, null), p.atLine(33).f("gup_flags"),
                "a numeric gup_flags is kept as printed; the replayer decodes it per release");
        assertEquals("punch_hole", p.atLine(24).sym("mode"));
        assertEquals("read", p.atLine(40).sym("rw"));
        assertEquals(0, p.atLine(41).num("offset"), "dma_read addresses by offset");
    }

    /** 5.10's include/linux/mm.h names FOLL_POPULATE (0x40) and FOLL_NUMA (0x200) too. */
    @Test
    void theFiveTenFlagNamesAndValues() {
        assertEquals(Foll.POPULATE | Foll.NUMA | Foll.WRITE, Foll.Layout.LEGACY.decode(0x241));
        byte[] n = "FOLL_NUMA".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(Foll.NUMA, Foll.bit(n, 0, n.length));
        assertEquals("FOLL_WRITE|FOLL_POPULATE", Foll.names(Foll.WRITE | Foll.POPULATE));
    }

    @Test
    void handlesAndEnumerationsAreWordsEvenWhenNumeric() {
        Parsed.Ev e = Parsed.of("  a-1 [000] .... 1.000001: rdma_reg_mr: handle=7 addr=0x1000 len=4096 access=1\n")
                .events.get(0);
        assertEquals("7", e.sym("handle"));
        assertEquals("1", e.sym("access"));
    }

    @Test
    void unknownKeysAreKeptWithTheirType() {
        Parsed.Ev e = Parsed.of(Parsed.sample("native.txt")).atLine(43);
        assertEquals("blue", e.sym("colour"));
        assertEquals(new Parsed.Val(ValueType.DEC, -3, null), e.f("weight"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0x10, null), e.f("hint"));
        assertEquals(new Parsed.Val(ValueType.BOOL, 1, null), e.f("sure"));
    }

    @Test
    void traceMarkerCarriesTheSameNativeEvent() {
        Parsed p = Parsed.of(Parsed.sample("native.txt"));
        Parsed.Ev marked = p.atLine(43);
        assertEquals(EventType.VFIO_DMA_MAP, marked.type());
        assertTrue(marked.bit(Record.B_MARKER));
        assertEquals("vfio1", marked.sym("handle"));
        assertEquals(0x100000, marked.num("iova"));
        assertFalse(p.atLine(16).bit(Record.B_MARKER));

        Parsed.Ev text = p.atLine(44);
        assertEquals(EventType.UNKNOWN, text.type());
        assertEquals("tracing_mark_write", text.name());
        assertEquals("checkpoint reached", text.raw());
        assertEquals(1L, p.stats.unknownEvents().get("tracing_mark_write"));
    }

    @Test
    void markerNamingATracepointIsJustText() {
        Parsed.Ev e = Parsed.of("  a-1 [000] .... 1.000001: tracing_mark_write: mmap_lock_released: mm=0 write=x\n")
                .events.get(0);
        assertEquals(EventType.UNKNOWN, e.type());
        assertEquals("mmap_lock_released: mm=0 write=x", e.raw());
    }

    @Test
    void extraSpacesBetweenFieldsAreTolerated() {
        Parsed.Ev e = Parsed.of("  a-1 [000] .... 1.000001: munmap:  addr=0x1000   len=4096  \n").events.get(0);
        assertEquals(0x1000, e.num("addr"));
        assertEquals(4096, e.num("len"));
    }

    /** A memlock line (the snapshot's, or a program's marker): RLIMIT_MEMLOCK in bytes or unlimited, ids and counters. */
    @Test
    void aMemlockLineCarriesTheChargesInputs() {
        Parsed q = Parsed.of(String.join("\n",
                "        snapshot-0       [000] .....     0.000000: memlock: pid=176 rlimit=65536 cap_ipc_lock=1 uid=0 "
                        + "euid=0 suid=0 locked_vm=0 pinned_vm=3",
                "  t-9 [000] .... 1.000000: tracing_mark_write: memlock: pid=9 rlimit=unlimited user_locked_vm=12",
                "  t-9 [000] .... 1.000001: memlock: rlimit=65536",
                "  t-9 [000] .... 1.000002: memlock: pid=9 uid=root") + "\n", true);
        Parsed.Ev e = q.atLine(1);
        assertEquals(EventType.MEMLOCK, e.type());
        assertEquals(176, e.num("pid"));
        assertEquals(65536, e.num("rlimit"));
        assertEquals(1, e.num("cap_ipc_lock"));
        assertEquals(3, e.num("pinned_vm"));
        Parsed.Ev m = q.atLine(2);
        assertTrue(m.bit(Record.B_MARKER));
        assertEquals("unlimited", m.sym("rlimit"));
        assertEquals(12, m.num("user_locked_vm"));
        assertEquals(2, q.stats.malformed(), "no pid=, a uid that is no number");
    }
}
