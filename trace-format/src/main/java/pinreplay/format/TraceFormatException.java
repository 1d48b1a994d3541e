package pinreplay.format;

/**
 * Malformed or unreadable trace input. The message has the form
 * {@code FILE:LINE: <what was expected>, got <what was found>}.
 */
public final class TraceFormatException extends RuntimeException {
    private final String source;
    private final long line;

    public TraceFormatException(String source, long line, String expected, String found) {
        super(source + ":" + line + ": " + expected + ", got " + found, null, false, false);
        this.source = source;
        this.line = line;
    }

    private TraceFormatException(String source, long line, String detail) {
        super(source + ":" + line + ": " + detail, null, false, false);
        this.source = source;
        this.line = line;
    }

    /** The same error {@code lines} further on: the line was counted from the start of a chunk of the input. */
    public TraceFormatException shiftedBy(long lines) {
        String detail = getMessage().substring((source + ":" + line + ": ").length());
        return new TraceFormatException(source, line + lines, detail);
    }

    public TraceFormatException(String message) {
        super(message, null, false, false);
        this.source = null;
        this.line = 0;
    }

    public String source() {
        return source;
    }

    public long line() {
        return line;
    }
}
