package pinreplay.format.parse;

/**
 * Control-flow signal for a malformed line, thrown from deep inside the decoders and caught once
 * per line by {@link TraceParser}. One instance per parser, no stack trace: a lenient parse of a
 * bad file costs no garbage until a message is actually wanted ({@link #message}).
 */
final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private static final int QUOTE_MAX = 40;

    private String expected;
    private String arg1;
    private String arg2;
    private int from;
    private int to;
    private long length;

    Malformed() {
        super(null, null, false, false);
    }

    /** What was expected ({@code %s} filled by the args) and the offending bytes of the line. */
    Malformed at(String expectedText, String a1, String a2, int foundFrom, int foundTo) {
        expected = expectedText;
        arg1 = a1;
        arg2 = a2;
        from = foundFrom;
        to = foundTo;
        length = -1;
        return this;
    }

    Malformed at(String expectedText, int foundFrom, int foundTo) {
        return at(expectedText, null, null, foundFrom, foundTo);
    }

    Malformed at(String expectedText, String a1, int foundFrom, int foundTo) {
        return at(expectedText, a1, null, foundFrom, foundTo);
    }

    /** A line that is too long: found is its length. */
    Malformed tooLong(String expectedText, long bytes) {
        at(expectedText, null, null, 0, 0);
        length = bytes;
        return this;
    }

    /** The "expected ..." part of the message. */
    String expected() {
        String s = expected;
        if (arg1 != null) {
            s = s.replaceFirst("%s", arg1);
        }
        if (arg2 != null) {
            s = s.replaceFirst("%s", arg2);
        }
        return s;
    }

    /** The "got ..." part: the offending bytes quoted (truncated; {@code ""} when empty), or a length. */
    String found(byte[] line) {
        if (length >= 0) {
            return length + " bytes";
        }
        StringBuilder sb = new StringBuilder(QUOTE_MAX + 5).append('"');
        int n = Math.min(to - from, QUOTE_MAX);
        for (int i = 0; i < n; i++) {
            int c = line[from + i] & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        if (to - from > QUOTE_MAX) {
            sb.append("...");
        }
        return sb.append('"').toString();
    }
}
