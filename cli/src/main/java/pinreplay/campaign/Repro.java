package pinreplay.campaign;

import java.util.List;

/**
 * A minimized reproducer of a failing cell, written to {@code repro/<cell id>.trace}.
 *
 * @param kind         the violation kind it still gives
 * @param eventsBefore events in the cell's trace
 * @param eventsAfter  events kept
 * @param tests        replays the minimizer ran
 * @param minimal      1-minimal (false: the replay budget ran out first)
 * @param text         the trace file's lines, its header comments first
 */
public record Repro(String kind, long eventsBefore, long eventsAfter, int tests, boolean minimal, List<String> text) {
    public Repro {
        text = List.copyOf(text);
    }

    /** The reproducer's path inside the campaign's output directory. */
    public static String path(Cell cell) {
        return "repro/" + cell.id() + ".trace";
    }
}
