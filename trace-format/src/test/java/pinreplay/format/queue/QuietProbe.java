package pinreplay.format.queue;

import java.nio.file.Path;

import pinreplay.format.EventWriter;

/** Writes and reads a queue in a fresh JVM, for {@link QuietTest}: any output is a failure. */
public final class QuietProbe {
    private QuietProbe() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        try (EventQueue q = TestQueues.create(dir)) {
            QueueBlockSink sink = q.appender();
            EventWriter w = TestQueues.write(sink, 3_000);
            w.finish();
            q.metadata().countsFrom(w).blocks(sink.blocks()).complete();
            q.saveMetadata();
        }
        try (EventQueue q = EventQueue.open(dir); QueueReader r = q.reader()) {
            r.readTo(new TestQueues.Collect());
        }
        for (String off : new String[] {"chronicle.analytics.disable", "chronicle.announcer.disable"}) {
            if (!"true".equals(System.getProperty(off))) {
                System.out.println(off + " was not set by EventQueue");
            }
        }
    }
}
