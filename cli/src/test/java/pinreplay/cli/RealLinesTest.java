package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The two causes of false divergences on real 6.1 recordings, each on the real kernel's own lines (kernel lab,
 * Debian 6.1.176): memory that existed before the recording (the stack execve() builds through
 * get_arg_page() → get_user_pages_remote()), and return values printed in decimal (an s64 fetcharg; a 32-bit
 * int's -14 printed as 4294967282).
 */
class RealLinesTest {
    private static final String DIO = "../traces/real/6.1/dio-matrix.txt";

    private static List<String> calls(String trace) {
        Run r = Run.of("", "replay", trace, "--kernel", "6.1", "--format", "jsonl");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        return r.out().lines().filter(l -> l.contains("\"event\"") && l.contains("\"observed\"")).toList();
    }

    @Test
    void theStackExecveBuiltIsAssumedFromTheKernelsResult() {
        List<String> execve = calls(DIO).stream().filter(l -> l.contains("\"get_user_pages_remote\"")).toList();
        assertFalse(execve.isEmpty());
        assertTrue(execve.get(0).contains("\"assumed\":\"anonymous\""), "the first touch assumes: " + execve.get(0));
        for (String l : execve) {
            assertTrue(l.contains("\"agrees\":true"), l);
        }
    }

    @Test
    void decimalAndThirtyTwoBitReturnValuesAgree() {
        List<String> c = calls(DIO);
        assertTrue(c.stream().anyMatch(l -> l.contains("\"observed\":16,\"agrees\":true")), "ret=16 is 16 pages, not 0x16");
        assertTrue(c.stream().anyMatch(l -> l.contains("\"observed\":\"-EFAULT\",\"agrees\":true")),
                "ret=4294967282 is get_user_pages_fast()'s int -14");
    }
}
