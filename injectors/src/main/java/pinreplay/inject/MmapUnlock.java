package pinreplay.inject;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.replay.fault.FaultPoints.MmEditor;
import pinreplay.replay.mm.Mm;

/**
 * {@code mmap-unlock}: the fault handler drops mmap_lock (handle_mm_fault() returning VM_FAULT_RETRY,
 * mm/memory.c 5.x-6.x; fixup_user_fault() setting *unlocked, mm/gup.c 5.8+), and another thread may change
 * the address space in the window ({@code race=}).
 */
final class MmapUnlock extends Injector {
    private static final long PAGE_SIZE = 4096;

    /** What another thread does while the lock is dropped. */
    enum Race {
        NONE, MUNMAP, MPROTECT, REMAP
    }

    static final Option RACE = Option.oneOf("race", Race.class, "what another thread does while the"
            + " lock is dropped: unmap the page, make it read-only, or map fresh anonymous memory there");

    static final Kind KIND = new Kind("mmap-unlock", "the fault handler drops mmap_lock and asks for a retry; GUP"
            + " retries with FAULT_FLAG_TRIED, fixup_user_fault() reports unlocked (vfio 5.8+: -EAGAIN, VMA looked up"
            + " again)", List.of("faultin_page", "fixup_user_fault"), List.of(RACE),
            List.of("faultin_page", "fixup_user_fault"), false, MmapUnlock::new);

    private final Race race;

    private MmapUnlock(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, EnumSet.of(Site.FAULTIN_PAGE_RETRY, Site.FIXUP_USER_FAULT_UNLOCKED), random, log);
        race = Race.values()[(int) spec.option(RACE)];
    }

    // a concurrent munmap()/mprotect()/mmap(MAP_FIXED) taking mmap_lock while the fault handler dropped it
    @Override
    void whileUnlocked(Mm mm, long addr, MmEditor editor) {
        long page = addr & -PAGE_SIZE;
        switch (race) {
            case MUNMAP -> editor.munmap(mm, page, PAGE_SIZE);
            case MPROTECT -> editor.mprotectReadOnly(mm, page, PAGE_SIZE);
            case REMAP -> editor.mmapAnonymous(mm, page, PAGE_SIZE);
            case NONE -> {
            }
        }
    }
}
