package pinreplay.inject;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.replay.fault.FaultPoints.KernelOps;

/**
 * {@code migrate}: compaction (compact_zone(), kcompactd) between events over the range of a live
 * registration; migrate_pages() refuses pinned folios (folio_expected_refs()) unless {@code ignore-refs=1}
 * breaks it, so the model's pinned-page-migrated check can be exercised.
 */
final class Migrate extends Injector {
    static final Option IGNORE_REFS = Option.flag("ignore-refs", "1: a broken migrate_pages() that moves folios"
            + " with extra references (pinned-page-migrated)");

    static final Kind KIND = new Kind("migrate", "compaction between events tries to move the pages of a pinned"
            + " range; migrate_pages() refuses pinned folios unless ignore-refs=1 breaks it",
            List.of("compact_zone", "migrate_pages"), List.of(IGNORE_REFS), List.of("compact_zone"), true,
            Migrate::new);

    private Migrate(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, spec.option(IGNORE_REFS) == 1 ? EnumSet.of(Site.MIGRATE_PINNED_PAGE) : EnumSet.noneOf(Site.class),
                random, log);
    }

    @Override
    boolean hasTarget(KernelOps ops) {
        return ops.liveRegistrations() > 0;
    }

    @Override
    void act(KernelOps ops) {
        ops.compact(choose(ops.liveRegistrations()));
    }
}
