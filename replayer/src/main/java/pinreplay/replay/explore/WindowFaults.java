package pinreplay.replay.explore;

import pinreplay.format.EventView;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.mm.Mm;

/**
 * The fault points of one explored order: the user's injectors, plus the window the explorer opens. While an
 * event is armed with a racing event, the first fault path of it that may drop {@code mmap_lock}
 * (fixup_user_fault() setting {@code *unlocked}, or handle_mm_fault() returning VM_FAULT_RETRY to faultin_page())
 * drops it, and the racing event's munmap, mmap or mprotect takes the lock meanwhile: on the faulting page, as
 * the mmap-unlock injector's {@code race=} does, so that {@code replay --inject mmap-unlock:at=line:L,race=R}
 * reproduces the window exactly; the racing event itself then runs right after.
 */
final class WindowFaults implements FaultPoints {
    static final String NAME = "explore";

    private final FaultPoints user;
    private static final long PAGE_SIZE = 4096;

    private int race;
    /** The kernel function where the armed window opened, or null while it has not. */
    String openedAt;
    private boolean consumed;
    private boolean firingHere;

    WindowFaults(FaultPoints user) {
        this.user = user;
    }

    /** Arms the next event with {@code race} ({@link Footprints#RACE_MUNMAP}...). */
    void arm(int race) {
        this.race = race;
        openedAt = null;
        consumed = false;
    }

    void disarm() {
        race = 0;
    }

    /** Whether the armed race ran inside the window. */
    boolean consumed() {
        return consumed;
    }

    private boolean open(String point) {
        firingHere = race != 0 && openedAt == null;
        if (firingHere) {
            openedAt = point;
        }
        return firingHere;
    }

    /** The user's fault points answer: the window does not fire at this question. */
    private FaultPoints user() {
        firingHere = false;
        return user;
    }

    @Override
    public boolean faultinPageRetry(Mm mm, long a, boolean tried) {
        if (!tried && open("faultin_page")) {
            return true;
        }
        return user().faultinPageRetry(mm, a, tried);
    }

    @Override
    public boolean faultinPageMayRetry() {
        return race != 0 && openedAt == null || user.faultinPageMayRetry();
    }

    @Override
    public boolean faultinPageNowait(Mm mm, long a) {
        return user().faultinPageNowait(mm, a);
    }

    @Override
    public boolean fixupUserFaultUnlocked(Mm mm, long a) {
        if (open("fixup_user_fault")) {
            return true;
        }
        return user().fixupUserFaultUnlocked(mm, a);
    }

    @Override
    public void whileUnlocked(Mm mm, long a, MmEditor editor) {
        if (race == 0 || openedAt == null || consumed) {
            user.whileUnlocked(mm, a, editor);
            return;
        }
        consumed = true;
        long page = a & -PAGE_SIZE;
        switch (race) {
            case Footprints.RACE_MUNMAP -> editor.munmap(mm, page, PAGE_SIZE);
            case Footprints.RACE_REMAP -> editor.mmapAnonymous(mm, page, PAGE_SIZE);
            default -> editor.mprotectReadOnly(mm, page, PAGE_SIZE);
        }
    }

    @Override
    public boolean migratePagesFails(Mm mm, long a, long nrPages) {
        return user().migratePagesFails(mm, a, nrPages);
    }

    @Override
    public boolean migratePinnedPage(Mm mm, long a) {
        return user().migratePinnedPage(mm, a);
    }

    @Override
    public boolean accountLockedVmFails(Mm mm, long nrPages, String function) {
        return user().accountLockedVmFails(mm, nrPages, function);
    }

    @Override
    public void betweenEvents(EventView next, KernelOps ops) {
        user().betweenEvents(next, ops);
    }

    @Override
    public String firing() {
        return firingHere ? NAME : user.firing();
    }
}
