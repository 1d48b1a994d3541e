package pinreplay.inject;

import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.SplittableRandom;

import pinreplay.replay.fault.FaultPoints.KernelOps;

/**
 * An injector acting between events on a file with pinned pages: {@code ino=}, or one chosen with the seed
 * among those files, in inode order. It is eligible only while such a file exists.
 */
abstract class FileInjector extends Injector {
    static final Option INO = Option.number("ino", "N", "seeded choice", "the file; default: chosen with the seed"
            + " among the files with pinned pages, in inode order", 1, -1);

    private final long ino;
    private final boolean pageCacheOnly;

    /** {@code pageCacheOnly}: only files whose pinned pages are page-cache folios qualify. */
    FileInjector(InjectSpec spec, SplittableRandom random, PrintWriter log, boolean pageCacheOnly) {
        super(spec, EnumSet.noneOf(Site.class), random, log);
        this.ino = spec.option(INO);
        this.pageCacheOnly = pageCacheOnly;
    }

    @Override
    final boolean hasTarget(KernelOps ops) {
        return ino > 0 ? ops.filePinned(ino, pageCacheOnly) : ops.pinnedFileCount(pageCacheOnly) > 0;
    }

    @Override
    final void act(KernelOps ops) {
        act(ops, ino > 0 ? ino : ops.pinnedFile(choose(ops.pinnedFileCount(pageCacheOnly)), pageCacheOnly));
    }

    /** Acts on file {@code ino}. */
    abstract void act(KernelOps ops, long ino);
}
