package pinreplay.replay.kernel;

import pinreplay.format.Errno;
import pinreplay.format.Foll;

/**
 * Every rule variant of one kernel release, resolved once at load from the {@link Rules} registry and
 * the {@link Policies}; the model's rules read these fields and never compare releases themselves.
 */
public final class Profile {
    /** x86-64's page, and btrfs's block on it (mkfs.btrfs's default sectorsize). */
    private static final long PAGE_SIZE = 4096;
    /** btrfs_buffered_write()'s nrptrs for a task the dirty throttle has not slowed (nr_dirtied_pause), before 6.15. */
    private static final long BTRFS_NRPTRS = 32;
    /** BTRFS_MAX_BLOCKS_PER_FOLIO without CONFIG_BTRFS_EXPERIMENTAL: BITS_PER_LONG. */
    private static final long BTRFS_BLOCKS_PER_FOLIO = 64;

    public final KernelRelease release;
    public final Policies policies;

    public final Foll.Layout follLayout;
    public final boolean isValidGupArgs;
    /** A FOLL_LONGTERM GUP-fast's slow path may drop mmap_lock in a fault (6.3+); before, locked == NULL. */
    public final boolean gupLongtermUnlockable;
    public final boolean gupFastFlags;
    public final boolean isValidGupFlags;
    public final boolean follNofault;
    /** follow_hugetlb_page(): a hugetlb VMA's missing page is faulted in despite FOLL_NOFAULT (5.16 to 6.4). */
    public final boolean hugetlbGupFaultsNofault;
    public final PinCounting pinCounting;
    public final boolean zeroPagePinNoop;
    /** pin_user_pages_fast(): flags is_valid_gup_args() refuses give 0, not -EINVAL (6.3 to 6.4.9). */
    public final boolean pinFastBadArgsZero;
    /** gup_fast_pte_range(): a devmap PTE under FOLL_LONGTERM goes to the slow path (until 6.17). */
    public final boolean gupFastDevmap;
    /** folio_is_longterm_pinnable() refuses fsdax folios (6.17+). */
    public final boolean fsdaxNotLongtermPinnable;
    public final boolean getUserPagesLongtermApi;
    public final LongtermFsdax longtermFsdax;
    public final boolean splitPmdHugetlb;
    public final boolean hugetlbRefusesForceWrite;
    /** hugetlb_cow()/hugetlb_wp() map a written copy writable without VM_WRITE ({@link Rules#HUGETLB_WP_WRITABLE}). */
    public final boolean hugetlbWpWritable;
    public final boolean reliableRoLongterm;
    /** copy_present_page(): fork() copies a maybe-pinned anonymous page for the child (5.9+). */
    public final boolean forkCopiesPinned;
    /** hugetlb_no_page(): a cached folio is mapped beyond i_size, only a missing one is VM_FAULT_SIGBUS (6.1+). */
    public final boolean hugetlbNoPageCacheFirst;
    /** hugetlbfs_punch_hole(): the write seals refuse a punch holding no whole huge page too (6.0+). */
    public final boolean hugetlbPunchSealsFirst;
    /** copy_hugetlb_page_range(): fork() copies a maybe-pinned private hugetlb page for the child (5.12+). */
    public final boolean forkCopiesPinnedHugetlb;
    /** hugetlb_install_page(): that copy is mapped writable in a read-only VMA too (5.12 until 7.0). */
    public final boolean hugetlbForkCopyWritable;
    /** do_wp_page(): when a write fault may reuse a write-protected anonymous page. */
    public final WpReuse wpReuse;
    /** do_huge_pmd_wp_page()'s test for reusing a PMD-mapped THP. */
    public final WpReuse thpWpReuse;
    /** Which private anonymous ranges get transparent huge pages: "always", "madvise" or "never" (policy thp). */
    public final String thp;
    public final boolean writableFileMappingCheck;
    public final boolean gupFastFolioAllowed;
    public final boolean secretmem;
    /** secretmem_mmap() sets VM_LOCKED ({@link Rules#SECRETMEM_VM_LOCKED}). */
    public final boolean secretmemLocked;
    /** secretmem_fault() charges RLIMIT_MEMLOCK ({@link Rules#SECRETMEM_FAULT_ACCOUNT}); never with VM_LOCKED. */
    public final boolean secretmemAccountsFaults;
    public final LongtermMigration longtermMigration;
    public final DaxTruncate daxTruncateXfs;
    public final DaxTruncate daxTruncateExt4;
    /** A policy {@code dax-truncate} applied to every filesystem, or null. */
    public final DaxTruncate daxTruncateOverride;
    public final int daxIdleRefcount;
    /** dax_layout_busy_page_range() finds nothing busy in a file no VMA maps (mapping_mapped(), until 6.15). */
    public final boolean daxBusySkipsUnmapped;
    /**
     * ext4_fallocate() breaks the layouts before every mode but allocation, ahead of the mode's own checks (6.15+,
     * 6.12.41+); before, ext4_punch_hole(), ext4_zero_range(), ext4_collapse_range(), ext4_insert_range() each broke
     * them after their checks.
     */
    public final boolean ext4FallocateBreaksFirst;
    /** vfs_fallocate(): modes are exclusive, every other combination -EOPNOTSUPP (6.12+); before, a test per flag. */
    public final boolean fallocateExclusiveModes;
    /** mremap(): vma_lookup() and the hugetlb checks before mremap_to() unmaps (5.16+); before, none. */
    public final boolean mremapLookupFirst;
    /** do_mremap(): check_prep_vma() before mremap_to() unmaps (6.17+): a failed MREMAP_FIXED call unmapped nothing. */
    public final boolean mremapChecksFirst;
    /** vfs_fallocate(): FALLOC_FL_WRITE_ZEROES is a mode (6.17+). */
    public final boolean fallocWriteZeroes;
    /** O_DIRECT completion releases fsdax pages without wake_up_var() (6.1.y __bio_release_pages()). */
    public final boolean daxWakeupMissed;
    public final boolean vfioLongterm;
    public final VfioPfnmap vfioPfnmap;
    /** follow_fault_pfn() refuses a write through a present read-only PFNMAP PTE (5.12+). */
    public final boolean vfioPfnmapWriteCheck;
    /** vaddr_get_pfns(): the zero pages a map pinned are unpinned at once (6.0+, 5.10.146+); before, their pins leak. */
    public final boolean vfioUnpinZeroPages;
    /** vfio_dma_do_unmap(): a task of another mm unmaps nothing (until 6.0). */
    public final boolean vfioUnmapSameMm;
    /** vfio_dma_do_map(), vfio_dma_do_unmap(): a wrapping range is -EOVERFLOW (6.18+), -EINVAL before. */
    public final boolean vfioDmaOverflow;
    public final long memlockBytes;
    public final boolean ioUring;
    public final boolean ioUringPinFast;
    public final boolean ioUringFileCheck;
    public final boolean ioUringShmem;
    /** io_uring refuses a buffer whose pages come from more than one source (-EINVAL). */
    public final boolean ioUringSingleSource;
    /** __io_uring_register(): IORING_REGISTER_BUFFERS with a NULL arg is -EFAULT before any other check (6.1+). */
    public final boolean ioUringRegisterNullArg;
    /** io_uring_register()'s opcode bit 31 names a registered ring (6.3+); before, the opcode is invalid. */
    public final boolean ioUringRegisteredRing;
    /** io_sqe_buffers_register(): the most iovecs one registration takes (IORING_MAX_REG_BUFFERS, else UIO_MAXIOV). */
    public final long ioUringMaxRegBuffers;
    /** io_buffer_validate(): an iovec {NULL, 0} is an empty slot, not -EFAULT (5.13+, 5.10.y). */
    public final boolean ioUringSparseBuffers;
    /** io_validate_user_buf_range(): the longest buffer, and the errno beyond it (1 GiB -EFAULT; 1 TiB -EINVAL in 7.2). */
    public final long ioUringBufferMax;
    public final int ioUringBufferTooLong;
    /** io_account_mem(): a ring made with CAP_IPC_LOCK (no ctx->user) still charges ctx->mm_account->pinned_vm (until 7.2). */
    public final boolean ioUringCapablePinnedVm;
    /** memfd_add_seals(): F_SEAL_EXEC is a seal (6.3+). */
    public final boolean memfdSealExec;
    /** udmabuf_create() pins the memfd's folios with memfd_pin_folios() (6.11+); before, udmabuf is not modelled. */
    public final boolean udmabufPins;
    /** mmap_udmabuf(): a dma-buf's mapping is VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP (6.11+); before, a plain one. */
    public final boolean udmabufMmapPfnmap;
    /** check_memfd_seals(): F_SEAL_FUTURE_WRITE refused as F_SEAL_WRITE is (6.13+, 6.12.7+). */
    public final boolean udmabufDeniesFutureWrite;
    public final RdmaPin rdmaPin;
    public final boolean rdmaForceWrite;
    public final boolean dioFollPin;
    /** __iomap_dio_rw(): a read across i_size zeroes the buffer past the last block (5.15+). */
    public final boolean dioZeroPastEof;
    /** io_complete_rw(): an io_uring read or write posts its CQE from the submitter's task work (5.10.162+). */
    public final boolean ioUringRwCqeInTask;
    /** extent_writepage(): btrfs refuses a folio dirtied behind its back, -EUCLEAN (6.12, CONFIG_BTRFS_EXPERIMENTAL). */
    public final boolean btrfsRejectsOutOfBandDirty;
    /** A tmpfs or memfd file opens with O_DIRECT (6.6+). */
    public final boolean shmemDirectIo;
    /** btrfs_direct_read(): a read GUP got only in part returns the bytes before the gap (IOMAP_DIO_PARTIAL, 5.16+). */
    public final boolean btrfsDioPartialRead;
    /** btrfs_direct_read()/btrfs_direct_write(): the first GUP of the buffer is FOLL_NOFAULT, then fault in, retry (5.16+). */
    public final boolean btrfsDioNofault;
    /** __copy_user_nocache(): an fs-DAX write that faults keeps the destination's whole 8-byte words (6.4+). */
    public final boolean daxCopyWholeWords;
    /** btrfs_direct_write(): a write to a checksummed file goes through the page cache (6.14+, 6.12.y). */
    public final boolean btrfsDioWriteBuffered;
    /**
     * btrfs_buffered_write(): the bytes faulted in and copied at a time, and the alignment of their chunks in the file:
     * nrptrs pages from the write's position before 6.15; one folio of the mapping's largest size from 6.15 (a page,
     * 256 KiB with large data folios).
     */
    public final long btrfsWriteChunk;
    public final long btrfsWriteChunkAlign;
    /** madvise_behavior_valid(): MADV_POPULATE_READ/WRITE (5.14+). */
    public final boolean madvPopulate;
    /** madvise_behavior_valid(): MADV_DONTNEED_LOCKED (5.18+). */
    public final boolean madvDontneedLocked;
    /** madvise_dontneed_free_valid_vma(): MADV_DONTNEED on hugetlb (5.18+). */
    public final boolean madvDontneedHugetlb;
    /** madvise_behavior_valid(): MADV_COLLAPSE (6.1+). */
    public final boolean madvCollapse;
    /** change_pte_range(): mprotect() to write makes exclusive anonymous dirty PTEs writable (6.0+). */
    public final boolean mprotectTryWritable;
    /** mprotect_fixup(): an mseal()ed VMA is -EPERM there, those before it changed (6.12+; 6.10 checks the range first). */
    public final boolean mprotectSealPerVma;
    /** madvise_populate() through faultin_page_range(): stops at the first hole (6.9+). */
    public final boolean madvPopulateStopsAtHole;
    /** madvise_behavior_valid(): MADV_GUARD_INSTALL/REMOVE (6.13+). */
    public final boolean madvGuard;
    /** is_valid_guard_vma(): file-backed and read-only mappings allowed (6.15+). */
    public final boolean madvGuardFile;
    /** xfs_flush_unmap_range() takes a large folio it covers in part out whole, with its guard markers (6.18). */
    public final boolean xfsFlushUnmapWholeFolio;
    /**
     * 'mm: drop the assumption that VM_SHARED always implies writable' (6.7; 6.1.y, 5.10.241): madvise_remove() needs
     * VM_SHARED|VM_MAYWRITE instead of VM_SHARED|VM_WRITE, and a read-only MAP_SHARED of an F_SEAL_WRITE memfd maps.
     */
    public final boolean sharedMaywrite;
    /** MADV_DOFORK: -EINVAL for a VMA that cannot merge (VM_SPECIAL, hugetlb) instead of VM_IO only (7.0+). */
    public final boolean madvDoforkCanMerge;
    /** The file's ->mmap() tests F_SEAL_FUTURE_WRITE, after mmap_region() unmapped the range (until 6.11). */
    public final boolean futureWriteSealAfterUnmap;
    /** mapping_map_writable() refuses an F_SEAL_WRITE memfd after mmap_region() unmapped the range (until 6.11, 6.1.118). */
    public final boolean writeSealAfterUnmap;

    private Profile(KernelRelease r, Policies p) {
        release = r;
        policies = p;
        follLayout = Rules.FOLL_MODERN_LAYOUT.activeIn(r) ? Foll.Layout.MODERN : Foll.Layout.LEGACY;
        isValidGupArgs = Rules.IS_VALID_GUP_ARGS.activeIn(r);
        gupLongtermUnlockable = Rules.GUP_LONGTERM_UNLOCKABLE.activeIn(r);
        gupFastFlags = Rules.GUP_FAST_FLAGS.activeIn(r);
        isValidGupFlags = Rules.IS_VALID_GUP_FLAGS.activeIn(r);
        follNofault = Rules.FOLL_NOFAULT.activeIn(r);
        hugetlbGupFaultsNofault = Rules.HUGETLB_GUP_FAULTS_NOFAULT.activeIn(r);
        pinCounting = !Rules.PIN_USER_PAGES.activeIn(r) ? PinCounting.NO_PIN_API
                : Rules.PIN_COUNTING_BIAS.activeIn(r) ? PinCounting.BIAS : PinCounting.REFERENCE;
        zeroPagePinNoop = Rules.ZERO_PAGE_PIN_NOOP.activeIn(r) || Rules.ZERO_PAGE_PIN_NOOP_61_STABLE.activeIn(r);
        pinFastBadArgsZero = Rules.PIN_FAST_BAD_ARGS_ZERO.activeIn(r);
        getUserPagesLongtermApi = Rules.GET_USER_PAGES_LONGTERM.activeIn(r);
        gupFastDevmap = Rules.GUP_FAST_DEVMAP.activeIn(r);
        fsdaxNotLongtermPinnable = Rules.LONGTERM_PINNABLE_FSDAX.activeIn(r);
        splitPmdHugetlb = Rules.SPLIT_PMD_HUGETLB.activeIn(r) || Rules.SPLIT_PMD_HUGETLB_612_STABLE.activeIn(r);
        hugetlbRefusesForceWrite = Rules.HUGETLB_FORCE_WRITE.activeIn(r) || Rules.HUGETLB_FORCE_WRITE_519_STABLE.activeIn(r);
        hugetlbWpWritable = Rules.HUGETLB_WP_WRITABLE.activeIn(r);

        LongtermFsdax fsdax = Rules.LONGTERM_FSDAX_BEFORE_PIN.activeIn(r) ? LongtermFsdax.BEFORE_PIN
                : r.asShipped().atLeast(Rules.GET_USER_PAGES_LONGTERM.since()) ? LongtermFsdax.AFTER_PIN : LongtermFsdax.ALLOW;
        String lf = p.get("longterm-fsdax");
        if ("allow".equals(lf)) {
            fsdax = LongtermFsdax.ALLOW;
        } else if ("reject".equals(lf)) {
            fsdax = fsdax == LongtermFsdax.ALLOW ? LongtermFsdax.BEFORE_PIN : fsdax;
        }
        longtermFsdax = fsdax;
        // Before 4.16 vfio pinned with get_user_pages_fast(); rejecting fsdax means pinning long-term.
        vfioLongterm = Rules.VFIO_FSDAX.activeIn(r) || "reject".equals(lf);

        reliableRoLongterm = Rules.RELIABLE_RO_LONGTERM.activeIn(r);
        forkCopiesPinned = Rules.FORK_EARLY_COW.activeIn(r);
        hugetlbNoPageCacheFirst = Rules.HUGETLB_NO_PAGE_CACHE_FIRST.activeIn(r);
        hugetlbPunchSealsFirst = Rules.HUGETLB_PUNCH_SEALS_FIRST.activeIn(r);
        forkCopiesPinnedHugetlb = Rules.FORK_EARLY_COW_HUGETLB.activeIn(r);
        hugetlbForkCopyWritable = Rules.HUGETLB_FORK_COPY_WRITABLE.activeIn(r);
        wpReuse = Rules.ANON_EXCLUSIVE.activeIn(r) ? WpReuse.EXCLUSIVE
                : Rules.WP_REUSE_REFCOUNT.activeIn(r) ? WpReuse.REFCOUNT : WpReuse.MAPCOUNT;
        thpWpReuse = Rules.ANON_EXCLUSIVE.activeIn(r) ? WpReuse.EXCLUSIVE
                : Rules.THP_WP_MAPCOUNT.activeIn(r) ? WpReuse.MAPCOUNT : WpReuse.REFCOUNT;
        thp = p.get("thp") == null ? "always" : p.get("thp");
        String fw = p.get("longterm-file-write");
        writableFileMappingCheck = fw == null ? Rules.WRITABLE_FILE_MAPPING.activeIn(r) : "reject".equals(fw);
        gupFastFolioAllowed = Rules.GUP_FAST_FOLIO_ALLOWED.activeIn(r);
        secretmem = Rules.SECRETMEM.activeIn(r);
        secretmemLocked = Rules.SECRETMEM_VM_LOCKED.activeIn(r) || Rules.SECRETMEM_VM_LOCKED_618.activeIn(r);
        secretmemAccountsFaults = Rules.SECRETMEM_FAULT_ACCOUNT.activeIn(r) && !secretmemLocked;
        longtermMigration = Rules.LONGTERM_MIGRATE_MOVABLE.activeIn(r) ? LongtermMigration.MOVABLE_OR_ENOMEM
                : Rules.LONGTERM_MIGRATE_CMA_ENOMEM_510_STABLE.activeIn(r) ? LongtermMigration.CMA_OR_ENOMEM
                : Rules.LONGTERM_MIGRATE_CMA.activeIn(r) ? LongtermMigration.CMA_PIN_ON_FAILURE
                : LongtermMigration.NONE;

        daxTruncateXfs = Rules.XFS_BREAK_LAYOUTS.activeIn(r) ? DaxTruncate.WAIT : DaxTruncate.NONE;
        daxTruncateExt4 = Rules.EXT4_BREAK_LAYOUTS.activeIn(r) ? DaxTruncate.WAIT : DaxTruncate.NONE;
        String dt = p.get("dax-truncate");
        daxTruncateOverride = dt == null ? null : DaxTruncate.valueOf(dt.toUpperCase(java.util.Locale.ROOT));
        daxIdleRefcount = Rules.DAX_IDLE_AT_ZERO.activeIn(r) ? 0 : 1;
        String bu = p.get("dax-busy-unmapped");
        daxBusySkipsUnmapped = bu == null ? Rules.DAX_BUSY_UNMAPPED.activeIn(r) : "skip".equals(bu);
        ext4FallocateBreaksFirst = Rules.EXT4_FALLOCATE_BREAKS_FIRST.activeIn(r)
                || Rules.EXT4_FALLOCATE_BREAKS_FIRST_612_STABLE.activeIn(r);
        fallocateExclusiveModes = Rules.FALLOCATE_MODE_SWITCH.activeIn(r);
        mremapLookupFirst = Rules.MREMAP_LOOKUP_FIRST.activeIn(r);
        mremapChecksFirst = Rules.MREMAP_CHECKS_FIRST.activeIn(r);
        fallocWriteZeroes = Rules.FALLOC_WRITE_ZEROES.activeIn(r);
        String dw = p.get("dax-truncate-wakeup");
        daxWakeupMissed = dw == null ? Rules.BIO_RELEASE_DAX_WAKEUP.activeIn(r) : "missed".equals(dw);

        VfioPfnmap pfnmap = Rules.VFIO_FOLLOW_FAULT_PFN.activeIn(r) ? VfioPfnmap.FAULT_RETRY
                : Rules.VFIO_FOLLOW_PFN.activeIn(r) ? VfioPfnmap.REJECT : VfioPfnmap.PGOFF;
        String vp = p.get("vfio-pfnmap");
        if (vp != null) {
            pfnmap = VfioPfnmap.valueOf(vp.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }
        vfioPfnmap = pfnmap;
        vfioPfnmapWriteCheck = Rules.VFIO_FOLLOW_PTE_WRITE.activeIn(r) || Rules.VFIO_FOLLOW_PTE_WRITE_510_STABLE.activeIn(r);
        vfioUnpinZeroPages = Rules.VFIO_UNPIN_ZERO_PAGES.activeIn(r) || Rules.VFIO_UNPIN_ZERO_PAGES_510_STABLE.activeIn(r);
        vfioUnmapSameMm = Rules.VFIO_UNMAP_SAME_MM.activeIn(r);
        vfioDmaOverflow = Rules.VFIO_DMA_OVERFLOW.activeIn(r);
        String ml = p.get("memlock");
        memlockBytes = ml == null || "unlimited".equals(ml) ? Long.MAX_VALUE : Policies.parseBytes(ml);

        ioUring = Rules.IO_URING.activeIn(r);
        ioUringPinFast = Rules.IO_URING_PIN_FAST.activeIn(r);
        ioUringFileCheck = Rules.IO_URING_FILE_CHECK.activeIn(r);
        ioUringShmem = Rules.IO_URING_SHMEM.activeIn(r) || Rules.IO_URING_SHMEM_510_STABLE.activeIn(r);
        ioUringSingleSource = Rules.IO_URING_MULTI_SOURCE.activeIn(r) || Rules.IO_URING_MULTI_SOURCE_510_STABLE.activeIn(r)
                || Rules.IO_URING_MULTI_SOURCE_515_STABLE.activeIn(r) || Rules.IO_URING_MULTI_SOURCE_61_STABLE.activeIn(r);
        ioUringRegisterNullArg = Rules.IO_URING_REGISTER_NULL_ARG.activeIn(r);
        ioUringRegisteredRing = Rules.IO_URING_REGISTERED_RING.activeIn(r);
        ioUringSparseBuffers = Rules.IO_URING_RSRC_TABLES.activeIn(r) || Rules.IO_URING_RSRC_TABLES_510_STABLE.activeIn(r);
        ioUringMaxRegBuffers = ioUringSparseBuffers ? 1L << 14 : 1024;
        boolean oneTiB = Rules.IO_URING_BUFFER_1T.activeIn(r);
        ioUringBufferMax = oneTiB ? 1L << 40 : 1L << 30;
        ioUringBufferTooLong = oneTiB ? -Errno.EINVAL : -Errno.EFAULT;
        ioUringCapablePinnedVm = Rules.IO_URING_CAPABLE_PINNED_VM.activeIn(r);
        rdmaPin = Rules.PIN_USER_PAGES.activeIn(r) ? RdmaPin.PIN_USER_PAGES_FAST
                : Rules.FOLL_LONGTERM_FLAG.activeIn(r) ? RdmaPin.FOLL_LONGTERM_GET
                : Rules.GET_USER_PAGES_LONGTERM.activeIn(r) ? RdmaPin.GET_USER_PAGES_LONGTERM
                : RdmaPin.GET_USER_PAGES;
        rdmaForceWrite = Rules.RDMA_UMEM_FOLL_FORCE.activeIn(r);
        udmabufPins = Rules.MEMFD_PIN_FOLIOS.activeIn(r);
        udmabufMmapPfnmap = Rules.UDMABUF_MMAP_PFNMAP.activeIn(r);
        memfdSealExec = Rules.MEMFD_SEAL_EXEC.activeIn(r);
        udmabufDeniesFutureWrite = Rules.UDMABUF_SEAL_FUTURE_WRITE.activeIn(r)
                || Rules.UDMABUF_SEAL_FUTURE_WRITE_612_STABLE.activeIn(r);
        dioFollPin = Rules.DIO_FOLL_PIN.activeIn(r);
        dioZeroPastEof = Rules.DIO_ZERO_PAST_EOF.activeIn(r);
        ioUringRwCqeInTask = Rules.IO_URING_RW_CQE_IN_TASK.activeIn(r);
        btrfsDioPartialRead = Rules.BTRFS_DIO_PARTIAL_READ.activeIn(r);
        btrfsDioNofault = Rules.BTRFS_DIO_NOFAULT.activeIn(r);
        daxCopyWholeWords = Rules.DAX_COPY_WHOLE_WORDS.activeIn(r);
        btrfsDioWriteBuffered = Rules.BTRFS_DIO_WRITE_BUFFERED.activeIn(r)
                || Rules.BTRFS_DIO_WRITE_BUFFERED_612_STABLE.activeIn(r);
        shmemDirectIo = Rules.SHMEM_DIRECT_IO.activeIn(r);
        btrfsWriteChunk = !Rules.BTRFS_WRITE_ONE_FOLIO.activeIn(r) ? BTRFS_NRPTRS * PAGE_SIZE
                : Rules.BTRFS_LARGE_DATA_FOLIOS.activeIn(r) ? BTRFS_BLOCKS_PER_FOLIO * PAGE_SIZE : PAGE_SIZE;
        btrfsWriteChunkAlign = Rules.BTRFS_WRITE_ONE_FOLIO.activeIn(r) ? btrfsWriteChunk : PAGE_SIZE;
        btrfsRejectsOutOfBandDirty = Rules.BTRFS_OUT_OF_BAND_DIRTY.activeIn(r);
        madvPopulate = Rules.MADV_POPULATE.activeIn(r);
        madvDontneedLocked = Rules.MADV_DONTNEED_LOCKED.activeIn(r);
        madvDontneedHugetlb = Rules.MADV_DONTNEED_HUGETLB.activeIn(r);
        madvCollapse = Rules.MADV_COLLAPSE.activeIn(r);
        mprotectTryWritable = Rules.MPROTECT_TRY_WRITABLE.activeIn(r);
        mprotectSealPerVma = Rules.MPROTECT_SEAL_PER_VMA.activeIn(r);
        madvPopulateStopsAtHole = Rules.MADV_POPULATE_FAULTIN_PAGE_RANGE.activeIn(r);
        madvGuard = Rules.MADV_GUARD.activeIn(r);
        madvGuardFile = Rules.MADV_GUARD_FILE.activeIn(r);
        xfsFlushUnmapWholeFolio = Rules.XFS_FLUSH_UNMAP_WHOLE_FOLIO.activeIn(r);
        sharedMaywrite = Rules.MADV_REMOVE_MAYWRITE.activeIn(r) || Rules.MADV_REMOVE_MAYWRITE_510_STABLE.activeIn(r);
        madvDoforkCanMerge = Rules.MADV_DOFORK_CAN_MERGE.activeIn(r);
        futureWriteSealAfterUnmap = Rules.MMAP_SEALS_IN_MMAP_HOOK.activeIn(r);
        writeSealAfterUnmap = !Rules.MMAP_WRITABLE_BEFORE_UNMAP.activeIn(r)
                && !Rules.MMAP_WRITABLE_BEFORE_UNMAP_61_STABLE.activeIn(r);
    }

    public static Profile of(KernelRelease release, Policies policies) {
        return new Profile(release, policies);
    }

    public static Profile newest() {
        return new Profile(KernelRelease.NEWEST, Policies.NONE);
    }

    /** The DAX truncate behaviour of a filesystem ({@code fsName} as in a {@code file} event). */
    public DaxTruncate daxTruncate(boolean xfs, boolean ext4) {
        if (daxTruncateOverride != null) {
            return daxTruncateOverride;
        }
        return xfs ? daxTruncateXfs : ext4 ? daxTruncateExt4 : DaxTruncate.NONE;
    }

    /** Whether DAX is in effect at all ({@code dax-truncate=nodax} turns it off). */
    public boolean daxEnabled() {
        return daxTruncateOverride != DaxTruncate.NODAX;
    }

    public boolean pinApi() {
        return pinCounting != PinCounting.NO_PIN_API;
    }

    /** {@code 6.1} or {@code 6.1 (dax-truncate=fail)}. */
    public String describe() {
        return policies.isEmpty() ? release.toString() : release + " " + policies.asMap();
    }
}
