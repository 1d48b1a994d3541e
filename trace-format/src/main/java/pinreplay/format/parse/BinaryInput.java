package pinreplay.format.parse;

/**
 * Files often given for trace text that are not text, told apart by their first bytes (their magic numbers),
 * so that the message names what the file is and how to get its text instead of quoting binary garbage.
 */
final class BinaryInput {
    private static final byte[] GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] BZIP2 = {'B', 'Z', 'h'};
    /** trace-cmd's trace.dat: "\027\010\104tracing" (trace-cmd.dat(5)). */
    private static final byte[] TRACE_DAT = {0x17, 0x08, 0x44, 't', 'r', 'a', 'c', 'i', 'n', 'g'};
    private static final byte[] PERF_DATA = {'P', 'E', 'R', 'F', 'I', 'L', 'E', '2'};
    private static final byte[] ELF = {0x7f, 'E', 'L', 'F'};

    private BinaryInput() {
    }

    /**
     * What the input whose first bytes are {@code buf[from, to)} is, and how to get trace text from it; null when
     * nothing says it is not text. {@code to} may stop at the first newline byte: every magic is shorter.
     */
    static String kind(byte[] buf, int from, int to) {
        if (starts(buf, from, to, GZIP)) {
            return "a gzip-compressed file: decompress it first (zcat FILE | pinreplay replay -)";
        }
        if (starts(buf, from, to, XZ)) {
            return "an xz-compressed file: decompress it first (xzcat FILE | pinreplay replay -)";
        }
        if (starts(buf, from, to, ZSTD)) {
            return "a zstd-compressed file: decompress it first (zstdcat FILE | pinreplay replay -)";
        }
        if (starts(buf, from, to, BZIP2) && to - from > 3 && buf[from + 3] >= '1' && buf[from + 3] <= '9') {
            return "a bzip2-compressed file: decompress it first (bzcat FILE | pinreplay replay -)";
        }
        if (starts(buf, from, to, TRACE_DAT)) {
            return "trace-cmd's binary trace.dat: print it as text first (trace-cmd report -i FILE > FILE.txt)";
        }
        if (starts(buf, from, to, PERF_DATA)) {
            return "a perf.data file: pinreplay reads ftrace text (pinreplay record, or trace-cmd record and report)";
        }
        if (starts(buf, from, to, ELF)) {
            return "an ELF binary";
        }
        for (int i = from; i < to; i++) {
            if (buf[i] == 0) {
                return "binary data (a NUL byte at offset " + (i - from) + ")";
            }
        }
        return null;
    }

    private static boolean starts(byte[] buf, int from, int to, byte[] magic) {
        if (to - from < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (buf[from + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
