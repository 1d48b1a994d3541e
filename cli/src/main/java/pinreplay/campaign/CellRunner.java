package pinreplay.campaign;

import java.io.IOException;
import java.nio.file.Path;

import pinreplay.campaign.spec.TraceSpec;

/**
 * The seam between campaigns and the replayer. A campaign prepares each trace once (parse or
 * synthesize, ingest into a queue) and then runs every cell over it, from several threads at once.
 * Implementations must be deterministic: the same cell over the same trace gives the same result.
 */
public interface CellRunner {
    /** Makes {@code trace} ready for replay; scratch files go under {@code workDir}. */
    PreparedTrace prepare(TraceSpec trace, Path workDir) throws IOException;

    /** Replays one cell over its prepared trace. Thread-safe. */
    CellResult run(Cell cell, PreparedTrace trace);
}
