package pinreplay.inject;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.replay.fault.FaultPoints.KernelOps;

/** {@code truncate}: another task's do_truncate() of a file with pinned pages, between events. */
final class Truncate extends FileInjector {
    static final Option SIZE = Option.number("size", "BYTES", "0", "the new size", 0, 0);

    static final Kind KIND = new Kind("truncate", "another task shrinks a file with pinned pages, between events;"
            + " the release's dax-truncate rule decides", List.of("do_truncate"), List.of(INO, SIZE),
            List.of("do_truncate"), true, Truncate::new);

    private final long size;

    private Truncate(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, random, log, false);
        size = spec.option(SIZE);
    }

    @Override
    void act(KernelOps ops, long ino) {
        ops.truncate(ino, size);
    }
}
