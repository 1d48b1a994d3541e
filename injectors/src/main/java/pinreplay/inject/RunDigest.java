package pinreplay.inject;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;

/**
 * What one replay of a sweep produced, compactly: every call as (line, event, result) in a primitive
 * array, the violations as {@code kind [handle]}, and the first firing of the swept injector.
 */
final class RunDigest implements OutcomeSink {
    private final String swept;
    private long[] calls = new long[3 * 1024];
    private int n;
    final List<String> violations = new ArrayList<>();
    /** The swept injector's first firing, or null when it never fired. */
    Outcome site;

    RunDigest(String swept) {
        this.swept = swept;
    }

    @Override
    public void accept(Outcome o) {
        switch (o.kind) {
            case CALL -> {
                if (n + 3 > calls.length) {
                    calls = Arrays.copyOf(calls, calls.length * 2);
                }
                calls[n++] = o.line;
                calls[n++] = o.event.code();
                calls[n++] = o.result;
            }
            case VIOLATION -> violations.add(o.violation + " [" + o.handle + "] at line " + o.line);
            case INJECTION -> {
                if (site == null && swept.equals(o.injected)) {
                    site = new Outcome();
                    site.copyFrom(o);
                }
            }
            default -> {
            }
        }
    }

    int calls() {
        return n / 3;
    }

    long line(int i) {
        return calls[3 * i];
    }

    int event(int i) {
        return (int) calls[3 * i + 1];
    }

    long result(int i) {
        return calls[3 * i + 2];
    }

    /** Index of the first call that differs from {@code base} (line, event or result), or -1 when none. */
    int firstDifference(RunDigest base) {
        int common = Math.min(calls(), base.calls());
        return IntStream.range(0, common).filter(i -> differs(i, base)).findFirst()
                .orElse(calls() == base.calls() ? -1 : common);
    }

    /** Calls whose result differs from {@code base}'s at the same position, plus any extra or missing ones. */
    int differences(RunDigest base) {
        int common = Math.min(calls(), base.calls());
        return Math.abs(calls() - base.calls())
                + (int) IntStream.range(0, common).filter(i -> differs(i, base)).count();
    }

    /** Whether call {@code i} differs from {@code base}'s at the same position (line, event or result). */
    private boolean differs(int i, RunDigest base) {
        return line(i) != base.line(i) || event(i) != base.event(i) || result(i) != base.result(i);
    }
}
