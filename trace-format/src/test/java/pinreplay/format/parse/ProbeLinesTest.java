package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.Record;
import pinreplay.format.ValueType;

/** kprobe and kretprobe lines (Documentation/trace/kprobetrace.rst; real 6.1 output). */
class ProbeLinesTest {
    private final Parsed p = Parsed.of(Parsed.sample("probes.txt"));

    @Test
    void kprobeNamedAfterAPinCallIsThatCallWithBareHexArguments() {
        Parsed.Ev e = p.atLine(1);
        assertEquals(EventType.PIN_USER_PAGES, e.type());
        assertTrue(e.bit(Record.B_PROBE));
        assertEquals("pin_user_pages+0x0/0xa0", e.sym("probe"));
        assertFalse(e.fields().containsKey("event_name"), "the event is named after the call");
        assertEquals(new Parsed.Val(ValueType.HEX_BARE, 0x7f3a00000000L, null), e.f("start"));
        assertEquals(new Parsed.Val(ValueType.HEX_BARE, 0x100, null), e.f("nr_pages"));
        assertEquals(new Parsed.Val(ValueType.HEX_BARE, 0x10001, null), e.f("gup_flags"),
                "6.1's WRITE|LONGTERM, kept as a number (appendix C)");
    }

    @Test
    void kprobeOnAPinFunctionUnderAnotherNameKeepsItsName() {
        Parsed.Ev e = p.atLine(2);
        assertEquals(EventType.PIN_USER_PAGES_FAST, e.type());
        assertEquals("p_pin_user_pages_fast_0", e.sym("event_name"));
        assertEquals("pin_user_pages_fast+0x0/0x30 [vendor]", e.sym("probe"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0x7f3a00000000L, null), e.f("start"));
        assertEquals(new Parsed.Val(ValueType.DEC, 64, null), e.f("nr_pages"),
                "next to 0x arguments, bare digits are a u-type's decimal");
    }

    @Test
    void aReturnArrowPrintedAfterTheColumnStillNamesTheFunction() {
        Parsed.Ev e = Parsed.of("  vfio-7 [000] ..... 1.000002: r_pin_user_pages_fast_0: (vfio_pin_pages_remote+0x1a5/0x5d0) "
                + "<- pin_user_pages_fast arg1=0x1\n").events.get(0);
        assertEquals(EventType.KRETPROBE, e.type());
        assertEquals("pin_user_pages_fast", e.sym("func"));
        assertEquals("vfio_pin_pages_remote+0x1a5/0x5d0", e.sym("probe"));
        assertEquals(1, e.num("ret"));
    }

    @Test
    void bareDigitsAreDecimalOnALineThatPrintsHexWith0x() {
        Parsed q = Parsed.of(String.join("\n",
                "  vfio-7 [000] ..... 1.000001: p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x90) "
                        + "mm=0xffff888004a1c000 start=0x7f0000000000 nr_pages=16 gup_flags=0x10001",
                "  vfio-7 [000] ..... 1.000002: r_pin_user_pages_remote_0: (vaddr_get_pfns+0x5f/0x90 "
                        + "<- pin_user_pages_remote) ret=16 where=0x1",
                "  vfio-7 [000] ..... 1.000003: r_pin_user_pages_remote_0: (vaddr_get_pfns+0x5f/0x90 "
                        + "<- pin_user_pages_remote) arg1=0xfffffffffffffff2",
                ""));
        assertEquals(16, q.atLine(1).num("nr_pages"));
        assertEquals(0x10001, q.atLine(1).num("gup_flags"));
        assertEquals(new Parsed.Val(ValueType.DEC, 16, null), q.atLine(2).f("ret"));
        assertEquals(new Parsed.Val(ValueType.ERRNO, -Errno.EFAULT, null), q.atLine(3).f("ret"));
    }

    @Test
    void kretprobeOnAPinFunctionCarriesItsReturnValue() {
        Parsed.Ev e = p.atLine(3);
        assertEquals(EventType.KRETPROBE, e.type());
        assertEquals("pin_user_pages", e.sym("func"));
        assertEquals("r_pin_user_pages_0", e.name());
        assertEquals("io_sqe_buffers_register+0x1f5/0x6a0 <- pin_user_pages", e.sym("probe"));
        assertEquals(new Parsed.Val(ValueType.ERRNO, -Errno.EFAULT, null), e.f("ret"),
                "fffffffffffffff2 is -14 in 64-bit two's complement");
        assertEquals("(io_sqe_buffers_register+0x1f5/0x6a0 <- pin_user_pages) $retval=fffffffffffffff2", e.raw());
    }

    @Test
    void thirtyTwoBitErrnoAndArg1AndExtraArguments() {
        Parsed.Ev e = p.atLine(4);
        assertEquals("pin_user_pages_remote", e.sym("func"));
        assertEquals(new Parsed.Val(ValueType.DEC, -4095, null), e.f("ret"), "fffff001 is -MAX_ERRNO");
        assertEquals(new Parsed.Val(ValueType.HEX_BARE, 1, null), e.f("extra"));
        Parsed.Ev count = p.atLine(5);
        assertEquals("get_user_pages_fast", count.sym("func"));
        assertEquals(new Parsed.Val(ValueType.DEC, 10, null), count.f("ret"),
                "arg1=10 is 10 pages: since 4.17 ftrace prints u- and s-types in decimal");
    }

    @Test
    void bareDigitsAreDecimalAsSince417AndBareHexOnlyWithAHexLetter() {
        Parsed q = Parsed.of("""
                 prog-1 [000] .....  1.000000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=0x7f0000000000 nr_pages=16 gup_flags=0x10001
                 prog-1 [000] .....  1.000001: r_pin_user_pages_fast_0: (io_pin_pages+0x7b/0x130 <- pin_user_pages_fast) ret=64
                 prog-1 [000] .....  1.000002: r_pin_user_pages_fast_0: (io_pin_pages+0x7b/0x130 <- pin_user_pages_fast) ret=-14
                 prog-1 [000] .....  1.000003: r_pin_user_pages_fast_0: (io_pin_pages+0x7b/0x130 <- pin_user_pages_fast) ret=fffffffffffffff2
                 prog-1 [000] .....  1.000004: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) start=139637976727552 nr_pages=16 gup_flags=65537
                """);
        assertEquals(new Parsed.Val(ValueType.DEC, 16, null), q.atLine(1).f("nr_pages"));
        assertEquals(64, q.atLine(2).f("ret").value(), "an s64 return value prints in decimal (ret=64 is not 0x64)");
        assertEquals(-Errno.EFAULT, q.atLine(3).f("ret").value());
        assertEquals(-Errno.EFAULT, q.atLine(4).f("ret").value(), "a bare value with hex letters is old-style hex");
        assertEquals(0x7f0000000000L, q.atLine(5).f("start").value());
        assertEquals(0x10001, q.atLine(5).f("gup_flags").value());
    }

    @Test
    void positionalAndShortArgumentNamesAndOtherFetchargsStillParse() {
        Parsed q = Parsed.of("""
                 prog-1 [000] .....  1.000000: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x90) arg1=0x7f0000000000 arg2=0x10 arg3=0x10001
                 prog-1 [000] .....  1.000001: p_pin_user_pages_remote_0: (pin_user_pages_remote+0x0/0x90) arg1=0xffff8edf02601680 arg2=0x7f0000000000 arg3=0x2 arg4=0x1
                 prog-1 [000] .....  1.000002: gup: (get_user_pages_fast+0x0/0x30) addr=0x7f0000001000 nr=4 flags=0x1
                 prog-1 [000] .....  1.000003: p_pin_user_pages_0: (pin_user_pages+0x0/0x90) pages=0xffff888001234000 vmas=0x0
                """);
        assertEquals(0x7f0000000000L, q.atLine(1).f("start").value());
        assertEquals(16, q.atLine(1).f("nr_pages").value());
        assertEquals(0x7f0000000000L, q.atLine(2).f("start").value(), "arg1 of a _remote call is the mm");
        assertEquals(1, q.atLine(2).f("gup_flags").value());
        assertEquals(EventType.GET_USER_PAGES_FAST, q.atLine(3).type());
        assertEquals(4, q.atLine(3).f("nr_pages").value());
        assertEquals(EventType.UNKNOWN, q.atLine(4).type(), "a probe without the call's arguments is kept, unread");
    }

    @Test
    void probesOnOtherFunctionsAreUnknown() {
        assertEquals(EventType.UNKNOWN, p.atLine(6).type());
        assertEquals("longterm", p.atLine(6).name());
        assertEquals(EventType.UNKNOWN, p.atLine(7).type(), "a return probe without a return value");
        Parsed a5 = Parsed.of(Parsed.sample("a05-kprobe-kretprobe.txt"));
        assertEquals(4, a5.of(EventType.UNKNOWN).size());
        assertEquals("(do_sys_open+0x0/0xd6) dfd=3 filename=7fffd1ec4440 flags=8000 mode=0", a5.atLine(5).raw());
        assertEquals("myretprobe", a5.atLine(6).name());
        assertEquals(1038282_286878_000L, a5.atLine(6).ts(), "a timestamp wider than 5 digits");
        Parsed a13 = Parsed.of(Parsed.sample("a13-fprobe-wprobe.txt"));
        assertEquals("..Zff", a13.atLine(2).flags());
        assertEquals("(lookup_fast+0xaa/0x150) address=0xffff8880044f0fd8 value=0x200080", a13.atLine(2).raw());
    }

    @Test
    void kprobeWithAProbedPinSymbolUnderADefaultName() {
        Parsed.Ev e = Parsed.of("  io-1 [000] .... 1.000001: p_get_user_pages_0: (get_user_pages+0x0/0x40) "
                + "start=1000 nr_pages=1 gup_flags=5\n").events.get(0);
        assertEquals(EventType.GET_USER_PAGES, e.type());
        assertEquals("p_get_user_pages_0", e.sym("event_name"));
        assertEquals(5, e.num("gup_flags"));
    }

    /** A module's hook prints its module in the column (real 6.12 ext4 line); a faulted fetch is left out. */
    @Test
    void anExt4MmapHookCarriesItsInodesModeAndFlags() {
        Parsed q = Parsed.of(String.join("\n",
                "  iouring-matrix-244     (    244) [001] .....    27.746603: p_ext4_file_mmap_0: "
                        + "(ext4_file_mmap+0x4/0xf0 [ext4]) i_mode=0x81a4 i_flags=0x3000",
                "  t-9 [000] ..... 1.000002: p_xfs_file_mmap_prepare_0: (xfs_file_mmap_prepare+0x4/0x110 [xfs]) "
                        + "i_mode=(fault) i_flags=(fault)") + "\n");
        Parsed.Ev e = q.atLine(1);
        assertEquals(EventType.MMAP_HOOK_PROBE, e.type());
        assertEquals("ext4_file_mmap", e.sym("func"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0x81a4, null), e.f("mode"));
        assertEquals(new Parsed.Val(ValueType.HEX, 0x3000, null), e.f("flags"));
        Parsed.Ev faulted = q.atLine(2);
        assertEquals(EventType.MMAP_HOOK_PROBE, faulted.type());
        assertEquals("xfs_file_mmap_prepare", faulted.sym("func"));
        assertFalse(faulted.fields().containsKey("mode") || faulted.fields().containsKey("flags"));
    }

    /** do_prlimit()'s kprobe (real 5.10 lines): the new RLIMIT_MEMLOCK, or a read whose fetches mean nothing. */
    @Test
    void aDoPrlimitProbeCarriesTheNewLimit() {
        Parsed q = Parsed.of(String.join("\n",
                "  memlock-matrix-213     (    213) [001] ....    12.015538: p_do_prlimit_0: (do_prlimit+0x0/0x200) "
                        + "resource=8 new=0xffffada780213ef8 cur=65536 max=262144",
                "  memlock-matrix-213     (    213) [001] ....    12.000575: p_do_prlimit_0: (do_prlimit+0x0/0x200) "
                        + "resource=8 new=0x0 cur=0 max=0") + "\n");
        Parsed.Ev set = q.atLine(1);
        assertEquals(EventType.PRLIMIT_PROBE, set.type());
        assertEquals("do_prlimit", set.sym("func"));
        assertEquals(8, set.num("resource"));
        assertEquals(65536, set.num("rlimit"));
        assertEquals(0xffffada780213ef8L, set.num("addr"));
        assertEquals(0, q.atLine(2).num("addr"));
    }

    /** ib_umem_release()'s kprobe names the umem it releases (as addr). */
    @Test
    void anIbUmemReleaseProbeCarriesItsUmem() {
        Parsed.Ev e = Parsed.of("  rdma-1 [000] .... 1.000001: p_ib_umem_release_0: (ib_umem_release+0x0/0xa0 [ib_uverbs]) "
                + "umem=0xffff8880041c2000\n").events.get(0);
        assertEquals(EventType.UMEM_GET_PROBE, e.type());
        assertEquals("ib_umem_release", e.sym("func"));
        assertEquals(0xffff8880041c2000L, e.num("addr"));
    }

    /**
     * vfio_iommu_type1_ioctl()'s kprobe reads the user's argument struct: a MAP_DMA's vaddr, iova and size, an
     * UNMAP_DMA's iova and size (the u64s at offsets 8, 16, 24); another command carries its cmd alone, a faulted
     * fetch nothing.
     */
    @Test
    void aVfioIoctlProbeCarriesTheMapOrUnmapItsStructDescribes() {
        String p = "  vfio-edu-203 [000] ..... 11.815300: p_vfio_iommu_type1_ioctl_0: (vfio_iommu_type1_ioctl+0x0/0x9a0 "
                + "[vfio_iommu_type1]) ";
        Parsed q = Parsed.of(p + "cmd=15217 flags=0x3 at8=0x7f68ab9e5000 at16=0x100000 at24=0x10000\n"
                + p + "cmd=15218 flags=0x0 at8=0x100000 at16=0x10000 at24=0x0\n"
                + p + "cmd=15216 flags=(fault) at8=(fault) at16=(fault) at24=(fault)\n"
                + p + "cmd=15217 flags=(fault) at8=(fault) at16=(fault) at24=(fault)\n");
        Parsed.Ev map = q.events.get(0);
        assertEquals(EventType.VFIO_IOCTL_PROBE, map.type());
        assertEquals("vfio_iommu_type1_ioctl", map.sym("func"));
        assertEquals(0x3b71, map.num("cmd"));
        assertEquals(3, map.num("flags"));
        assertEquals(0x7f68ab9e5000L, map.num("vaddr"));
        assertEquals(0x100000, map.num("iova"));
        assertEquals(0x10000, map.num("size"));
        Parsed.Ev unmap = q.events.get(1);
        assertEquals(0x3b72, unmap.num("cmd"));
        assertEquals(0x100000, unmap.num("iova"));
        assertEquals(0x10000, unmap.num("size"));
        assertFalse(unmap.fields().containsKey("vaddr"));
        assertEquals(0x3b70, q.events.get(2).num("cmd"));
        assertFalse(q.events.get(2).fields().containsKey("iova"));
        assertFalse(q.events.get(3).fields().containsKey("vaddr"));
        assertFalse(q.events.get(3).fields().containsKey("flags"));
    }

    /** udmabuf's probes as a 7.2 recording prints them: the list head and first item, the dma-buf, and the return. */
    @Test
    void udmabufProbesCarryTheItemTheDmaBufAndTheResult() {
        String t = "         udmabuf-289     (    289) [001] .....    26.86643";
        Parsed q = Parsed.of(t + "3: p_udmabuf_create_0: (udmabuf_create+0x0/0x5e0) flags=0x1 items=1 memfd=4 offset=0 "
                + "size=65536\n"
                + t + "4: p_dma_buf_fd_0: (dma_buf_fd+0x4/0x50) dmabuf=0xffff89de4e5dac00\n"
                + t + "5: r_udmabuf_create_0: (udmabuf_ioctl+0xef/0x190 <- udmabuf_create) ret=-22\n"
                + t + "6: p_release_udmabuf_0: (release_udmabuf+0x4/0x80) dmabuf=0xffff89de4e5dac00\n");
        Parsed.Ev create = q.events.get(0);
        assertEquals(EventType.UDMABUF_PROBE, create.type());
        assertEquals("udmabuf_create", create.sym("func"));
        assertEquals(1, create.num("flags"));
        assertEquals(1, create.num("items"));
        assertEquals(4, create.num("memfd"));
        assertEquals(65536, create.num("size"));
        assertEquals(0xffff89de4e5dac00L, q.events.get(1).num("dmabuf"));
        assertEquals(EventType.KRETPROBE, q.events.get(2).type());
        assertEquals("udmabuf_create", q.events.get(2).sym("func"));
        assertEquals(-Errno.EINVAL, q.events.get(2).num("ret"));
        assertEquals("release_udmabuf", q.events.get(3).sym("func"));
    }

    /**
     * fixup_user_fault()'s probes as a 6.1 recording prints them (fault_in_safe_writeable() calling it): the page, its
     * flags, the return.
     */
    @Test
    void fixupUserFaultProbesCarryTheAddressTheFlagsAndTheResult() {
        String t = "        fuzz-ops-952     (    952) [001] .....   136.6499";
        Parsed q = Parsed.of(t + "65: p_fixup_user_fault_0: (fixup_user_fault+0x0/0x1a0) address=0x7f4372007000 "
                + "fault_flags=0x1\n"
                + t + "70: r_fixup_user_fault_0: (fault_in_safe_writeable+0x9c/0x120 <- fixup_user_fault) ret=0\n"
                + t + "75: r_fixup_user_fault_0: (fault_in_safe_writeable+0x9c/0x120 <- fixup_user_fault) ret=-14\n");
        Parsed.Ev entry = q.events.get(0);
        assertEquals(EventType.FIXUP_FAULT_PROBE, entry.type());
        assertEquals("fixup_user_fault", entry.sym("func"));
        assertEquals(0x7f4372007000L, entry.num("address"));
        assertEquals(1, entry.num("flags"));
        assertEquals(EventType.KRETPROBE, q.events.get(1).type());
        assertEquals("fixup_user_fault", q.events.get(1).sym("func"));
        assertEquals(0, q.events.get(1).num("ret"));
        assertEquals(-Errno.EFAULT, q.events.get(2).num("ret"));
    }
}
