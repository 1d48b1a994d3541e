package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;

import org.junit.jupiter.api.Test;

class PipeGuardTest {
    private static OutputStream failingWith(String message) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(message);
            }
        };
    }

    @Test
    void brokenPipeIsNotedAsTheReaderGoingAway() {
        PipeGuard g = new PipeGuard(failingWith("Broken pipe"));
        assertThrows(IOException.class, () -> g.write(new byte[4], 0, 4));
        assertTrue(g.closedByReader());
    }

    @Test
    void diskFullStaysAnError() {
        PipeGuard g = new PipeGuard(failingWith("No space left on device"));
        assertThrows(IOException.class, () -> g.write(1));
        assertFalse(g.closedByReader());
    }
}
