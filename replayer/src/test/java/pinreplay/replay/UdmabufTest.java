package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.dev.Registration;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.MemMap;

/**
 * udmabuf (drivers/dma-buf/udmabuf.c): udmabuf_create()'s checks in the kernel's order, memfd_pin_folios()'s one pin
 * per folio (allocating what the memfd lacks), release_udmabuf()'s unpins, both as native events and as a raw
 * recording's kprobes and syscalls show them.
 */
class UdmabufTest {
    private static final String HEADER = "# tracer: nop\n";

    private static Replays nativeCreate(String release, String fs, String args) {
        return Replays.text(HEADER + Replays.lines("file: ino=70 fs=" + fs + " size=0x400000",
                "udmabuf_create: handle=ub ino=70 " + args), release, FaultPoints.NONE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "offset=0x64 size=0x10000 seals=0x2 | -EINVAL", // not page aligned
        "offset=0x0 size=0x0 seals=0x2 | -EINVAL", // empty
        "offset=0x0 size=0x4001000 seals=0x2 | -EINVAL", // above size_limit_mb (64 MiB), before the memfd is looked at
        "offset=0x0 size=0x10000 seals=0x0 | -EINVAL", // no F_SEAL_SHRINK
        "offset=0x0 size=0x10000 seals=0x1 | -EINVAL", // F_SEAL_SEAL only: a memfd made without MFD_ALLOW_SEALING
        "offset=0x0 size=0x10000 seals=0xa | -EINVAL", // F_SEAL_WRITE
        "offset=0x3ff000 size=0x2000 seals=0x2 | -EINVAL", // memfd_pin_folios(): end at or beyond i_size
        "offset=0x0 size=0x10000 seals=0x2 | 0"})
    void createChecksInTheKernelsOrder(String args, String expected) {
        assertEquals(expected, nativeCreate("6.12", "tmpfs", args).result(3));
    }

    @Test
    void aFileOfAnotherFilesystemIsABadFd() {
        Replays r = nativeCreate("6.12", "ext4", "offset=0x0 size=0x10000");
        assertEquals("-EBADFD", r.result(3));
        assertNull(r.call(3).assumed, "no seals are needed to refuse a file that is not shmem or hugetlbfs");
    }

    @ParameterizedTest
    @CsvSource({"6.12.6, 0", "6.12.7, -EINVAL", "6.12, -EINVAL", "6.13, -EINVAL", "7.2, -EINVAL"})
    void futureWriteSealIsRefusedFrom6127And613(String release, String expected) {
        assertEquals(expected, nativeCreate(release, "tmpfs", "offset=0x0 size=0x10000 seals=0x12").result(3));
    }

    @Test
    void beforeMemfdPinFoliosTheCallIsTakenAsRecorded() {
        Replays r = nativeCreate("6.6", "tmpfs", "offset=0x0 size=0x10000 seals=0x2 ret=-22");
        assertEquals("-EINVAL", r.result(3));
        assertNotNull(r.call(3).assumed);
        assertTrue(live(r).isEmpty());
    }

    @Test
    void eachFolioIsPinnedOnceAndReleasedAtTheLastReference() {
        Replays r = Replays.text(HEADER + Replays.lines("file: ino=70 fs=tmpfs size=0x400000",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x10000 seals=0x2 ret=5"), "6.12", FaultPoints.NONE);
        assertEquals("5", r.result(3), "any fd the ioctl returns agrees");
        Registration ub = live(r).get(0);
        assertEquals(16, ub.extents.pages(0));
        long pfn = ub.extents.pfn(0);
        MemMap mem = r.replayer.kernel().memMap;
        assertTrue(mem.maybeDmaPinned(pfn, 16), "memfd_pin_folios() pins what it allocated");

        r = Replays.text(HEADER + Replays.lines("file: ino=70 fs=tmpfs size=0x400000",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x10000 seals=0x2",
                "udmabuf_release: handle=ub", "udmabuf_release: handle=ub"), "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(4));
        assertTrue(live(r).isEmpty());
        assertEquals(List.of("unbalanced-unpin"), r.violationKinds());
    }

    @Test
    void theDmaBufGoesWithTheLastTaskOfItsProcess() {
        Replays r = Replays.text(HEADER + Replays.lines("file: ino=70 fs=tmpfs size=0x400000",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x10000 seals=0x2",
                "sched_process_exit: comm=app pid=100 prio=120 group_dead=true"), "7.2", FaultPoints.NONE);
        assertTrue(live(r).isEmpty(), "exit_files() drops the dma-buf's last reference: release_udmabuf()");
    }

    @Test
    void aHugetlbfsMemfdIsPinnedByWholeHugeFolios() {
        Replays r = Replays.text(HEADER + Replays.lines("file: ino=70 fs=hugetlbfs size=0x400000",
                "udmabuf_create: handle=ub ino=70 offset=0x1ff000 size=0x2000 seals=0x2"), "7.2", FaultPoints.NONE);
        assertEquals("0", r.result(3));
        Registration ub = live(r).get(0);
        assertEquals(1024, ub.extents.pages(0), "the two huge folios the range touches, whole");
    }

    /** check_and_migrate_movable_folios(): pages the memfd already had in ZONE_MOVABLE move before the pins hold them. */
    @Test
    void foliosTheMemfdHadInTheMovableZoneAreMigratedFirst() {
        Replays r = Replays.text(HEADER + Replays.lines("file: ino=70 fs=tmpfs size=0x400000",
                "mmap: addr=0x7f4000000000 len=0x10000 prot=rw flags=shared ino=70 pgoff=0 zone=movable",
                "fault: addr=0x7f4000000000 len=0x10000 write=1",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x20000 seals=0x2"), "6.12", FaultPoints.NONE);
        assertEquals("0", r.result(5), r.jsonl());
        Registration ub = live(r).get(0);
        MemMap mem = r.replayer.kernel().memMap;
        var memfd = r.replayer.kernel().files.named(70);
        for (int i = 0; i < ub.extents.size(); i++) {
            assertTrue(!mem.anyFlag(ub.extents.pfn(i), ub.extents.len(i), pinreplay.replay.mm.PageFlags.MOVABLE),
                    "the pinned folios are out of ZONE_MOVABLE");
        }
        var pc = memfd.pageCache;
        assertEquals(ub.extents.pfn(0), pc.pfnAt(pc.indexOf(0), 0), "the page cache holds the migrated folio");
        assertEquals(32, ub.extents.pages(0));
    }

    @Test
    void punchingTheMemfdUnderTheDmaBufIsReported() {
        Replays r = Replays.text(HEADER + Replays.lines("file: ino=70 fs=tmpfs size=0x400000",
                "udmabuf_create: handle=ub ino=70 offset=0x0 size=0x100000 seals=0x2",
                "mmap: addr=0x7f4000000000 len=0x100000 prot=rw flags=shared ino=70 pgoff=0",
                "fault: addr=0x7f4000000000 len=0x100000 write=1",
                "madvise: addr=0x7f4000000000 len=0x10000 advice=remove"), "6.12", FaultPoints.NONE);
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), r.jsonl());
    }

    /** A raw recording's udmabuf: the memfd from memfd_create() and fcntl(F_ADD_SEALS), the kprobes, the release. */
    private static String rawText(String seals, String size, String ret) {
        return HEADER
                + " t-9 [000] .....  1.000000: sys_memfd_create(uname: 7ffd0000, flags: 2)\n"
                + " t-9 [000] .....  1.000001: sys_memfd_create -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 400000)\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_fcntl(fd: 3, cmd: 409, arg: " + seals + ")\n"
                + " t-9 [000] .....  1.000005: sys_fcntl -> 0x0\n"
                + " t-9 [000] .....  1.000006: sys_ioctl(fd: 4, cmd: 40187542, arg: 7ffd1000)\n"
                + " t-9 [000] .....  1.000007: p_udmabuf_create_0: (udmabuf_create+0x0/0x4d0) flags=0x0 items=1 "
                + "memfd=3 offset=0 size=" + size + "\n"
                + (ret.startsWith("-") ? ""
                : " t-9 [000] .....  1.000008: p_dma_buf_fd_0: (dma_buf_fd+0x0/0x60) dmabuf=0xffff888004aa0000\n")
                + " t-9 [000] .....  1.000009: r_udmabuf_create_0: (udmabuf_ioctl+0x93/0x120 <- udmabuf_create) ret="
                + ret + "\n";
    }

    private static final String RELEASE = " t-9 [000] .....  1.000010: sys_close(fd: 5)\n"
            + " t-9 [000] .....  1.000011: p_release_udmabuf_0: (release_udmabuf+0x0/0x90) dmabuf=0xffff888004aa0000\n"
            + " t-9 [000] .....  1.000012: sys_close -> 0x0\n";

    @Test
    void aRawRecordingIsJudgedFromTheSealsItShowed() {
        String trace = rawText("2", "65536", "5");
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        long ret = lineOf(trace, "r_udmabuf_create_0");
        assertEquals("5", r.result(ret), r.jsonl());
        assertNull(r.call(ret).assumed);
        assertEquals(1, live(r).size(), "the pins stay until the dma-buf's release");

        r = Replays.text(trace + RELEASE, "7.2", FaultPoints.NONE);
        assertTrue(live(r).isEmpty(), "release_udmabuf() of the dma-buf dma_buf_fd() installed unpins it");

        trace = rawText("0", "65536", "-22");
        r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(lineOf(trace, "r_udmabuf_create_0")), "no F_SEAL_SHRINK");
    }

    @Test
    void aListOfMoreThanOneItemIsNotJudged() {
        String trace = HEADER
                + " t-9 [000] .....  1.000007: p_udmabuf_create_0: (udmabuf_create+0x0/0x4d0) flags=0x0 items=2 "
                + "memfd=3 offset=0 size=65536\n"
                + " t-9 [000] .....  1.000009: r_udmabuf_create_0: (udmabuf_ioctl+0x93/0x120 <- udmabuf_create) ret=5\n";
        Replays r = Replays.text(trace, "6.12", FaultPoints.NONE);
        assertTrue(r.results(pinreplay.format.EventType.UDMABUF_CREATE).isEmpty(), r.jsonl());
    }

    @Test
    void aMisalignedItemIsJudgedEvenOnAMemfdFromBeforeTheRecording() {
        String trace = HEADER
                + " t-9 [000] .....  1.000007: p_udmabuf_create_0: (udmabuf_create+0x0/0x4d0) flags=0x0 items=1 "
                + "memfd=3 offset=100 size=65536\n"
                + " t-9 [000] .....  1.000009: r_udmabuf_create_0: (udmabuf_ioctl+0x93/0x120 <- udmabuf_create) ret=-22\n";
        assertEquals("-EINVAL", Replays.text(trace, "6.12", FaultPoints.NONE).result(3));
    }

    /** The 1-based line of {@code trace} holding {@code contains}. */
    private static long lineOf(String trace, String contains) {
        List<String> lines = trace.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(contains)) {
                return i + 1;
            }
        }
        throw new AssertionError(contains);
    }

    private static List<Registration> live(Replays r) {
        return r.replayer.kernel().registrations.live().stream()
                .filter(x -> x.kind == Registration.Kind.UDMABUF).toList();
    }
}
