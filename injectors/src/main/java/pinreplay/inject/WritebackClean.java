package pinreplay.inject;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.replay.fault.FaultPoints.KernelOps;

/**
 * {@code writeback-clean}: a writeback pass between events; folio_clear_dirty_for_io() cleans and
 * write-protects (folio_mkclean()) the dirty folios of a file with pinned page-cache pages.
 */
final class WritebackClean extends FileInjector {
    static final Kind KIND = new Kind("writeback-clean", "a writeback pass cleans and write-protects the dirty"
            + " folios of a file with pinned page-cache pages, between events", List.of("folio_clear_dirty_for_io"),
            List.of(INO), List.of("folio_clear_dirty_for_io"), true, WritebackClean::new);

    private WritebackClean(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, random, log, true);
    }

    @Override
    void act(KernelOps ops, long ino) {
        ops.writebackClean(ino);
    }
}
