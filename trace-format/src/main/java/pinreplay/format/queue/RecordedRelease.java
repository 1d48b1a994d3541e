package pinreplay.format.queue;

import pinreplay.format.EventReader;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.parse.RecordingHeader;
import pinreplay.format.EventHandler;

/**
 * The kernel release ({@code uname -r}) that a {@code pinreplay record} recording names in its header, read
 * from the comments at the start of the queue it was ingested into, so that a queue replays under the release
 * it was recorded on as its text does.
 */
public final class RecordedRelease {
    private RecordedRelease() {
    }

    /**
     * Reads {@code reader}'s records up to the first event that is not a comment; {@code follow} waits for them
     * while the writer appends (a live recording). Returns the release, or null when the header names none.
     */
    public static String of(QueueReader reader, boolean follow) {
        Header header = new Header();
        EventReader events = new EventReader(header);
        try {
            if (follow) {
                reader.follow(events, () -> { });
            } else {
                reader.readTo(events);
            }
        } catch (HeaderEnd e) {
            // the first event after the header
        }
        return header.release;
    }

    private static final class Header implements EventHandler {
        String release;

        @Override
        public void onEvent(EventView v) {
            if (v.type() != EventType.COMMENT) {
                throw new HeaderEnd();
            }
            String r = RecordingHeader.releaseOf(v.rawString().strip());
            if (r != null) {
                release = r;
            }
        }
    }

    /** Stops the read at the first event after the header. */
    private static final class HeaderEnd extends RuntimeException {
        HeaderEnd() {
            super(null, null, false, false);
        }
    }
}
