package pinreplay.campaign;

import java.util.Locale;

/** A cell's verdict, worst last (the matrix colours a group by its worst cell). */
public enum Status {
    /** Nothing found, nothing expected. */
    PASS,
    /** Exactly the expected findings (kselftest's XFAIL). */
    XFAIL,
    /** Failed, then passed on a rerun (Surefire's flaky test). */
    FLAKY,
    /** An unexpected violation, divergence or stall, or an expected one missing. */
    FAIL,
    /** The replay itself failed (bad input, crash): no verdict. */
    ERROR;

    /** The name in every output: {@code pass}, {@code xfail}, ... */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean failing() {
        return this == FAIL || this == ERROR;
    }

    public static Status byLabel(String label) {
        for (Status s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + label + "'");
    }
}
