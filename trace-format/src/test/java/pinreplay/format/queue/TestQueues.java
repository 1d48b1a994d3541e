package pinreplay.format.queue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import pinreplay.format.BlockSink;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;

/** Small queues for tests: the smallest Chronicle block size, deterministic events. */
final class TestQueues {
    static final long SMALL = EventQueue.MIN_CHRONICLE_BLOCK_SIZE;

    private TestQueues() {
    }

    static EventQueue create(Path dir) {
        return EventQueue.create(dir, new QueueMetadata().source("test.txt").createdBy("pinreplay test"), false, SMALL);
    }

    /** Writes {@code n} events (several blocks when large) and returns the writer, not yet finished. */
    static EventWriter write(BlockSink sink, int n) {
        EventWriter w = new EventWriter(sink);
        byte[] comm = ascii("qemu-kvm");
        byte[] marker = ascii("payload-MARKER-for-tests");
        for (int i = 1; i <= n; i++) {
            byte[] handle = ascii("vfio" + (i % 17));
            w.begin(EventType.VFIO_DMA_MAP, i).pid(4242).cpu(i % 4).ts(100_000_000_000L + i * 1000L, 0)
                    .comm(comm, 0, comm.length)
                    .symbolField(Field.HANDLE, handle, 0, handle.length)
                    .field(Field.VADDR, ValueType.HEX, 0x7f0000000000L + i * 4096L)
                    .field(Field.IOVA, ValueType.HEX, (long) i << 12)
                    .field(Field.SIZE, ValueType.HEX, 0x1000);
            w.commit();
            if (i % 1000 == 0) {
                w.begin(EventType.COMMENT, i).raw(marker, 0, marker.length);
                w.commit();
            }
        }
        return w;
    }

    /** Remembers copies of every block it receives. */
    static final class Collect implements BlockSink {
        final List<byte[]> blocks = new ArrayList<>();
        int ends;

        @Override
        public void onBlock(byte[] buf, int length) {
            blocks.add(Arrays.copyOf(buf, length));
        }

        @Override
        public void onEnd() {
            ends++;
        }
    }

    /** Passes blocks to two sinks. */
    static BlockSink tee(BlockSink a, BlockSink b) {
        return new BlockSink() {
            @Override
            public void onBlock(byte[] buf, int length) {
                a.onBlock(buf, length);
                b.onBlock(buf, length);
            }

            @Override
            public void onEnd() {
                a.onEnd();
                b.onEnd();
            }
        };
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
