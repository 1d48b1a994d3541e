package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pinreplay.format.EventType.DMA_WRITE;
import static pinreplay.format.EventType.GET_USER_PAGES_FAST;
import static pinreplay.format.EventType.IO_URING_REGISTER_BUFFERS;
import static pinreplay.format.EventType.PIN_USER_PAGES;
import static pinreplay.format.EventType.PIN_USER_PAGES_FAST;
import static pinreplay.format.EventType.RDMA_REG_MR;
import static pinreplay.format.EventType.UNPIN_USER_PAGES;

import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.EventType;

/**
 * {@code synth rdma-mr}, {@code io-uring-fixed} and {@code gup-writeback} replayed: long-term pins by
 * backing and release (mm/gup.c check_vma_flags(), io_uring/rsrc.c, gup_longterm.c, mm/page-writeback.c). The model has
 * nothing of RDMA on-demand paging, so every region here is a pinned (non-ODP) one.
 */
class SynthPinUsersReplayTest {
    @ParameterizedTest
    @CsvSource({"on,4.15,1", "off,4.15,2", "on,5.4,3", "off,5.4,4", "on,5.10,5", "off,6.15,6"})
    void rdmaOnFsdaxIsRefusedFromGetUserPagesLongtermOnWhateverTheSharing(String share, String kernel, long seed) {
        Replays r = Replays.synth("rdma-mr", "backing=fsdax,mr-size=4M,share=" + share, seed, 2000, kernel);
        assertEquals(Set.of("-EOPNOTSUPP"), r.results(RDMA_REG_MR), r.jsonl());
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"on,1", "off,2"})
    void rdmaOnFsdaxBeforeV415IsPinned(String share, long seed) {
        Replays r = Replays.synth("rdma-mr", "backing=fsdax,mr-size=4M,share=" + share, seed, 2000, "4.14");
        assertEquals(Set.of("0"), r.results(RDMA_REG_MR));
    }

    @ParameterizedTest
    @CsvSource({"ext4,6.1,1", "xfs,5.10,2", "btrfs,6.4,3"})
    void rdmaOnSharedFileBeforeV65WritesIntoCleanedFolios(String backing, String kernel, long seed) {
        Replays r = Replays.synth("rdma-mr", "mr-size=4M,share=on,writeback-rate=20,backing=" + backing, seed, 3000,
                kernel);
        assertEquals(Set.of("0"), r.results(RDMA_REG_MR));
        assertEquals(Set.of("write-to-clean-folio"), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"ext4,on,6.5,-EFAULT,1", "xfs,on,6.15,-EFAULT,2", "ext4,off,6.5,0,3", "ext4,off,6.1,0,4",
        "anon,off,6.15,0,5", "memfd,on,6.15,0,6", "tmpfs,on,6.5,0,7", "hugetlb,on,6.15,0,8", "devdax,on,6.15,0,9"})
    void rdmaFromV65RefusesOnlySharedWritebackFileMappings(String backing, String share, String kernel, String result,
            long seed) {
        Replays r = Replays.synth("rdma-mr", "mr-size=4M,writeback-rate=20,backing=" + backing + ",share=" + share,
                seed, 3000, kernel);
        assertEquals(Set.of(result), r.results(RDMA_REG_MR), r.jsonl());
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({
        // before 6.5: io_uring's own check refuses every file VMA that is neither shmem nor hugetlbfs
        "ext4,on,6.1,-EOPNOTSUPP", "ext4,off,6.1,-EOPNOTSUPP", "xfs,off,5.10,-EOPNOTSUPP", "devdax,on,6.1,-EOPNOTSUPP",
        "fsdax,on,6.1,-EOPNOTSUPP", "tmpfs,on,6.1,0", "hugetlb,on,6.1,0", "anon,off,5.1,0", "hugetlb,on,5.1,0",
        // shmem is a file too until the vma_is_shmem() exception of 5.14, which the 5.10 LTS got with the io_uring
        // backport (a real Debian 5.10.223 registers memfd and tmpfs buffers)
        "memfd,off,5.9,-EOPNOTSUPP", "tmpfs,on,5.13,-EOPNOTSUPP", "memfd,off,5.10,0", "memfd,off,5.14,0", "tmpfs,on,5.14,0",
        // from 6.5: GUP decides; MAP_PRIVATE files are fine, shared writeback files get -EFAULT, fsdax -EOPNOTSUPP
        "ext4,on,6.5,-EFAULT", "btrfs,on,6.15,-EFAULT", "ext4,off,6.5,0", "xfs,off,6.15,0", "fsdax,off,6.5,-EOPNOTSUPP",
        "tmpfs,on,6.15,0", "hugetlb,on,6.5,0", "devdax,on,6.15,0",
        // no io_uring before 5.1
        "anon,off,5.0,-ENOSYS"})
    void ioUringFixedBuffersFollowIoUringsCheckBeforeV65AndGupsFrom(String backing, String share, String kernel,
            String result) {
        for (long seed = 1; seed <= 2; seed++) {
            Replays r = Replays.synth("io-uring-fixed", "buf-size=256K,backing=" + backing + ",share=" + share, seed,
                    1000, kernel);
            assertEquals(Set.of(result), r.results(IO_URING_REGISTER_BUFFERS), r.jsonl());
            assertEquals(Set.of(), r.kinds());
        }
    }

    @ParameterizedTest
    @CsvSource({"pin_user_pages_fast,6.1,1", "pin_user_pages,5.10,2", "pin_user_pages_remote,6.4,3"})
    void gupWritebackBeforeV65PinsAndTheDeviceWritesIntoCleanedFolios(String call, String kernel, long seed) {
        Replays r = Replays.synth("gup-writeback", "size=4M,call=" + call, seed, 3000, kernel);
        assertEquals(Set.of(">0"), r.results(EventType.valueOf(call.toUpperCase(java.util.Locale.ROOT))));
        assertEquals(Set.of("write-to-clean-folio"), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"pin_user_pages_fast,6.5,1", "pin_user_pages,6.15,2", "pin_user_pages_remote,6.5,3"})
    void gupWritebackFromV65IsRefusedWithEfault(String call, String kernel, long seed) {
        Replays r = Replays.synth("gup-writeback", "size=4M,unpin-after=0.2,call=" + call, seed, 3000, kernel);
        assertEquals(Set.of("-EFAULT"), r.results(EventType.valueOf(call.toUpperCase(java.util.Locale.ROOT))));
        assertEquals(Set.of("-EFAULT"), r.results(DMA_WRITE));
        assertEquals(Set.of("-EINVAL"), r.results(UNPIN_USER_PAGES), "nothing to unpin");
        assertEquals(Set.of(), r.kinds(), "releasing what this kernel refused is not an unbalanced unpin");
    }

    @ParameterizedTest
    @CsvSource({"ext4,off,6.1,1", "xfs,off,6.5,2", "tmpfs,on,6.1,3", "tmpfs,on,6.15,4"})
    void gupWritebackOnPrivateOrShmemMappingsIsFine(String fs, String share, String kernel, long seed) {
        Replays r = Replays.synth("gup-writeback", "size=4M,unpin-after=0.3,fs=" + fs + ",share=" + share, seed, 3000,
                kernel);
        assertEquals(Set.of(">0"), r.results(PIN_USER_PAGES_FAST));
        assertEquals(Set.of("0"), r.results(UNPIN_USER_PAGES));
        assertEquals(Set.of(), r.kinds());
    }

    @ParameterizedTest
    @CsvSource({"6.1,1", "6.4,2"})
    void gupWritebackUnpinStopsTheDeviceFirst(String kernel, long seed) {
        Replays r = Replays.synth("gup-writeback", "size=4M,unpin-after=0.3", seed, 3000, kernel);
        assertEquals(Set.of("0"), r.results(UNPIN_USER_PAGES));
        assertEquals(Set.of("write-to-clean-folio"), r.kinds(), "no DMA after the unpin");
    }

    @ParameterizedTest
    @CsvSource({"6.5", "6.15"})
    void longtermWithoutPinIsInvalidFromIsValidGupArgs(String kernel) {
        Replays r = Replays.synth("gup-writeback", "size=4M,call=get_user_pages_fast", 1, 500, kernel);
        assertEquals(Set.of("-EINVAL"), r.results(GET_USER_PAGES_FAST));
        assertTrue(r.results(PIN_USER_PAGES).isEmpty());
    }
}
