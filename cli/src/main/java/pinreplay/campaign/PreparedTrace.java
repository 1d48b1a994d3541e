package pinreplay.campaign;

import java.nio.file.Path;

import pinreplay.campaign.spec.TraceSpec;

/**
 * A trace made ready once for all its cells.
 *
 * @param text  the trace as text (the file itself, or the synthesized text): the minimizer shrinks it
 * @param queue the ingested event queue every cell replays, or null when the runner replays text
 */
public record PreparedTrace(TraceSpec trace, Path text, Path queue) {
}
