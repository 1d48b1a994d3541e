package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class IdleFlushChannelTest {
    /** Two bursts of input: available() is 0 between them, as on a pipe whose writer paused. */
    private static final class Bursts extends InputStream {
        private int left = 2 * 100;

        @Override
        public int read() {
            return left-- > 0 ? 'x' : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left <= 0) {
                return -1;
            }
            int n = Math.min(Math.min(len, 100), left);
            left -= n;
            return n;
        }

        @Override
        public int available() {
            return left % 100; // nothing waiting at each burst boundary
        }
    }

    @Test
    void idleRunsBeforeEachReadThatWouldWaitForTheProducer() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        Bursts in = new Bursts();
        IdleFlushChannel ch = new IdleFlushChannel(Channels.newChannel(in), in, flushes::incrementAndGet);
        ByteBuffer buf = ByteBuffer.allocate(1000);
        int total = 0;
        for (int n; (n = ch.read(buf.clear())) >= 0; ) {
            total += n;
        }
        assertEquals(200, total);
        assertEquals(3, flushes.get(), "before the first burst, between the bursts, and at the end");
    }

    @Test
    void inputWithDataWaitingIsNeverIdle() throws IOException {
        AtomicInteger flushes = new AtomicInteger();
        InputStream in = new java.io.ByteArrayInputStream(new byte[5000]);
        IdleFlushChannel ch = new IdleFlushChannel(Channels.newChannel(in), in, flushes::incrementAndGet);
        ByteBuffer buf = ByteBuffer.allocate(1000);
        while (ch.read(buf.clear()) >= 0) {
            // read everything
        }
        assertEquals(1, flushes.get(), "only once the input is used up");
    }
}
