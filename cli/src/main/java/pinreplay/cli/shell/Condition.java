package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.List;

import pinreplay.format.EventType;
import pinreplay.format.EventView;

/**
 * Where {@code run until}, {@code back until} and {@code break} stop: after an event that found a violation or
 * started a stall, or before the next event of a kind (optionally with given field values) or at a trace line (so
 * its effect can be stepped into).
 */
record Condition(Kind kind, String event, long line, List<FieldMatch> where) {
    enum Kind {
        VIOLATION, STALL, EVENT, LINE
    }

    static final List<String> WORDS = List.of("violation", "stall", "event", "line");
    /** Keys of the event's context, besides its fields. */
    static final List<String> CONTEXT_KEYS = List.of("pid", "comm", "cpu");

    /**
     * Parses {@code violation}, {@code stall}, {@code event NAME [if] [KEY=VALUE ...]} or {@code line N}. A key is a
     * field of the event as traces spell it, or {@code pid}, {@code comm}, {@code cpu}.
     */
    static Condition parse(List<String> words) {
        if (words.isEmpty()) {
            throw new ShellException("expected violation, stall, event NAME or line N, got nothing");
        }
        String w = words.get(0);
        switch (w) {
            case "violation", "stall" -> {
                expectArgs(words, 1);
                return new Condition(w.equals("violation") ? Kind.VIOLATION : Kind.STALL, null, 0, List.of());
            }
            case "event" -> {
                if (words.size() < 2) {
                    throw new ShellException("expected an event name after 'event' (e.g. vfio_dma_map)");
                }
                String name = words.get(1);
                if (eventType(name) == null) {
                    throw new ShellException("expected an event name (e.g. vfio_dma_map), got '" + name + "'");
                }
                int from = words.size() > 2 && words.get(2).equals("if") ? 3 : 2;
                List<FieldMatch> where = new ArrayList<>();
                for (String kv : words.subList(from, words.size())) {
                    where.add(FieldMatch.parse(kv));
                }
                return new Condition(Kind.EVENT, name, 0, List.copyOf(where));
            }
            case "line" -> {
                expectArgs(words, 2);
                try {
                    long n = Long.parseLong(words.get(1));
                    if (n > 0) {
                        return new Condition(Kind.LINE, null, n, List.of());
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new ShellException("expected a line number, got '" + words.get(1) + "'");
            }
            default -> throw new ShellException("expected violation, stall, event NAME or line N, got '" + w + "'");
        }
    }

    /** The event type named {@code name} as traces spell it, or null. */
    static EventType eventType(String name) {
        for (EventType t : EventType.values()) {
            if (t.kind() != EventType.Kind.META && t.eventName().equals(name)) {
                return t;
            }
        }
        return null;
    }

    private static void expectArgs(List<String> words, int n) {
        if (words.size() != n) {
            throw new ShellException("expected " + (n == 1 ? "'" + words.get(0) + "' alone"
                    : "'" + words.get(0) + "' and one argument") + ", got '" + String.join(" ", words) + "'");
        }
    }

    /** Checked before the next event is applied. */
    boolean before() {
        return kind == Kind.EVENT || kind == Kind.LINE;
    }

    /** Whether {@code v}, the next event, is this condition's event with the field values asked for. */
    boolean matchesEvent(EventView v) {
        if (!v.eventName().equals(event)) {
            return false;
        }
        for (FieldMatch m : where) {
            if (!m.matches(v)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case VIOLATION -> "violation";
            case STALL -> "stall";
            case EVENT -> "event " + event + (where.isEmpty() ? "" : " " + String.join(" ",
                    where.stream().map(FieldMatch::toString).toList()));
            case LINE -> "line " + line;
        };
    }
}
