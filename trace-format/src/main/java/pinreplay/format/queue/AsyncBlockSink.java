package pinreplay.format.queue;

import pinreplay.format.BlockSink;
import pinreplay.format.EventWriter;

/**
 * Hands blocks to another sink on a thread of its own, so producer and consumer run on two cores at
 * once: on the write side the parser and the queue's append (which encodes each block and page-faults
 * every fresh page of the mapped file); on the read side the queue reader (which checks and decodes
 * each block) and the replay. Blocks are copied into a ring of {@value #BUFFERS} preallocated buffers;
 * nothing is allocated per block or per event.
 *
 * <p>A producer that finds the ring full sleeps until half of it is free again, and is woken once
 * for those blocks rather than once per block: on a busy machine every wake-up may wait for a CPU.
 *
 * <p>A failure of the consumer (disk full, or the replay's) is rethrown by the producer's next call.
 * {@link #onEnd()} waits until the consumer has handed on every block and the end; {@link #close()}
 * abandons what is left without ending the stream (the producer failed).
 */
public final class AsyncBlockSink implements BlockSink, AutoCloseable {
    private static final int BUFFERS = 8;

    private final BlockSink target;
    private final byte[][] buffers = new byte[BUFFERS][EventWriter.BLOCK_SIZE];
    private final int[] lengths = new int[BUFFERS];
    private final Thread thread;

    // Guarded by this: blocks queued and taken so far, who sleeps, and how it ends.
    private long produced;
    private long consumed;
    private boolean producerWaiting;
    private boolean consumerWaiting;
    private boolean ending;
    private boolean abandoned;
    private Throwable failure;

    public AsyncBlockSink(BlockSink target, String threadName) {
        this.target = target;
        thread = new Thread(this::consume, threadName);
        thread.setDaemon(true); // never keeps the JVM alive: the producer ends it by onEnd() or close()
        thread.start();
    }

    @Override
    public void onBlock(byte[] buf, int length) {
        int slot;
        synchronized (this) {
            while (produced - consumed == BUFFERS && failure == null) {
                producerWaiting = true;
                await();
            }
            rethrowFailure();
            slot = (int) (produced % BUFFERS);
        }
        System.arraycopy(buf, 0, buffers[slot], 0, length);
        lengths[slot] = length;
        synchronized (this) {
            produced++;
            if (consumerWaiting) {
                notifyAll();
            }
        }
    }

    /** Queues the end, then waits for the consumer to hand it on. */
    @Override
    public void onEnd() {
        synchronized (this) {
            rethrowFailure();
            ending = true;
            notifyAll();
        }
        join();
        synchronized (this) {
            rethrowFailure();
        }
    }

    /** Stops the consumer after the block it is handing on; the rest, and the end, are dropped. */
    @Override
    public void close() {
        synchronized (this) {
            abandoned = true;
            notifyAll();
        }
        join();
    }

    private void consume() {
        try {
            while (true) {
                int slot;
                synchronized (this) {
                    while (produced == consumed && !ending && !abandoned) {
                        consumerWaiting = true;
                        await();
                        consumerWaiting = false;
                    }
                    if (abandoned) {
                        return;
                    }
                    if (produced == consumed) {
                        break; // ending, and every block is handed on
                    }
                    slot = (int) (consumed % BUFFERS);
                }
                target.onBlock(buffers[slot], lengths[slot]);
                synchronized (this) {
                    consumed++;
                    if (producerWaiting && produced - consumed <= BUFFERS / 2) {
                        producerWaiting = false;
                        notifyAll();
                    }
                }
            }
            target.onEnd();
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    private void rethrowFailure() {
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    private void await() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for thread " + thread.getName());
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for thread " + thread.getName());
        }
    }
}
