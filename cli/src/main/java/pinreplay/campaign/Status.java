package pinreplay.campaign;

/** A cell's verdict, worst last (the matrix colours a group by its worst cell). */
public enum Status {
    /** Nothing found, nothing expected. */
    PASS("pass"),
    /** Exactly the expected findings (kselftest's XFAIL). */
    XFAIL("xfail"),
    /** Failed, then passed on a rerun (Surefire's flaky test). */
    FLAKY("flaky"),
    /** An unexpected violation, divergence or stall, or an expected one missing. */
    FAIL("fail"),
    /** The replay itself failed (bad input, crash): no verdict. */
    ERROR("error");

    private final String label;

    Status(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean failing() {
        return this == FAIL || this == ERROR;
    }

    public static Status byLabel(String label) {
        for (Status s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown status '" + label + "'");
    }
}
