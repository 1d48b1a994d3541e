package pinreplay.format.parse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * The {@code # pinreplay record: release=...} line that {@code pinreplay record} writes at the top of a
 * recording ({@code uname -r} of the recorded kernel), read from the first bytes of the input without
 * consuming them: {@link #channel()} still yields the whole input.
 */
public final class RecordingHeader {
    private static final String PREFIX = "# pinreplay record: release=";
    private static final String THP = "# pinreplay record: thp=";
    private static final String HUGEPAGES = "# pinreplay record: hugepages ";
    private static final String KPROBES_NONE = "# pinreplay record: kprobes=none";
    private static final int PEEK = 64 * 1024;

    private final String release;
    private final ReadableByteChannel channel;

    private RecordingHeader(String release, ReadableByteChannel channel) {
        this.release = release;
        this.channel = channel;
    }

    /** Reads up to 64 KiB of {@code in}'s leading comment lines. */
    public static RecordingHeader peek(ReadableByteChannel in) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(PEEK);
        while (b.hasRemaining() && in.read(b) >= 0) {
            // fill the peek window or reach the end
        }
        byte[] bytes = b.array();
        int len = b.position();
        String release = null;
        int lineStart = 0;
        for (int i = 0; i < len && release == null; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            String line = new String(bytes, lineStart, i - lineStart, StandardCharsets.ISO_8859_1).strip();
            if (!line.isEmpty() && !line.startsWith("#")) {
                break; // the header ends at the first event
            }
            release = releaseOf(line);
            lineStart = i + 1;
        }
        return new RecordingHeader(release, new PrefixedChannel(bytes, len, in));
    }

    /**
     * The release the header line {@code # pinreplay record: release=X ... [update=X.Y.Z]} names; null for any other
     * line. {@code update=} is the stable update a distribution's {@code uname -r} does not show ({@code /proc/version}'s
     * "Debian 6.1.176-1" of {@code 6.1.0-50-amd64}, Ubuntu's {@code /proc/version_signature}), preferred when it names
     * the same X.Y.
     */
    public static String releaseOf(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        String rest = line.substring(PREFIX.length());
        int sp = rest.indexOf(' ');
        String release = sp < 0 ? rest : rest.substring(0, sp);
        String update = valueOf(rest, " update=");
        return update != null && series(update).equals(series(release)) ? update : release;
    }

    private static String valueOf(String fields, String key) {
        int at = fields.indexOf(key);
        if (at < 0) {
            return null;
        }
        int from = at + key.length();
        int end = fields.indexOf(' ', from);
        return fields.substring(from, end < 0 ? fields.length() : end);
    }

    /** {@code 6.1} of {@code 6.1.0-50-amd64} or {@code 6.1.176}. */
    private static String series(String release) {
        int dot = release.indexOf('.');
        int end = dot + 1;
        while (end < release.length() && Character.isDigit(release.charAt(end))) {
            end++;
        }
        return dot < 0 ? release : release.substring(0, end);
    }

    /**
     * Why the recording has no kprobes, from the header line {@code # pinreplay record: kprobes=none (REASON)} that a
     * recording of a kernel without them carries ("" when it gives none); null for any other line.
     */
    public static String withoutKprobesOf(String line) {
        if (!line.startsWith(KPROBES_NONE)) {
            return null;
        }
        String rest = line.substring(KPROBES_NONE.length()).strip();
        return rest.startsWith("(") && rest.endsWith(")") ? rest.substring(1, rest.length() - 1) : rest;
    }

    /**
     * The transparent-huge-page mode the header line {@code # pinreplay record: thp=MODE} names (the recorded
     * machine's /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never); null for any other line.
     */
    public static String thpOf(String line) {
        return line.startsWith(THP) ? line.substring(THP.length()).strip() : null;
    }

    /**
     * The huge page size in bytes a header line {@code # pinreplay record: hugepages size=NkB nr=.. free=.. resv=..
     * default=0|1} names (one line per directory of the recorded machine's /sys/kernel/mm/hugepages/, the hstates it
     * registered; default=1 for /proc/meminfo's Hugepagesize), negated when it is the default; 0 for any other line.
     */
    public static long hugepagesOf(String line) {
        if (!line.startsWith(HUGEPAGES)) {
            return 0;
        }
        String fields = " " + line.substring(HUGEPAGES.length()).strip();
        String size = valueOf(fields, " size=");
        if (size == null || !size.endsWith("kB")) {
            return 0;
        }
        long kb;
        try {
            kb = Long.parseLong(size.substring(0, size.length() - 2));
        } catch (NumberFormatException e) {
            return 0;
        }
        if (kb <= 0 || kb > (Long.MAX_VALUE >> 10)) {
            return 0;
        }
        return "1".equals(valueOf(fields, " default=")) ? -(kb << 10) : kb << 10;
    }

    /**
     * A pool counter of a {@code # pinreplay record: hugepages} header line: {@code key} is {@code nr}, {@code free},
     * {@code resv}, {@code surplus} or {@code overcommit} (the hstate's nr_hugepages, free_hugepages, resv_hugepages,
     * surplus_hugepages, nr_overcommit_hugepages); -1 when the line is another or does not give it (surplus= and
     * overcommit= came later than the others).
     */
    public static long hugepagesCount(String line, String key) {
        if (!line.startsWith(HUGEPAGES)) {
            return -1;
        }
        String v = valueOf(" " + line.substring(HUGEPAGES.length()).strip(), " " + key + "=");
        if (v == null || v.isEmpty()) {
            return -1;
        }
        try {
            long n = Long.parseLong(v);
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** {@code uname -r} of the recorded kernel, or null when the input is no {@code pinreplay record} recording. */
    public String release() {
        return release;
    }

    /** The whole input, peeked bytes first. */
    public ReadableByteChannel channel() {
        return channel;
    }
}
