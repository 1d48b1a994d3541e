package pinreplay.inject;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code eagain}: migrate_pages() returns -EAGAIN in the long-term pin migration loop (mm/gup.c, 5.13+), and
 * FAULT_FLAG_RETRY_NOWAIT makes faultin_page() -EBUSY: VM_FAULT_RETRY without waiting (mm/gup.c, 5.x-6.x).
 */
final class Eagain extends Injector {
    static final Kind KIND = new Kind("eagain", "the call returns -EAGAIN: migrate_pages() in the long-term pin"
            + " migration loop, and faultin_page() under FOLL_NOWAIT (VM_FAULT_RETRY without waiting: a short count)",
            List.of("migrate_pages", "faultin_page"), List.of(), List.of(), false, Eagain::new);

    private Eagain(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, EnumSet.of(Site.FAULTIN_PAGE_NOWAIT, Site.MIGRATE_PAGES_FAILS), random, log);
    }
}
