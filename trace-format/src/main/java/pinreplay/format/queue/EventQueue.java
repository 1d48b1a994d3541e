package pinreplay.format.queue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * A pinreplay event queue: a directory holding a Chronicle queue of record blocks (one excerpt per
 * {@link pinreplay.format.EventWriter#BLOCK_SIZE} block, see {@link Excerpt}) and its
 * {@link QueueMetadata} file. {@link #create} makes a new queue to write through {@link #appender()};
 * {@link #open} opens one read-only for {@link #reader()}. One writer per queue; any number of readers,
 * in this or other processes, also while the writer is still appending.
 */
public final class EventQueue implements AutoCloseable {
    /**
     * Chronicle's default memory-map chunk. An excerpt may use at most half a chunk, so tests pass a
     * small one of at least {@link #MIN_CHRONICLE_BLOCK_SIZE}.
     */
    public static final long DEFAULT_CHRONICLE_BLOCK_SIZE = 64L << 20;
    /** Smallest chunk that holds a full block excerpt (Chronicle limits an excerpt to half a chunk). */
    public static final long MIN_CHRONICLE_BLOCK_SIZE = 1L << 20;

    static {
        // Before any Chronicle class initialises: no analytics call home, no banner, no disk-space
        // monitor thread, and JNA's scratch files under the temp dir rather than ~/.cache.
        quietly("chronicle.analytics.disable");
        quietly("chronicle.announcer.disable");
        quietly("chronicle.disk.monitor.disable");
        if (System.getProperty("jna.tmpdir") == null) {
            System.setProperty("jna.tmpdir", System.getProperty("java.io.tmpdir"));
        }
    }

    private final Path dir;
    private final SingleChronicleQueue chronicle;
    private QueueMetadata metadata;

    private EventQueue(Path dir, SingleChronicleQueue chronicle, QueueMetadata metadata) {
        this.dir = dir;
        this.chronicle = chronicle;
        this.metadata = metadata;
    }

    /** Creates a new queue in {@code dir} with the default Chronicle block size. */
    public static EventQueue create(Path dir, QueueMetadata metadata, boolean replace) {
        return create(dir, metadata, replace, DEFAULT_CHRONICLE_BLOCK_SIZE);
    }

    /**
     * Creates a new queue in {@code dir} (made if missing) and saves {@code metadata} as
     * {@link QueueMetadata.State#WRITING}. An existing non-empty directory is refused unless
     * {@code replace} is set and it holds a pinreplay queue and nothing else; then that queue is deleted.
     *
     * @throws QueueException EXISTS or UNWRITABLE
     */
    public static EventQueue create(Path dir, QueueMetadata metadata, boolean replace, long chronicleBlockSize) {
        if (chronicleBlockSize < MIN_CHRONICLE_BLOCK_SIZE) {
            throw new IllegalArgumentException("Chronicle block size " + chronicleBlockSize + " is below "
                    + MIN_CHRONICLE_BLOCK_SIZE + ": a block excerpt would not fit");
        }
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new QueueException(QueueException.Reason.EXISTS, dir + ": exists and is not a directory");
            }
            List<Path> files = entries(dir);
            if (!files.isEmpty()) {
                replaceable(dir, files, replace);
                for (Path f : files) {
                    try {
                        Files.delete(f);
                    } catch (IOException e) {
                        throw new QueueException(QueueException.Reason.UNWRITABLE,
                                f + ": cannot delete the old queue file: " + reason(e));
                    }
                }
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE,
                    dir + ": cannot create the queue directory: " + reason(e));
        }
        if (!Files.isWritable(dir)) {
            throw new QueueException(QueueException.Reason.UNWRITABLE, dir + ": directory is not writable");
        }
        SingleChronicleQueue cq;
        try {
            cq = builder(dir, chronicleBlockSize).readOnly(false).build();
        } catch (RuntimeException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE,
                    dir + ": cannot create the Chronicle queue: " + e.getMessage(), e);
        }
        EventQueue q = new EventQueue(dir, cq, metadata);
        q.saveMetadata();
        return q;
    }

    /**
     * Opens an existing queue read-only.
     *
     * @throws QueueException MISSING, NOT_A_QUEUE, TOO_NEW or CORRUPT
     */
    public static EventQueue open(Path dir) {
        // Checked first: Chronicle would create a missing directory even when read-only.
        if (!Files.exists(dir)) {
            throw new QueueException(QueueException.Reason.MISSING, dir + ": no such queue directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE, dir + ": not a directory");
        }
        QueueMetadata m = QueueMetadata.load(dir);
        SingleChronicleQueue cq;
        try {
            cq = builder(dir, DEFAULT_CHRONICLE_BLOCK_SIZE).readOnly(true).build();
        } catch (RuntimeException e) {
            throw new QueueException(QueueException.Reason.CORRUPT,
                    dir + ": cannot open the Chronicle files: " + e.getMessage(), e);
        }
        return new EventQueue(dir, cq, m);
    }

    public Path dir() {
        return dir;
    }

    /** The metadata as last saved or loaded. */
    public QueueMetadata metadata() {
        return metadata;
    }

    /** Loads the metadata again: the writer may have finished since {@link #open}. */
    public QueueMetadata reloadMetadata() {
        metadata = QueueMetadata.load(dir);
        return metadata;
    }

    /** Saves {@link #metadata()} (the writer calls this once more when it finishes). */
    public void saveMetadata() {
        try {
            metadata.save(dir);
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE,
                    dir + ": cannot write " + QueueMetadata.FILE_NAME + ": " + reason(e));
        }
    }

    /** The writing end; only for a queue made by {@link #create}. */
    public QueueBlockSink appender() {
        return new QueueBlockSink(this, chronicle.createAppender());
    }

    /** A reader from the first block. */
    public QueueReader reader() {
        return new QueueReader(this, chronicle.createTailer());
    }

    @Override
    public void close() {
        chronicle.close();
    }

    private static SingleChronicleQueueBuilder builder(Path dir, long blockSize) {
        return SingleChronicleQueueBuilder.single(dir.toFile())
                .blockSize(blockSize)
                .rollCycle(RollCycles.FAST_DAILY);
    }

    /** Refuses unless {@code replace} and every file in {@code dir} is part of a pinreplay queue. */
    private static void replaceable(Path dir, List<Path> files, boolean replace) {
        if (!QueueMetadata.presentIn(dir)) {
            throw new QueueException(QueueException.Reason.EXISTS, dir + ": exists, is not empty and is not a"
                    + " pinreplay queue; choose another directory" + (replace ? " (--force only replaces queues)" : ""));
        }
        if (!replace) {
            throw new QueueException(QueueException.Reason.EXISTS,
                    dir + ": already holds a queue (use --force to replace it)");
        }
        for (Path f : files) {
            String n = f.getFileName().toString();
            boolean ours = Files.isRegularFile(f) && (n.endsWith(".cq4") || n.endsWith(".cq4t")
                    || n.equals(QueueMetadata.FILE_NAME) || n.equals(QueueMetadata.FILE_NAME + ".tmp"));
            if (!ours) {
                throw new QueueException(QueueException.Reason.EXISTS,
                        dir + ": holds " + n + ", which is not part of a queue; not replacing it");
            }
        }
    }

    private static List<Path> entries(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE, dir + ": cannot list: " + reason(e));
        }
        out.sort(null);
        return out;
    }

    /** Why an I/O call failed, without the path the message already starts with. */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void quietly(String property) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, "true");
        }
    }
}
