package pinreplay.format.print;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import pinreplay.format.SymbolTable;

/**
 * A reused output buffer over an {@link OutputStream} with the few formatting primitives the
 * printers need (padded decimals, hex, JSON string escaping). Nothing allocates per call; a write
 * failure surfaces as {@link UncheckedIOException} because {@code EventHandler.onEvent} cannot
 * throw checked exceptions.
 */
final class TextBuffer {
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final OutputStream out;
    private final byte[] buf = new byte[1 << 17];
    private final byte[] digits = new byte[20];
    private final byte[] scratch = new byte[1 << 16];
    private int pos;

    TextBuffer(OutputStream out) {
        this.out = out;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            drain();
        }
    }

    private void drain() {
        try {
            out.write(buf, 0, pos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pos = 0;
    }

    /** Writes out what is buffered and flushes the stream. */
    void flush() {
        drain();
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void put(char c) {
        ensure(1);
        buf[pos++] = (byte) c;
    }

    void put(byte[] b, int from, int len) {
        ensure(len);
        System.arraycopy(b, from, buf, pos, len);
        pos += len;
    }

    void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    /** {@code n} times {@code c}; nothing when {@code n <= 0}. */
    void repeat(char c, int n) {
        for (int i = 0; i < n; i++) {
            put(c);
        }
    }

    /** A symbol's bytes, as they are. */
    void symbol(SymbolTable t, int id) {
        ensure(t.length(id));
        pos += t.copy(id, buf, pos);
    }

    /** A symbol as a JSON string. */
    void jsonSymbol(SymbolTable t, int id) {
        int n = t.copy(id, scratch, 0);
        jsonString(scratch, 0, n);
    }

    /**
     * {@code "..."} with JSON escapes. Valid UTF-8 passes through; text with an ill-formed sequence is
     * decoded as Java (and so the replayer's JSON) does, each bad sequence becoming U+FFFD, so the
     * output is always valid JSON. Only such text allocates.
     */
    void jsonString(byte[] b, int from, int len) {
        if (!Utf8.isValid(b, from, from + len)) {
            byte[] fixed = new String(b, from, len, java.nio.charset.StandardCharsets.UTF_8)
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            jsonString(fixed, 0, fixed.length);
            return;
        }
        put('"');
        for (int i = from; i < from + len; i++) {
            int c = b[i] & 0xff;
            if (c == '"' || c == '\\') {
                put('\\');
                put((char) c);
            } else if (c == '\n') {
                ascii("\\n");
            } else if (c == '\t') {
                ascii("\\t");
            } else if (c == '\r') {
                ascii("\\r");
            } else if (c < 0x20) {
                ascii("\\u00");
                put((char) HEX[c >> 4]);
                put((char) HEX[c & 0xf]);
            } else {
                put((char) c);
            }
        }
        put('"');
    }

    void dec(long v) {
        decPadded(v, 0, ' ', false);
    }

    /** {@code v} in decimal, padded with {@code pad} to {@code width}: on the right when {@code left}, else on the left. */
    void decPadded(long v, int width, char pad, boolean left) {
        int n = 0;
        long u = v;
        do {
            digits[n++] = (byte) ('0' + Math.abs(u % 10));
            u /= 10;
        } while (u != 0);
        int len = n + (v < 0 ? 1 : 0);
        if (!left) {
            repeat(pad, width - len);
        }
        ensure(len);
        if (v < 0) {
            buf[pos++] = '-';
        }
        while (n > 0) {
            buf[pos++] = digits[--n];
        }
        if (left) {
            repeat(pad, width - len);
        }
    }

    /** Lowercase hex of the unsigned value, at least {@code width} digits. */
    void hex(long v, int width) {
        int n = 0;
        long u = v;
        do {
            digits[n++] = HEX[(int) (u & 0xf)];
            u >>>= 4;
        } while (u != 0);
        repeat('0', width - n);
        ensure(n);
        while (n > 0) {
            buf[pos++] = digits[--n];
        }
    }
}
