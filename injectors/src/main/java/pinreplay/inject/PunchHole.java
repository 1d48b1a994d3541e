package pinreplay.inject;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;

import pinreplay.replay.fault.FaultPoints.KernelOps;

/** {@code punch-hole}: another task's vfs_fallocate(FALLOC_FL_PUNCH_HOLE) on a file with pinned pages, between events. */
final class PunchHole extends FileInjector {
    static final Option OFFSET = Option.number("offset", "BYTES", "0", "start of the hole", 0, 0);
    static final Option LEN = Option.number("len", "BYTES", "to the end", "length of the hole", 1, -1);

    static final Kind KIND = new Kind("punch-hole", "another task punches a hole in a file with pinned pages,"
            + " between events; the release's dax-truncate rule decides", List.of("vfs_fallocate"),
            List.of(INO, OFFSET, LEN), List.of("vfs_fallocate"), true, PunchHole::new);

    private final long offset;
    private final long len;

    private PunchHole(InjectSpec spec, SplittableRandom random, PrintWriter log) {
        super(spec, random, log, false);
        offset = spec.option(OFFSET);
        len = spec.option(LEN);
    }

    @Override
    void act(KernelOps ops, long ino) {
        ops.punchHole(ino, offset, len);
    }
}
