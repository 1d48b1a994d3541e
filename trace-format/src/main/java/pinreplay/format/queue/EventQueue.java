package pinreplay.format.queue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.posix.PosixAPI;

import pinreplay.format.parse.Checkpoint;

/**
 * A pinreplay event queue: a directory holding a Chronicle queue of record blocks (one excerpt per
 * {@link pinreplay.format.EventWriter#BLOCK_SIZE} block, see {@link Excerpt}) and its
 * {@link QueueMetadata} file. {@link #create} makes a new queue to write through {@link #appender()};
 * {@link #open} opens one read-only for {@link #reader()}. One writer per queue, enforced by its
 * {@link WriterLock}; any number of readers, in this or other processes, also while the writer is
 * still appending.
 *
 * <p>A queue that replaces another ({@code --force}, {@code ingest --resume}) is built in a sibling
 * directory, {@code .NAME.pinreplay-new}, while the old one stays locked and readable; {@link #commit}
 * swaps it in by two renames, and {@link #close} without a commit deletes it. A queue directory is
 * never a symbolic link, and deleting one removes only the files a queue is made of.
 */
public final class EventQueue implements AutoCloseable {
    /**
     * Chronicle's default memory-map chunk. An excerpt may use at most a quarter of a chunk (measured:
     * 262,124 payload bytes with 1 MiB chunks), so tests pass a small one of at least
     * {@link #MIN_CHRONICLE_BLOCK_SIZE}.
     */
    public static final long DEFAULT_CHRONICLE_BLOCK_SIZE = 64L << 20;
    /** Smallest chunk that holds a full block excerpt (Chronicle limits an excerpt to a quarter of a chunk). */
    public static final long MIN_CHRONICLE_BLOCK_SIZE = 2L << 20;
    /**
     * Disk space the writer keeps in a file of its own and frees when the disk is full, so that it can
     * still mark the queue stopped.
     */
    static final String RESERVE = "pinreplay-queue.reserve";
    private static final int RESERVE_SIZE = 64 << 10;
    private static final String CHRONICLE_TABLE = "metadata.cq4t";

    static {
        // Before any Chronicle class initialises: no analytics call home, no banner, no disk-space
        // monitor thread, and JNA's scratch files under the temp dir rather than ~/.cache.
        quietly("chronicle.analytics.disable");
        quietly("chronicle.announcer.disable");
        quietly("chronicle.disk.monitor.disable");
        if (System.getProperty("jna.tmpdir") == null) {
            System.setProperty("jna.tmpdir", System.getProperty("java.io.tmpdir"));
        }
        // Chronicle calls POSIX through jnr-ffi only to msync a queue with a sync mode (none here) and
        // from Enterprise's pretoucher; binding it generates classes at every start (0.1 s of CPU).
        PosixAPI.useNoOpPosixApi();
    }

    /** Where the queue is written (the sibling while it replaces {@link #target}), or read. */
    private Path dir;
    private final Path target;
    private final SingleChronicleQueue chronicle;
    private final WriterLock lock;
    /** The lock of the queue being replaced, held until the swap; null when writing in place. */
    private final WriterLock targetLock;
    private QueueMetadata metadata;
    /** The identity of the directory a reader opened ({@link #open}); null for a writer. */
    private Object opened;
    private Checkpoints checkpoints;
    private boolean committed;

    private EventQueue(Path dir, Path target, SingleChronicleQueue chronicle, QueueMetadata metadata,
                       WriterLock lock, WriterLock targetLock) {
        this.dir = dir;
        this.target = target;
        this.chronicle = chronicle;
        this.metadata = metadata;
        this.lock = lock;
        this.targetLock = targetLock;
    }

    /** Creates a new queue in {@code dir} with the default Chronicle block size. */
    public static EventQueue create(Path dir, QueueMetadata metadata, boolean replace) {
        return create(dir, metadata, replace, DEFAULT_CHRONICLE_BLOCK_SIZE);
    }

    /**
     * Creates a new queue in {@code dir} (made if missing), locked for writing, and saves {@code metadata}
     * as {@link QueueMetadata.State#WRITING}. An existing non-empty directory is refused unless
     * {@code replace} is set and it holds a pinreplay queue and nothing else; the new queue is then
     * built beside it and replaces it at {@link #commit}.
     *
     * @throws QueueException EXISTS, BUSY or UNWRITABLE
     */
    public static EventQueue create(Path dir, QueueMetadata metadata, boolean replace, long chronicleBlockSize) {
        if (chronicleBlockSize < MIN_CHRONICLE_BLOCK_SIZE) {
            throw new IllegalArgumentException("Chronicle block size " + chronicleBlockSize + " is below "
                    + MIN_CHRONICLE_BLOCK_SIZE + ": a block excerpt would not fit");
        }
        refuseLink(dir);
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new QueueException(QueueException.Reason.EXISTS, dir + ": exists and is not a directory");
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
        boolean hadLock = Files.exists(dir.resolve(WriterLock.FILE_NAME), LinkOption.NOFOLLOW_LINKS);
        WriterLock lock = WriterLock.acquire(dir);
        List<Path> files = entries(dir);
        files.remove(dir.resolve(WriterLock.FILE_NAME));
        // a writer that lost the race to lock the same new directory is deleting its temporary lock file
        files.removeIf(f -> f.getFileName().toString().startsWith(WriterLock.TEMP_PREFIX));
        if (files.isEmpty()) {
            return build(dir, dir, metadata, chronicleBlockSize, lock, null);
        }
        try {
            replaceable(dir, files, replace); // another writer may have filled it before we locked it
        } catch (QueueException e) {
            lock.close();
            if (!hadLock) {
                deleteQuietly(dir.resolve(WriterLock.FILE_NAME)); // a refused directory keeps nothing of ours
            }
            throw e;
        }
        return beside(dir, metadata, chronicleBlockSize, lock);
    }

    /**
     * Starts a queue that will replace the one in {@code dir} ({@code ingest --resume}): locks it, so no
     * other writer can start, and builds the new one beside it. The old queue stays readable until
     * {@link #commit}.
     *
     * @throws QueueException MISSING, NOT_A_QUEUE, EXISTS, BUSY or UNWRITABLE
     */
    public static EventQueue replacing(Path dir, QueueMetadata metadata, long chronicleBlockSize) {
        refuseLink(dir);
        if (!Files.isDirectory(dir)) {
            throw new QueueException(QueueException.Reason.MISSING, dir + ": no such queue directory");
        }
        if (!QueueMetadata.presentIn(dir) && !unborn(dir)) {
            throw new QueueException(QueueException.Reason.NOT_A_QUEUE,
                    dir + ": not a pinreplay queue (no " + QueueMetadata.FILE_NAME + ")");
        }
        WriterLock lock = WriterLock.acquire(dir);
        try {
            replaceable(dir, entries(dir), true);
        } catch (QueueException e) {
            lock.close();
            throw e;
        }
        return beside(dir, metadata, chronicleBlockSize, lock);
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
            throw isAFile(dir);
        }
        if (!QueueMetadata.presentIn(dir) && unborn(dir)) {
            Optional<String> writer = WriterLock.holder(dir);
            boolean data = listed(dir).stream().anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
            throw new QueueException(QueueException.Reason.INCOMPLETE, dir + ": incomplete: " + (writer.isPresent()
                    ? "still being created by " + writer.get() : data ? "its " + QueueMetadata.FILE_NAME + " is missing"
                    + " though it holds events (deleted, or its writer died as it began; ingest --force makes it again)"
                    : "its writer is gone before it created the queue (ingest --resume starts it again)"));
        }
        Object key = directoryKey(dir);
        QueueMetadata m = QueueMetadata.load(dir);
        checkChronicleTable(dir);
        for (Path f : listed(dir)) {
            if (f.getFileName().toString().endsWith(".cq4") && !Files.isRegularFile(f)) {
                throw new QueueException(QueueException.Reason.UNREADABLE, f + ": cannot read the queue file: not a"
                        + " regular file");
            }
        }
        SingleChronicleQueue cq;
        try {
            cq = builder(dir, DEFAULT_CHRONICLE_BLOCK_SIZE).readOnly(true).build();
        } catch (RuntimeException e) {
            throw new QueueException(QueueException.Reason.CORRUPT,
                    dir + ": corrupt queue: cannot open the Chronicle files: " + firstLine(e), e);
        }
        EventQueue q = new EventQueue(dir, dir, cq, m, null, null);
        q.opened = key;
        return q;
    }

    /** A file where a queue was expected: most often the trace itself, given to {@code --queue}. */
    private static QueueException isAFile(Path dir) {
        return new QueueException(QueueException.Reason.NOT_A_QUEUE, dir + ": is a file, expected a queue directory"
                + " (the directory pinreplay ingest writes)");
    }

    /**
     * Opens {@code dir} once an ingest has created its queue there ({@code cat --follow} started before
     * the ingest). Returns null if the thread is interrupted first.
     *
     * @throws QueueException NOT_A_QUEUE when the directory fills with other files; INCOMPLETE when a
     *                        writer locked it and is gone before it made the queue
     */
    public static EventQueue openWhenCreated(Path dir) {
        Pauser pauser = Pauser.balanced();
        while (!QueueMetadata.presentIn(dir) || !Files.exists(dir.resolve(CHRONICLE_TABLE))) {
            if (Thread.currentThread().isInterrupted()) {
                return null;
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                // a file never becomes a queue (a trace given where its queue was meant): no wait
                throw isAFile(dir);
            }
            if (Files.isDirectory(dir)) {
                List<Path> files = listed(dir);
                if (files.stream().anyMatch(f -> !ours(f)) && WriterLock.holder(dir).isEmpty()) {
                    return open(dir); // says what it is not (a writer's own files while it creates the queue are no sign)
                }
                if (files.contains(dir.resolve(WriterLock.FILE_NAME)) && !QueueMetadata.presentIn(dir)
                        && WriterLock.holder(dir).isEmpty()) {
                    throw new QueueException(QueueException.Reason.INCOMPLETE,
                            dir + ": incomplete: its writer is gone before it created the queue");
                }
            }
            pauser.pause();
        }
        return open(dir);
    }

    public Path dir() {
        return dir;
    }

    /** The metadata as last saved or loaded. */
    public QueueMetadata metadata() {
        return metadata;
    }

    /**
     * Loads the metadata again: the writer may have finished since {@link #open}.
     *
     * @throws QueueException REPLACED when another queue took the directory's place meanwhile (the
     *                        metadata read may be the other queue's; the blocks read so far are this one's)
     */
    public QueueMetadata reloadMetadata() {
        QueueMetadata m = opened == null ? QueueMetadata.load(dir) : loadUnlessReplaced();
        metadata = m;
        return m;
    }

    /** The metadata, read while the directory is still the one opened (the renames of a replacement never go back). */
    private QueueMetadata loadUnlessReplaced() {
        QueueException failed = null;
        QueueMetadata m = null;
        try {
            m = QueueMetadata.load(dir);
        } catch (QueueException e) {
            failed = e; // missing between the two renames of a replacement, or damaged
        }
        if (!opened.equals(directoryKey(dir))) {
            throw new QueueException(QueueException.Reason.REPLACED, dir + ": another queue took its place while it"
                    + " was read (ingest --force or --resume committed one); read it again");
        }
        if (failed != null) {
            throw failed;
        }
        return m;
    }

    /** The identity (device and inode) of {@code dir}, or null when it is not there. */
    private static Object directoryKey(Path dir) {
        try {
            return Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
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

    /**
     * A reader from the first block.
     *
     * @throws QueueException UNREADABLE when Chronicle cannot open a queue file
     */
    public QueueReader reader() {
        try {
            return new QueueReader(this, chronicle.createTailer());
        } catch (RuntimeException e) {
            throw unreadable(e);
        } catch (Exception e) { // Chronicle throws IOExceptions undeclared
            throw unreadable(e);
        }
    }

    /** A queue file Chronicle could not open, in one line. */
    QueueException unreadable(Exception e) {
        boolean io = e instanceof java.io.IOException || e.getCause() instanceof java.io.IOException;
        return new QueueException(io ? QueueException.Reason.UNREADABLE : QueueException.Reason.CORRUPT,
                dir + (io ? ": cannot read the queue's files: " : ": corrupt queue: Chronicle cannot read its files: ")
                        + firstLine(e), e);
    }

    /**
     * What Chronicle said, on one line: the exception's name and the first line of its message (some append a hex
     * dump).
     */
    private static String firstLine(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || "null".equals(m.strip())) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl)).strip();
    }

    /**
     * Starts this queue's {@link Checkpoints} file for {@code ingest --resume}, with {@code kept}, the
     * checkpoints of the ingest it continues.
     */
    public Checkpoints checkpoints(boolean lenient, List<Checkpoint> kept) {
        checkpoints = Checkpoints.create(dir, lenient, kept);
        return checkpoints;
    }

    /**
     * The writer is done: a queue built beside the one it replaces takes its place now (two renames:
     * the old queue aside, the new one in; then the old one is deleted). A complete queue drops its
     * checkpoints and its disk reserve.
     *
     * @throws QueueException UNWRITABLE when a rename fails (the old queue is then left in place)
     */
    public void commit() {
        if (metadata.state() == QueueMetadata.State.COMPLETE) {
            closeCheckpoints();
            deleteIfPresent(dir.resolve(Checkpoints.FILE_NAME));
        }
        releaseReserve();
        if (dir.equals(target)) {
            committed = true;
            return;
        }
        Path old = sibling(target, "old");
        try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(dir, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                throw e;
            }
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE,
                    target + ": cannot move the new queue into place: " + reason(e));
        }
        dir = target;
        committed = true;
        deleteQueueDir(old);
    }

    /** Frees the disk reserve (the disk is full: room for the last metadata). */
    void releaseReserve() {
        if (lock != null) {
            deleteIfPresent(dir.resolve(RESERVE));
        }
    }

    /**
     * Closes the Chronicle files and lets go of the lock. A replacement that was not committed is
     * deleted, leaving the old queue as it was.
     */
    @Override
    public void close() {
        closeCheckpoints();
        chronicle.close();
        if (lock == null) {
            return;
        }
        releaseReserve();
        lock.close();
        if (targetLock != null) {
            if (!committed) {
                deleteQueueDir(dir);
            }
            targetLock.close();
        }
    }

    private void closeCheckpoints() {
        if (checkpoints != null) {
            checkpoints.close();
            checkpoints = null;
        }
    }

    /** Builds the queue files in {@code dir}, which {@code lock} holds. */
    private static EventQueue build(Path dir, Path target, QueueMetadata metadata, long blockSize,
                                    WriterLock lock, WriterLock targetLock) {
        SingleChronicleQueue cq;
        try {
            reserve(dir);
            cq = builder(dir, blockSize).readOnly(false).build();
        } catch (RuntimeException | InternalError e) { // InternalError: a full disk faults Chronicle's mapped files
            lock.close();
            if (targetLock != null) {
                deleteQueueDir(dir);
                targetLock.close();
            }
            throw e instanceof QueueException q ? q : new QueueException(QueueException.Reason.UNWRITABLE,
                    dir + ": cannot create the Chronicle queue: " + (e instanceof InternalError ? "disk full"
                            : e.getMessage()), e);
        }
        EventQueue q = new EventQueue(dir, target, cq, metadata, lock, targetLock);
        try {
            q.saveMetadata();
        } catch (QueueException e) {
            q.close();
            throw e;
        }
        return q;
    }

    /** A queue to replace the one in {@code target} (whose {@code targetLock} is held), built beside it. */
    private static EventQueue beside(Path target, QueueMetadata metadata, long blockSize, WriterLock targetLock) {
        WriterLock lock;
        Path tmp = sibling(target, "new");
        try {
            for (String leftover : List.of("new", "old")) { // of a replacement killed before it finished
                if (Files.exists(sibling(target, leftover), LinkOption.NOFOLLOW_LINKS)) {
                    deleteQueueDir(sibling(target, leftover));
                }
            }
            Files.createDirectory(tmp);
            lock = WriterLock.acquire(tmp);
        } catch (IOException | QueueException e) {
            targetLock.close();
            throw e instanceof QueueException q ? q : new QueueException(QueueException.Reason.UNWRITABLE,
                    tmp + ": cannot create the directory of the new queue: " + reason((IOException) e));
        }
        return build(tmp, target, metadata, blockSize, lock, targetLock);
    }

    /** {@code .NAME.pinreplay-WHAT} beside {@code dir}. */
    private static Path sibling(Path dir, String what) {
        Path abs = dir.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".pinreplay-" + what);
    }

    private static void reserve(Path dir) {
        try (FileChannel ch = FileChannel.open(dir.resolve(RESERVE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, LinkOption.NOFOLLOW_LINKS)) {
            ch.write(java.nio.ByteBuffer.allocate(RESERVE_SIZE));
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.UNWRITABLE, dir + ": cannot write "
                    + RESERVE + ": " + reason(e));
        }
    }

    private static SingleChronicleQueueBuilder builder(Path dir, long blockSize) {
        return SingleChronicleQueueBuilder.single(dir.toFile())
                .blockSize(blockSize)
                .rollCycle(RollCycles.FAST_DAILY);
    }

    private static void refuseLink(Path dir) {
        if (Files.isSymbolicLink(dir)) {
            throw new QueueException(QueueException.Reason.EXISTS, dir + ": is a symbolic link; a queue is"
                    + " written only into a directory of its own (give the directory itself, not a link to it)");
        }
    }

    /**
     * Chronicle's table store ({@value #CHRONICLE_TABLE}) starts with its wire header; one that does not
     * would make Chronicle fail on a lock it cannot take, so it is reported for what it is.
     */
    private static void checkChronicleTable(Path dir) {
        Path t = dir.resolve(CHRONICLE_TABLE);
        byte[] head = new byte[32];
        int n;
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.READ)) {
            n = ch.read(java.nio.ByteBuffer.wrap(head));
        } catch (NoSuchFileException e) {
            throw new QueueException(QueueException.Reason.CORRUPT, t + ": damaged queue metadata: the file is missing");
        } catch (IOException e) {
            throw new QueueException(QueueException.Reason.CORRUPT, t + ": cannot read the queue's Chronicle"
                    + " metadata: " + reason(e));
        }
        String text = new String(head, 0, Math.max(n, 0), java.nio.charset.StandardCharsets.ISO_8859_1);
        if (n < head.length || !text.startsWith("header", 6) || !text.contains("STStore")) {
            throw new QueueException(QueueException.Reason.CORRUPT, t + ": damaged queue metadata (Chronicle's"
                    + " table store has no valid header); the queue cannot be read");
        }
    }

    /** Refuses unless {@code replace} and every file in {@code dir} is part of a pinreplay queue. */
    private static void replaceable(Path dir, List<Path> files, boolean replace) {
        if (!QueueMetadata.presentIn(dir) && !files.stream().allMatch(EventQueue::ours)) {
            throw new QueueException(QueueException.Reason.EXISTS, dir + ": exists, is not empty and is not a"
                    + " pinreplay queue; choose another directory" + (replace ? " (--force only replaces queues)" : ""));
        }
        if (!replace) {
            throw new QueueException(QueueException.Reason.EXISTS,
                    dir + ": already holds a queue (use --force to replace it)");
        }
        for (Path f : files) {
            if (!ours(f)) {
                throw new QueueException(QueueException.Reason.EXISTS, dir + ": holds " + f.getFileName()
                        + ", which is not part of a queue; not replacing it");
            }
        }
    }

    /**
     * Whether {@code dir} is a queue whose writer locked it but did not get as far as its metadata:
     * nothing but a queue's files, the lock among them.
     */
    public static boolean unborn(Path dir) {
        List<Path> files = listed(dir);
        return files.contains(dir.resolve(WriterLock.FILE_NAME)) && files.stream().allMatch(EventQueue::ours)
                && !QueueMetadata.presentIn(dir);
    }

    /**
     * Whether {@code f} is a regular file (not a link) of the kind a queue is made of; one deleted since
     * the directory was listed (a losing writer's temporary lock file) was one.
     */
    private static boolean ours(Path f) {
        String n = f.getFileName().toString();
        return (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || Files.notExists(f, LinkOption.NOFOLLOW_LINKS))
                && (n.endsWith(".cq4") || n.endsWith(".cq4t")
                || n.equals(QueueMetadata.FILE_NAME) || n.equals(QueueMetadata.FILE_NAME + ".tmp")
                || n.equals(WriterLock.FILE_NAME) || n.startsWith(WriterLock.TEMP_PREFIX) || n.equals(Checkpoints.FILE_NAME)
                || n.equals(RESERVE));
    }

    /** Deletes a queue directory whose files are all a queue's; leaves it (and says nothing) otherwise. */
    private static void deleteQueueDir(Path d) {
        List<Path> files = entries(d);
        if (!files.stream().allMatch(EventQueue::ours)) {
            return;
        }
        try {
            for (Path f : files) {
                Files.delete(f);
            }
            Files.delete(d);
        } catch (IOException e) {
            // a leftover; the next replacement of the same queue deletes it
        }
    }

    private static void deleteIfPresent(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // a leftover file is harmless
        }
    }

    /** {@link #entries} for a reader: a directory it cannot list is bad input. */
    private static List<Path> listed(Path dir) {
        try {
            return entries(dir);
        } catch (QueueException e) {
            throw new QueueException(QueueException.Reason.UNREADABLE, e.getMessage());
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

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // left behind: an empty lock file, harmless
        }
    }
}
