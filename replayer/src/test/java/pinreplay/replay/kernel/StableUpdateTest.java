package pinreplay.replay.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.Predicate;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Backports pinned to the stable update that carried them (Debian's kernel changelogs list each update's commits),
 * and X.Y, X.Y.0 and a distribution's {@code uname -r} standing for the series as its newest update ships.
 */
class StableUpdateTest {
    private static boolean in(String release, Predicate<Profile> p) {
        return p.test(Profile.of(KernelRelease.parse(release), Policies.NONE));
    }

    /** __bio_release_pages() put fsdax pages with folio_put() from 6.1.75 ('block: Remove special-casing of compound pages'). */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"6.1.74, false", "6.1.75, true", "6.1.176, true", "6.1, true", "6.1.0-50-amd64, true", "6.0, false",
        "6.2, false"})
    void daxWakeupMissedFrom6175(String release, boolean expected) {
        assertEquals(expected, in(release, p -> p.daxWakeupMissed));
    }

    /** 'io_uring/rsrc: disallow multi-source reg buffers' in 5.10.173 and 6.1.16. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.10.172, false", "5.10.173, true", "5.10, true", "5.10.0-32-amd64, true", "6.1.15, false",
        "6.1.16, true", "6.1, true", "6.3, false", "6.4, true", "6.5, false"})
    void multiSourceBuffersRefusedFromTheirUpdates(String release, boolean expected) {
        assertEquals(expected, in(release, p -> p.ioUringSingleSource));
    }

    /** 'io_uring: import 5.15-stable io_uring' in 5.10.162: shmem buffers and 16384-slot tables. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"5.10.161, false", "5.10.162, true", "5.10, true", "5.11, false", "5.13, false", "5.14, true"})
    void the515IoUringFrom510162(String release, boolean expected) {
        assertEquals(expected, in(release, p -> p.ioUringShmem));
        assertEquals(expected || release.equals("5.13"), in(release, p -> p.ioUringSparseBuffers));
    }

    /** 'btrfs: always fallback to buffered write if the inode requires checksum' in 6.12.77 and 6.14. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"6.12.76, false", "6.12.77, true", "6.12.117+deb13-amd64, true", "6.12, true", "6.13, false",
        "6.14, true"})
    void btrfsBufferedDioWritesFrom61277(String release, boolean expected) {
        assertEquals(expected, in(release, p -> p.btrfsDioWriteBuffered));
    }

    /** 'vfio/type1: Use follow_pte()' in 5.10.20, 'vfio/type1: Unpin zero pages' in 5.10.146 and 6.0. */
    @ParameterizedTest(name = "{0} -> {1}, {2}")
    @CsvSource({"5.10.19, false, false", "5.10.20, true, false", "5.10.146, true, true", "5.10, true, true",
        "5.11, false, false", "5.12, true, false", "5.19, true, false", "6.0, true, true"})
    void vfioBackportsTo510(String release, boolean pteWrite, boolean unpinZero) {
        assertEquals(pteWrite, in(release, p -> p.vfioPfnmapWriteCheck));
        assertEquals(unpinZero, in(release, p -> p.vfioUnpinZeroPages));
    }

    /** c8070b787519 in 6.1.130; 'mm/gup: reject FOLL_SPLIT_PMD with hugetlb VMAs' in 6.12.23; 5535be309971 in 5.19.6. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1.129, false, false, true", "6.1.130, true, false, true", "6.1, true, false, true",
        "6.12.22, true, false, true", "6.12.23, true, true, true", "6.12, true, true, true", "6.14, true, false, true",
        "6.15, true, true, false", "5.19.5, false, false, false", "5.19.6, false, false, true", "5.10, false, false, false"})
    void gupBackports(String release, boolean zeroPageNoop, boolean splitPmdHugetlb, boolean hugetlbForceWrite) {
        assertEquals(zeroPageNoop, in(release, p -> p.zeroPagePinNoop));
        assertEquals(splitPmdHugetlb, in(release, p -> p.splitPmdHugetlb));
        assertEquals(hugetlbForceWrite, in(release, p -> p.hugetlbRefusesForceWrite));
    }
}
