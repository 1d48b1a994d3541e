package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;

import org.junit.jupiter.api.Test;

class ProgressChannelTest {
    private static String readThrough(int inputBytes, long size, long threshold) throws IOException {
        StringWriter err = new StringWriter();
        ProgressChannel ch = new ProgressChannel(Channels.newChannel(new ByteArrayInputStream(new byte[inputBytes])),
                size, new PrintWriter(err), "ingest", threshold);
        ByteBuffer buf = ByteBuffer.allocate(1024);
        while (ch.read(buf.clear()) >= 0) {
            // read everything
        }
        assertEquals(inputBytes, ch.bytesRead());
        ch.close();
        return err.toString();
    }

    @Test
    void largeInputOfKnownSizeShowsAPercentageThenClearsTheLine() throws IOException {
        String err = readThrough(8192, 8192, 4096);
        assertTrue(err.startsWith("\ringest  50%  0.00 / 0.00 GB"), err);
        assertTrue(err.endsWith("\r\033[K"), "the line is cleared at the end");
    }

    @Test
    void inputOfUnknownSizeShowsBytesRead() throws IOException {
        assertTrue(readThrough(8192, -1, 4096).startsWith("\ringest 0.00 GB read"));
    }

    @Test
    void smallInputDrawsNothing() throws IOException {
        assertEquals("", readThrough(2048, 2048, 4096));
    }
}
