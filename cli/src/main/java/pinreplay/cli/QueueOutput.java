package pinreplay.cli;

import java.util.function.Function;

import pinreplay.format.EventWriter;
import pinreplay.format.queue.AsyncBlockSink;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueBlockSink;
import pinreplay.format.queue.QueueException;

/**
 * The one way commands fill a queue (ingest, synth --queue): records written on the caller's thread are
 * appended on a writer thread. The filler sets the metadata's lines and finishes the writer; a failed write
 * (a full disk) or an Error marks the queue stopped after its last whole block.
 */
final class QueueOutput {
    private QueueOutput() {
    }

    /** Runs {@code fill} over a writer into {@code queue}; {@code source} names the input in failures. */
    static <T> T write(EventQueue queue, String source, Function<EventWriter, T> fill) {
        QueueBlockSink sink = queue.appender();
        EventWriter writer = null;
        try (AsyncBlockSink async = new AsyncBlockSink(sink, "pinreplay-queue-writer")) {
            writer = new EventWriter(async);
            return fill.apply(writer);
        } catch (QueueException e) {
            // The writer thread has stopped (closing the async sink waited for it): mark what it appended.
            String prefix = queue.dir() + ": ";
            stopAfterFailure(sink, e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length())
                    : e.getMessage());
            throw e;
        } catch (Error e) {
            long line = writer != null ? writer.lastLine() : 0;
            writer = null; // its symbols may be what filled the heap
            String what = (e instanceof OutOfMemoryError ? "out of memory" : "internal error (" + e + ")")
                    + " after " + source + ":" + line;
            stopAfterFailure(sink, what);
            if (e instanceof OutOfMemoryError) { // the input needs more than the heap (exit 3, as ExitCodes says)
                throw new InputException(what + "; " + queue.dir() + " is stopped there: give the JVM a larger heap,"
                        + " e.g. PINREPLAY_JAVA_OPTS=-Xmx8g");
            }
            throw new OutputException(what + "; " + queue.dir() + " is stopped there");
        }
    }

    /** Best effort: a full disk may refuse even this, and the failure being reported matters more. */
    private static void stopAfterFailure(QueueBlockSink sink, String why) {
        try {
            sink.stopAfterFailure(why);
        } catch (QueueException | Error e) {
            // the queue stays "writing": readers see it incomplete, with the same prefix
        }
    }
}
