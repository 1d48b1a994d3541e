package pinreplay.inject;

import pinreplay.format.EventType;
import pinreplay.format.EventView;

/**
 * Which calls an injector may fail: {@code task=COMM|PID} (the kernel's task-filter with make-it-fail),
 * {@code at=EVENT|line:N} (the event being replayed, as the kernel's require-start/end stack range
 * picks callers) and {@code point=FUNCTION} (fail_function's choice of function). Checked against the
 * event being replayed; no filter lets every call through.
 */
record CallFilter(long pid, String comm, EventType event, long line, String point) {
    static final CallFilter ANY = new CallFilter(-1, null, null, -1, null);

    /** Whether {@link #passes} may answer differently from one event to the next (a task, event or line filter). */
    boolean dependsOnEvent() {
        return pid >= 0 || comm != null || event != null || line >= 0;
    }

    /** Whether a call at kernel function {@code at} made while replaying {@code current} (null: no event yet) passes. */
    boolean passes(EventView current, String at) {
        if (this == ANY) {
            return true;
        }
        if (point != null && !point.equals(at)) {
            return false;
        }
        if (!dependsOnEvent()) {
            return true;
        }
        if (current == null) {
            return false;
        }
        if (pid >= 0 && current.pid() != pid) {
            return false;
        }
        if (comm != null && !current.symbols().is(current.comm(), comm)) {
            return false;
        }
        if (event != null && current.type() != event) {
            return false;
        }
        return line < 0 || current.line() == line;
    }
}
