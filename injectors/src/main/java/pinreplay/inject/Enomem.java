package pinreplay.inject;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code enomem}: migrate_pages() in the long-term pin migration loop, or the RLIMIT_MEMLOCK charge of
 * vfio_lock_acct(), io_account_mem() or ib_umem_get(), fails with -ENOMEM.
 */
final class Enomem extends Injector {
    private static final List<String> POINTS = List.of("migrate_pages", "vfio_lock_acct", "io_account_mem",
            "ib_umem_get");
    static final Kind KIND = new Kind("enomem", "allocation or accounting fails with -ENOMEM", POINTS, List.of(),
            POINTS, false, Enomem::new);

    private Enomem(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, EnumSet.of(Site.MIGRATE_PAGES_FAILS, Site.ACCOUNT_LOCKED_VM_FAILS), random, log);
    }
}
