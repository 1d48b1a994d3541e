package pinreplay.campaign;

import java.nio.file.Path;

import pinreplay.campaign.spec.TraceSpec;

/**
 * A trace made ready once for all its cells.
 *
 * @param text the trace as text (the file itself, or the synthesized text): cells replay it, the minimizer shrinks it
 */
public record PreparedTrace(TraceSpec trace, Path text) {
}
