package pinreplay.inject;

import java.util.List;
import java.util.SplittableRandom;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * The configured injectors as the core's {@link FaultPoints}. Each injector owns one {@link FaultAttr}
 * with its own {@link SplittableRandom} split from {@code --seed} in spec order, so a run is
 * byte-identical for the same seed. An injector not configured is null and costs one null check.
 */
public final class Injectors implements FaultPoints {
    public static final List<String> NAMES = List.of("mmap-unlock", "eagain", "enomem", "migrate");
    private static final long PAGE_SIZE = 4096;

    private FaultAttr mmapUnlock;
    private String race = "none";
    private FaultAttr eagain;
    private FaultAttr enomem;
    private FaultAttr migrate;
    private long firings;

    public Injectors(List<InjectSpec> specs, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        for (InjectSpec s : specs) {
            FaultAttr a = s.attr(root.split());
            switch (s.name()) {
                case "mmap-unlock" -> {
                    mmapUnlock = a;
                    race = s.race();
                }
                case "eagain" -> eagain = a;
                case "enomem" -> enomem = a;
                case "migrate" -> migrate = a;
                default -> throw new IllegalArgumentException(s.name());
            }
        }
    }

    /** How many times any injector fired. */
    public long firings() {
        return firings;
    }

    private boolean fire(FaultAttr a, Mm mm, long size) {
        if (a != null && a.shouldFail(mm.id, size)) {
            firings++;
            return true;
        }
        return false;
    }

    // handle_mm_fault() returning VM_FAULT_RETRY after dropping mmap_lock (mm/memory.c, 5.x-6.x)
    @Override
    public boolean faultinPageRetry(Mm mm, long addr, boolean tried) {
        return !tried && fire(mmapUnlock, mm, 1);
    }

    // fixup_user_fault() setting *unlocked (mm/gup.c, 5.8+)
    @Override
    public boolean fixupUserFaultUnlocked(Mm mm, long addr) {
        return fire(mmapUnlock, mm, 1);
    }

    // a concurrent munmap()/mmap(MAP_FIXED) taking mmap_lock while the fault handler dropped it
    @Override
    public void whileUnlocked(Mm mm, long addr, MmEditor editor) {
        long page = addr & -PAGE_SIZE;
        switch (race) {
            case "munmap" -> editor.munmap(mm, page, PAGE_SIZE);
            case "remap" -> editor.mmapAnonymous(mm, page, PAGE_SIZE);
            default -> {
            }
        }
    }

    // migrate_pages() returning -EAGAIN/-ENOMEM in the long-term pin migration loop (mm/gup.c, 6.x)
    @Override
    public boolean migratePagesFails(Mm mm, long addr, long nrPages) {
        return fire(eagain, mm, nrPages) || fire(enomem, mm, nrPages);
    }

    // a broken migrate_pages() moving a pinned folio (folio_expected_refs() ignored)
    @Override
    public boolean migratePinnedPage(Mm mm, long addr) {
        return fire(migrate, mm, 1);
    }

    // account_locked_vm() exceeding RLIMIT_MEMLOCK (mm/util.c)
    @Override
    public boolean accountLockedVmFails(Mm mm, long nrPages) {
        return fire(enomem, mm, nrPages);
    }
}
