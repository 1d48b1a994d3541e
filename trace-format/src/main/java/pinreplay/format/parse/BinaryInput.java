package pinreplay.format.parse;

import java.nio.charset.StandardCharsets;

/**
 * Files often given for trace text that are not text, told apart by their first bytes (their magic numbers),
 * so that the message names what the file is and how to get its text instead of quoting binary garbage.
 */
final class BinaryInput {
    private record Magic(byte[] bytes, String kind) {
        Magic(String latin1, String kind) {
            this(latin1.getBytes(StandardCharsets.ISO_8859_1), kind);
        }
    }

    private static final Magic[] KNOWN = {
        new Magic("\u001f\u008b", "a gzip-compressed file: decompress it first (zcat FILE | pinreplay replay -)"),
        new Magic("\u00fd7zXZ\0", "an xz-compressed file: decompress it first (xzcat FILE | pinreplay replay -)"),
        new Magic("\u0028\u00b5\u002f\u00fd",
                "a zstd-compressed file: decompress it first (zstdcat FILE | pinreplay replay -)"),
        new Magic("BZh", "a bzip2-compressed file: decompress it first (bzcat FILE | pinreplay replay -)"),
        // trace-cmd.dat(5): "\027\010\104tracing"
        new Magic("\u0017\u0008\u0044tracing", "trace-cmd's binary trace.dat: print it as text first"
                + " (trace-cmd report -i FILE > FILE.txt)"),
        new Magic("PERFILE2", "a perf.data file: pinreplay reads ftrace text (pinreplay record, or trace-cmd record"
                + " and report)"),
        new Magic("\u007fELF", "an ELF binary"),
    };

    private BinaryInput() {
    }

    /**
     * What the input whose first bytes are {@code buf[from, to)} is, and how to get trace text from it; null when
     * nothing says it is not text. {@code to} may stop at the first newline byte: every magic is shorter.
     */
    static String kind(byte[] buf, int from, int to) {
        for (Magic m : KNOWN) {
            if (Bytes.startsWith(buf, from, to, m.bytes)) {
                return m.kind;
            }
        }
        int nul = Bytes.indexOf(buf, from, to, (byte) 0);
        return nul >= 0 ? "binary data (a NUL byte at offset " + (nul - from) + ")" : null;
    }
}
