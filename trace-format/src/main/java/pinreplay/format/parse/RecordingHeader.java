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

    /** The release the header line {@code # pinreplay record: release=X ...} names; null for any other line. */
    public static String releaseOf(String line) {
        if (!line.startsWith(PREFIX)) {
            return null;
        }
        String rest = line.substring(PREFIX.length());
        int sp = rest.indexOf(' ');
        return sp < 0 ? rest : rest.substring(0, sp);
    }

    /**
     * The transparent-huge-page mode the header line {@code # pinreplay record: thp=MODE} names (the recorded
     * machine's /sys/kernel/mm/transparent_hugepage/enabled: always, madvise or never); null for any other line.
     */
    public static String thpOf(String line) {
        return line.startsWith(THP) ? line.substring(THP.length()).strip() : null;
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
