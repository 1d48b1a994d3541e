package pinreplay.replay.run;

import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import pinreplay.format.EventHandler;
import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.TraceFormatException;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.RecordingHeader;
import pinreplay.format.parse.TraceParser;
import pinreplay.format.queue.QueueMetadata;

/**
 * Where a replay's events come from: trace text (a file, or a stream such as standard input), parsed as it
 * is read with no queue in between, or a queue written by {@code ingest} ({@link QueueSource}, the only
 * class here that loads Chronicle). Input that cannot be read is a {@link TraceFormatException} naming it.
 */
public abstract class TraceSource {
    /** The name of standard input in {@code FILE:LINE:} messages. */
    public static final String STDIN = TraceParser.STDIN;

    private final String name;

    TraceSource(String name) {
        this.name = name;
    }

    /** {@code -} for {@code stdin}, else the trace file {@code input}. */
    public static TraceSource text(String input, InputStream stdin) {
        return "-".equals(input) ? new Text(STDIN, null, stdin, null) : new Text(input, Path.of(input), null, null);
    }

    /** The file {@code input}, or {@code stdin} for {@code -}, as a channel: the one opener of trace text. */
    public static ReadableByteChannel open(String input, InputStream stdin) {
        return ((Text) text(input, stdin)).open();
    }

    /** The name of {@code input} in messages: {@code <stdin>} for {@code -}. */
    public static String name(String input) {
        return "-".equals(input) ? STDIN : input;
    }

    /** A queue directory written by {@code ingest}. */
    public static TraceSource queue(Path dir) {
        return new QueueSource(dir);
    }

    /** The path, or {@code <stdin>}: the name in messages. */
    public String name() {
        return name;
    }

    /** The kernel release ({@code uname -r}) a {@code pinreplay record} recording names in its header, or null. */
    public String recordedRelease() {
        return null;
    }

    /** This source, readable once per replay: a stream is read into memory first. */
    public TraceSource rereadable() {
        return this;
    }

    /**
     * Reads every event into {@code handler} and ends it. Text: {@code lenient} skips malformed lines and names
     * the first ten on {@code warnings}. Queue: {@code allowIncomplete} reads the prefix of an incomplete queue
     * (saying how far it goes on {@code warnings}) instead of throwing.
     */
    public abstract void readTo(EventHandler handler, boolean lenient, boolean allowIncomplete, PrintWriter warnings);

    /** Trace text from a file (opened per read) or a stream (read once). */
    private static final class Text extends TraceSource {
        private final Path file;
        private final byte[] bytes;
        private InputStream stream;
        /** Opened by {@link #recordedRelease()}: the whole input, its head peeked. */
        private ReadableByteChannel peeked;

        Text(String name, Path file, InputStream stream, byte[] bytes) {
            super(name);
            this.file = file;
            this.stream = stream;
            this.bytes = bytes;
        }

        @Override
        public String recordedRelease() {
            try {
                RecordingHeader h = RecordingHeader.peek(open());
                peeked = h.channel();
                return h.release();
            } catch (IOException e) {
                throw new TraceFormatException(name() + ": cannot read: " + e.getMessage());
            }
        }

        @Override
        public TraceSource rereadable() {
            if (stream == null) {
                return this;
            }
            try (InputStream in = Channels.newInputStream(open())) {
                return new Text(name(), null, null, in.readAllBytes());
            } catch (IOException e) {
                throw new TraceFormatException(name() + ": cannot read: " + e.getMessage());
            }
        }

        @Override
        public void readTo(EventHandler handler, boolean lenient, boolean allowIncomplete, PrintWriter warnings) {
            EventWriter writer = new EventWriter(new EventReader(handler));
            ParseStats stats;
            try (ReadableByteChannel in = open()) {
                stats = new TraceParser(name(), writer, lenient).parse(in);
            } catch (IOException e) {
                throw new TraceFormatException(name() + ": cannot read: " + e.getMessage());
            }
            writer.finish();
            stats.printSkipped(warnings);
        }

        /**
         * Started with file descriptor 0 closed, the JVM's first open file took it (its lib/modules): standard input
         * is then a file of the JDK, not the trace.
         */
        private static boolean isStdin(InputStream in) {
            try {
                return in == System.in || in instanceof FileInputStream f && f.getFD() == java.io.FileDescriptor.in;
            } catch (IOException e) {
                return false;
            }
        }

        private static boolean stdinClosed() {
            try {
                Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/0"));
                return target.startsWith(Path.of(System.getProperty("java.home")).toRealPath());
            } catch (IOException | SecurityException e) {
                return false; // no /proc: nothing to tell
            }
        }

        private ReadableByteChannel open() {
            if (peeked != null) {
                ReadableByteChannel c = peeked;
                peeked = null;
                return c;
            }
            if (bytes != null) {
                return Channels.newChannel(new ByteArrayInputStream(bytes));
            }
            if (stream != null) {
                InputStream in = stream;
                stream = null;
                if (isStdin(in) && stdinClosed()) {
                    throw new TraceFormatException(name() + ": standard input is closed");
                }
                return in instanceof FileInputStream f ? f.getChannel() : Channels.newChannel(in);
            }
            if (file == null) {
                throw new IllegalStateException(name() + " was read already");
            }
            if (Files.isDirectory(file)) {
                throw new TraceFormatException(name() + (QueueMetadata.presentIn(file)
                        ? ": is a queue (written by ingest), expected a trace file: --queue " + name() + " reads it"
                        : ": is a directory, expected a trace file"));
            }
            try {
                return FileChannel.open(file);
            } catch (NoSuchFileException e) {
                throw new TraceFormatException(name() + ": no such file");
            } catch (AccessDeniedException e) {
                throw new TraceFormatException(name() + ": permission denied");
            } catch (IOException e) {
                throw new TraceFormatException(name() + ": cannot open: " + e.getMessage());
            }
        }
    }
}
