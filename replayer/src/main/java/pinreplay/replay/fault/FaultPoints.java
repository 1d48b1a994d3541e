package pinreplay.replay.fault;

import pinreplay.format.EventView;
import pinreplay.replay.mm.Mm;

/**
 * Every place where the modelled kernel can drop {@code mmap_lock} or fail on its own, as one
 * interface. The model asks it at those places and reacts the way the release did (GUP retries with
 * FOLL_TRIED, vfio 5.8+ turns {@code unlocked} into -EAGAIN and looks the VMA up again, a failed
 * migration is -ENOMEM...); an injector only decides <em>when</em> to fire. {@link #NONE} never fires.
 * Each firing is reported as an {@code injected} outcome by the caller.
 */
public interface FaultPoints {
    FaultPoints NONE = new FaultPoints() {
    };

    /**
     * handle_mm_fault() from faultin_page() returns VM_FAULT_RETRY: the lock was dropped. Asked only
     * when the fault may retry (FAULT_FLAG_ALLOW_RETRY: the GUP caller allows unlocking).
     *
     * @param tried whether this is already a FOLL_TRIED attempt
     */
    default boolean faultinPageRetry(Mm mm, long addr, boolean tried) {
        return false;
    }

    /** Whether {@link #faultinPageRetry} may fire at all: only then is it asked page by page, as faultin_page() runs. */
    default boolean faultinPageMayRetry() {
        return false;
    }

    /**
     * Under FOLL_NOWAIT (FAULT_FLAG_RETRY_NOWAIT) handle_mm_fault() returns VM_FAULT_RETRY rather than
     * wait for I/O, keeping the lock: faultin_page() is -EBUSY and GUP returns a short count.
     */
    default boolean faultinPageNowait(Mm mm, long addr) {
        return false;
    }

    /** fixup_user_fault() retried the fault after dropping the lock: {@code *unlocked = true}. */
    default boolean fixupUserFaultUnlocked(Mm mm, long addr) {
        return false;
    }

    /**
     * Called while mmap_lock is dropped (after either of the above fired): another thread may change
     * the address space now, e.g. unmap or replace the VMA.
     */
    default void whileUnlocked(Mm mm, long addr, MmEditor editor) {
    }

    /** migrate_pages() of {@code nrPages} fails (MR_LONGTERM_PIN, or compaction of a {@code migrate} event). */
    default boolean migratePagesFails(Mm mm, long addr, long nrPages) {
        return false;
    }

    /**
     * migrate_pages() moves a page although it is pinned: a deliberately broken variant, so the
     * model's {@code pinned-page-migrated} check can be exercised.
     */
    default boolean migratePinnedPage(Mm mm, long addr) {
        return false;
    }

    /** RLIMIT_MEMLOCK accounting in {@code function} (vfio_lock_acct(), io_account_mem(), ib_umem_get()) fails with -ENOMEM. */
    default boolean accountLockedVmFails(Mm mm, long nrPages, String function) {
        return false;
    }

    /**
     * Between two events: {@code next} is about to be replayed. Another task or kernel thread may act
     * now through {@code ops} (writeback, truncate, compaction); the core applies its own rules and
     * reports each as an {@code injected} outcome.
     */
    default void betweenEvents(EventView next, KernelOps ops) {
    }

    /** The injector whose decision made the last fault point fire, for {@code injected} records; null if unnamed. */
    default String firing() {
        return null;
    }

    /**
     * What may run between two events, as the kernel would run it. Files are named by inode number;
     * each operation reports itself as an {@code injected} outcome at the next event's line.
     */
    interface KernelOps {
        /**
         * How many files have pages a live registration pins (page-cache files only when {@code pageCacheOnly}),
         * at most 64; O(1) while {@link #pinState()} stays put.
         */
        int pinnedFileCount(boolean pageCacheOnly);

        /** The {@code index}-th of those files, inode numbers ascending. */
        long pinnedFile(int index, boolean pageCacheOnly);

        /** Whether file {@code ino} is among those files. */
        boolean filePinned(long ino, boolean pageCacheOnly);

        /** Live registrations (pins, DMA mappings, regions), oldest first. */
        int liveRegistrations();

        /**
         * A number that changes whenever the pinned-file answers above may change or {@link #liveRegistrations()}
         * reaches or leaves 0: while it stays put, every gap is the same to a between-events injector.
         */
        long pinState();

        /** Writeback of the whole file: folio_clear_dirty_for_io() cleans and write-protects its dirty folios. */
        void writebackClean(long ino);

        /** ftruncate() of the file to {@code newSize}; the release's dax-truncate rule decides under DMA. */
        void truncate(long ino, long newSize);

        /** fallocate(FALLOC_FL_PUNCH_HOLE) of {@code [offset, offset + len)}; {@code len < 0}: to the end. */
        void punchHole(long ino, long offset, long len);

        /** Compaction over the range of the {@code index}-th live registration: pinned folios must stay put. */
        void compact(int index);
    }

    /** What a fault point may do to an address space while the lock is dropped. */
    interface MmEditor {
        /** munmap() of {@code [addr, addr + len)}. */
        void munmap(Mm mm, long addr, long len);

        /** A fresh anonymous private read/write mapping at {@code [addr, addr + len)} (MAP_FIXED). */
        void mmapAnonymous(Mm mm, long addr, long len);

        /** mprotect() of {@code [addr, addr + len)} to read-only: the VMA loses VM_WRITE. */
        void mprotectReadOnly(Mm mm, long addr, long len);
    }
}
