package pinreplay.cli.shell;

import java.util.List;

import pinreplay.format.EventType;

/**
 * Where {@code run until} and {@code break} stop: after an event that found a violation or started a
 * stall, or before the next event of a kind or at a trace line (so its effect can be stepped into).
 */
record Condition(Kind kind, String event, long line) {
    enum Kind {
        VIOLATION, STALL, EVENT, LINE
    }

    static final List<String> WORDS = List.of("violation", "stall", "event", "line");

    /** Parses {@code violation}, {@code stall}, {@code event NAME} or {@code line N}. */
    static Condition parse(List<String> words) {
        if (words.isEmpty()) {
            throw new ShellException("expected violation, stall, event NAME or line N, got nothing");
        }
        String w = words.get(0);
        switch (w) {
            case "violation", "stall" -> {
                expectArgs(words, 1);
                return new Condition(w.equals("violation") ? Kind.VIOLATION : Kind.STALL, null, 0);
            }
            case "event" -> {
                expectArgs(words, 2);
                String name = words.get(1);
                if (eventType(name) == null) {
                    throw new ShellException("expected an event name (e.g. vfio_dma_map), got '" + name + "'");
                }
                return new Condition(Kind.EVENT, name, 0);
            }
            case "line" -> {
                expectArgs(words, 2);
                try {
                    long n = Long.parseLong(words.get(1));
                    if (n > 0) {
                        return new Condition(Kind.LINE, null, n);
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

    @Override
    public String toString() {
        return switch (kind) {
            case VIOLATION -> "violation";
            case STALL -> "stall";
            case EVENT -> "event " + event;
            case LINE -> "line " + line;
        };
    }
}
