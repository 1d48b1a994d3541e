package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.List;

import pinreplay.format.EventType;

/** Where the session is, as text: {@code load}'s confirmation, {@code where}, {@code list}. */
final class Listing {
    private Listing() {
    }

    /** What {@code load} says: the trace, how many events it has, the kernel they will meet. */
    static String loaded(Session s) {
        return "loaded " + s.sourceName() + ": " + events(s.source()) + " events, kernel " + s.config().release()
                + " ('step' applies the next event, 'run' goes on to a breakpoint)";
    }

    /** {@code where}: the trace and position, the last event applied and the next one. */
    static List<String> where(Session s) {
        s.requireLoaded();
        String last = s.lastEventText();
        int next = nextEvent(s.source(), s.cursor());
        return List.of(s.sourceName() + ": event " + s.events() + " of " + events(s.source()) + " (line "
                        + s.lastLine() + ", " + TraceText.seconds(s.lastTs()) + "), kernel " + s.config().release(),
                "last: " + (last == null ? "none (at the start)" : last),
                "next: " + (next < 0 ? "none (end of trace)" : s.eventText(s.source(), next)));
    }

    /**
     * {@code list}: the trace's events around the next one (or around trace line {@code line} when positive),
     * {@code before} events before it and {@code after} from it on; the next event is marked {@code =>}.
     */
    static List<String> list(Session s, long line, int before, int after) {
        s.requireLoaded();
        EventLog source = s.source();
        int at = line > 0 ? 0 : s.cursor();
        while (line > 0 && at < source.count() && source.line(at) < line) {
            at++;
        }
        int next = nextEvent(source, s.cursor());
        int from = at;
        for (int k = 0; k < before && from > 0; ) {
            from--;
            k += meta(source, from) ? 0 : 1;
        }
        List<String> lines = new ArrayList<>();
        for (int i = from, shown = 0; i < source.count() && shown < before + after; i++) {
            if (!meta(source, i)) {
                lines.add((i == next ? "=> " : "   ") + s.eventText(source, i));
                shown++;
            }
        }
        if (lines.isEmpty()) {
            lines.add("no events there");
        }
        return lines;
    }

    private static long events(EventLog log) {
        long n = 0;
        for (int i = 0; i < log.count(); i++) {
            n += meta(log, i) ? 0 : 1;
        }
        return n;
    }

    /** The first event record of {@code log} at or after {@code i}, or -1. */
    private static int nextEvent(EventLog log, int i) {
        while (i < log.count() && meta(log, i)) {
            i++;
        }
        return i < log.count() ? i : -1;
    }

    private static boolean meta(EventLog log, int i) {
        return log.type(i).kind() == EventType.Kind.META;
    }
}
