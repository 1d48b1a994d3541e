package pinreplay.format.queue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one-writer-per-queue rule: a writer holds an exclusive lock on {@value #FILE_NAME} in the queue
 * directory for its whole life ({@link FileChannel#tryLock}, an {@code fcntl} lock the kernel drops when
 * the process dies, even by {@code kill -9}), and writes into it who it is: pid, host, process start and
 * since when. A second writer is refused with that line. The file stays (deleting it would let two
 * writers lock two different files of the same name).
 *
 * <p>POSIX drops all of a process's locks on a file when any of its descriptors for that file is closed,
 * so within this JVM the locks held are also kept in {@link #HELD}, by file identity, and a lock file
 * held here is never opened again.
 */
public final class WriterLock implements AutoCloseable {
    public static final String FILE_NAME = "pinreplay-queue.lock";
    /** Name of a lock file being made ({@link #createLocked}). */
    static final String TEMP_PREFIX = ".pinreplay-queue.lock.";

    /** Lock files held by this JVM (by file key: device and inode), with what they say. */
    private static final Map<Object, String> HELD = new HashMap<>();

    private final Object key;
    private final FileChannel channel;
    private final FileLock lock;

    private WriterLock(Object key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the writer's lock of {@code dir}, which must exist.
     *
     * @throws QueueException BUSY naming the writer holding it, or UNWRITABLE
     */
    public static WriterLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        synchronized (HELD) {
            Object known = key(file);
            if (known != null && HELD.containsKey(known)) {
                throw busy(dir, HELD.get(known));
            }
            if (known == null) {
                WriterLock created = createLocked(dir, file);
                if (created != null) {
                    return created;
                }
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException e) {
                throw new QueueException(QueueException.Reason.UNWRITABLE,
                        file + ": cannot open the writer's lock file: " + EventQueue.reason(e));
            }
            try {
                FileLock lock = exclusive(ch);
                if (lock == null) {
                    String holder = holderOf(ch);
                    ch.close(); // this JVM holds no lock on the file: closing drops nothing
                    throw busy(dir, holder);
                }
                String me = describeMe();
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                Object k = key(file);
                HELD.put(k, me);
                return new WriterLock(k, ch, lock);
            } catch (IOException | OverlappingFileLockException e) {
                closeQuietly(ch);
                throw new QueueException(QueueException.Reason.UNWRITABLE,
                        file + ": cannot lock the queue for writing: " + e.getMessage());
            }
        }
    }

    /**
     * A new lock file that is locked before anyone can see it: made under a temporary name, locked and
     * filled in, then hard-linked to its name (which fails if another writer's appeared meanwhile), so a
     * reader never finds it unlocked while its writer lives. Null when the name was taken meanwhile, or
     * the file system has no hard links: then the file is locked where it is.
     */
    private static WriterLock createLocked(Path dir, Path file) {
        Path tmp = dir.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "." + System.nanoTime());
        FileChannel ch = null;
        try {
            ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            FileLock lock = ch.lock(); // a file nobody else can know yet: granted at once
            String me = describeMe();
            ch.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            Files.createLink(file, tmp);
            Files.delete(tmp);
            Object k = key(file);
            HELD.put(k, me);
            return new WriterLock(k, ch, lock);
        } catch (IOException | UnsupportedOperationException e) {
            if (ch != null) {
                closeQuietly(ch);
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a leftover temporary lock file is part of the queue's files, deleted with them
            }
            return null;
        }
    }

    /**
     * The exclusive lock of {@code ch}'s file, or null when another writer holds it. A reader's probe
     * ({@link #holder}) holds a shared lock for a moment, which a loaded machine may stretch: the writer
     * waits it out, and gives up only when a shared lock is refused too (fcntl refuses a read lock only
     * for a write lock), i.e. another writer's exclusive one is held.
     */
    private static FileLock exclusive(FileChannel ch) throws IOException {
        while (true) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                return lock;
            }
            FileLock shared = ch.tryLock(0, Long.MAX_VALUE, true);
            if (shared == null) {
                return null;
            }
            shared.release(); // only readers: they let go in a moment
            pause();
        }
    }

    /** What {@code dir}'s writer said of itself, if anyone holds its lock now; empty when none does. */
    public static Optional<String> holder(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        synchronized (HELD) {
            Object k = key(file);
            if (k == null) {
                return Optional.empty();
            }
            if (HELD.containsKey(k)) {
                return Optional.of(HELD.get(k));
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                FileLock probe = ch.tryLock(0, Long.MAX_VALUE, true);
                if (probe == null) {
                    return Optional.of(holderOf(ch)); // an exclusive lock is held: the writer lives
                }
                probe.release();
                return Optional.empty();
            } catch (IOException | OverlappingFileLockException e) {
                return Optional.empty();
            }
        }
    }

    @Override
    public void close() {
        synchronized (HELD) {
            HELD.remove(key);
            try {
                lock.release();
            } catch (IOException e) {
                // closing the channel below drops the lock anyway
            }
            closeQuietly(channel);
        }
    }

    private static QueueException busy(Path dir, String holder) {
        return new QueueException(QueueException.Reason.BUSY, dir + ": already being written by " + holder
                + "; one writer per queue");
    }

    /** The first line of the lock file, as its holder wrote it (a moment after it locked it). */
    private static String holderOf(FileChannel ch) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            if (nl > 0) {
                return s.substring(0, nl);
            }
            pause();
        }
        return "another process";
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@code pinreplay (pid 4242 on host, since 2025-01-02T03:04:05Z)}. */
    private static String describeMe() {
        return "pinreplay (pid " + ProcessHandle.current().pid() + " on " + hostName() + ", since "
                + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ")";
    }

    private static String hostName() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the resolver
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** The file's identity, without opening it; null when it does not exist. */
    private static Object key(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing was written through it that matters
        }
    }
}
