package pinreplay.format.queue;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

import pinreplay.format.BlockSink;
import pinreplay.format.EventWriter;

/**
 * Hands blocks to another sink on a thread of its own, so the producer (the parser) and the consumer
 * (a Chronicle append, which page-faults every fresh page of the mapped file) run on two cores at
 * once. A block is copied into one of {@value #BUFFERS} preallocated buffers; the producer waits only
 * when all of them are queued. Nothing is allocated per block or per event.
 *
 * <p>A failure of the consumer (disk full) is rethrown by the producer's next call. {@link #onEnd()}
 * waits until the consumer has taken every block and the end; {@link #close()} abandons the rest
 * without ending the stream (the producer failed).
 */
public final class AsyncBlockSink implements BlockSink, AutoCloseable {
    private static final int BUFFERS = 4;
    private static final Integer END = -1;
    private static final long POLL_MS = 50;

    private final BlockSink target;
    private final byte[][] buffers = new byte[BUFFERS][EventWriter.BLOCK_SIZE];
    private final int[] lengths = new int[BUFFERS];
    private final ArrayBlockingQueue<Integer> free = new ArrayBlockingQueue<>(BUFFERS);
    private final ArrayBlockingQueue<Integer> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread thread;
    private volatile Throwable failure;
    private boolean ended;

    public AsyncBlockSink(BlockSink target, String threadName) {
        this.target = target;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(i);
        }
        thread = new Thread(this::consume, threadName);
        thread.setDaemon(true); // never keeps the JVM alive: the producer ends it by onEnd() or close()
        thread.start();
    }

    @Override
    public void onBlock(byte[] buf, int length) {
        Integer slot = null;
        while (slot == null) {
            rethrowFailure();
            slot = await(() -> free.poll(POLL_MS, TimeUnit.MILLISECONDS));
        }
        System.arraycopy(buf, 0, buffers[slot], 0, length);
        lengths[slot] = length;
        full.add(slot);
    }

    /** Queues the end, then waits for the consumer to finish it. */
    @Override
    public void onEnd() {
        rethrowFailure();
        if (!ended) {
            ended = true;
            full.add(END);
            await(() -> {
                thread.join();
                return null;
            });
        }
        rethrowFailure();
    }

    /** Stops the consumer after the block it is writing; queued blocks and the end are dropped. */
    @Override
    public void close() {
        if (thread.isAlive()) {
            thread.interrupt();
            await(() -> {
                thread.join();
                return null;
            });
        }
    }

    private void consume() {
        try {
            while (true) {
                int slot = full.take();
                if (slot == END) {
                    target.onEnd();
                    return;
                }
                target.onBlock(buffers[slot], lengths[slot]);
                free.add(slot);
            }
        } catch (InterruptedException e) {
            // close(): the producer gave up
        } catch (RuntimeException | Error e) {
            failure = e;
        }
    }

    private void rethrowFailure() {
        Throwable t = failure;
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
    }

    private interface Wait<T> {
        T call() throws InterruptedException;
    }

    private static <T> T await(Wait<T> w) {
        try {
            return w.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the queue writer thread");
        }
    }
}
