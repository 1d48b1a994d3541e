package pinreplay.record;

/**
 * A kprobe on {@code symbol} with its fetchargs, and optionally a kretprobe with the return value as a
 * signed 64-bit number ({@code ret=$retval:s64}: ftrace prints it in decimal, an errno as {@code -14}).
 * Events are named as the kernel names unnamed probes ({@code p_SYM_0}, {@code r_SYM_0}) in the
 * {@code pinreplay} group, so a reader that knows nothing of pinreplay still sees which function fired.
 *
 * @param symbol  the probed function
 * @param args    the entry fetchargs ({@code start=$arg1:x64 ...}), $argN as on the function's C signature
 * @param returns whether a kretprobe reports the return value
 * @param retType the kretprobe's fetch type: {@code s64} for counts and errnos, {@code x64} for pointers
 */
public record Probe(String symbol, String args, boolean returns, String retType) {
    public static final String GROUP = "pinreplay";

    static Probe call(String symbol, String args) {
        return new Probe(symbol, args, true, "s64");
    }

    static Probe pointer(String symbol, String args) {
        return new Probe(symbol, args, true, "x64");
    }

    static Probe entry(String symbol, String args) {
        return new Probe(symbol, args, false, null);
    }

    public String entryEvent() {
        return "p_" + symbol + "_0";
    }

    public String returnEvent() {
        return "r_" + symbol + "_0";
    }

    /** The lines written to {@code kprobe_events} (kprobetrace.rst: {@code p[:[GRP/]EVENT] SYM [FETCHARGS]}). */
    public String entryDefinition() {
        return ("p:" + GROUP + "/" + entryEvent() + " " + symbol + " " + args).trim();
    }

    public String returnDefinition() {
        return "r:" + GROUP + "/" + returnEvent() + " " + symbol + " ret=$retval:" + retType;
    }
}
