package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import pinreplay.format.TraceFormatException;
import pinreplay.format.ValueType;
import pinreplay.format.bench.MixedTrace;

/**
 * A line whose context columns repeat the bytes of an earlier line, the previous one or one of another task
 * before it, reuses them ({@code EventContext.reuse}): it must decode, or fail, exactly as it does with no
 * line before it.
 */
class ContextReuseTest {
    private static final String BASH = "            bash-1234  [001] .....   100.000000: ";
    private static final String FIO = "             fio-900     [000] .....   100.000002: ";

    static Stream<Arguments> pairs() {
        return Stream.of(
            // same columns, next timestamp: reused
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096",
                    "            bash-1234  [001] .....   100.000007: munmap: addr=0x2000 len=8192"),
            // one more timestamp digit: one padding space less, the previous prefix no longer matches
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096",
                    "            bash-1234  [001] .....  1000.000000: munmap: addr=0x2000 len=8192"),
            // one digit less: the previous prefix matches but a space follows it, not the timestamp
            Arguments.of("            bash-1234  [001] .....  1000.000000: munmap: addr=0x1000 len=4096",
                    BASH + "munmap: addr=0x2000 len=8192"),
            // TGID and four flag columns; then no flag column at all
            Arguments.of(" MediaStoreImpor-27212 (27176) [000] .... 5.000001: sys_close <-system_call_fastpath",
                    " MediaStoreImpor-27212 (27176) [000] .... 5.000002: dma_write: handle=h iova=0x0 len=1"),
            Arguments.of("            bash-1234  [001] 100.000000: sys_close <-system_call_fastpath",
                    "            bash-1234  [001] 100.000001: tracing_mark_write: hello"),
            // a latency-format line is not reused: a later line with its columns may hold a "-PID [" of its own
            Arguments.of("    sshd-1683   12d..1  1289.622913: function:             net_rx_action",
                    "    sshd-1683   12d..1  1289.622914: x: a=b c-12 [001] y"),
            // same columns, then a malformed timestamp or payload
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096",
                    "            bash-1234  [001] .....   100.00000x: munmap: addr=0x2000 len=8192"),
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096", BASH + "munmap: addr=zz len=4096"),
            // the columns of a malformed line are still right for the next one
            Arguments.of(BASH + "munmap: addr=zz len=4096", BASH + "munmap: addr=0x1000 len=4096"),
            // the next second, with as many digits or one more: the seconds of the last line are not reused
            Arguments.of("            bash-1234  [001] .....   100.999999: munmap: addr=0x1000 len=4096",
                    "            bash-1234  [001] .....   101.000000: munmap: addr=0x2000 len=8192"),
            Arguments.of("            bash-1234  [001] .....    99.999999: munmap: addr=0x1000 len=4096",
                    BASH + "munmap: addr=0x2000 len=8192"),
            Arguments.of("            bash-1234  [001] .....     9.999999: munmap: addr=0x1000 len=4096",
                    "            bash-1234  [001] .....    99.000000: munmap: addr=0x2000 len=8192"),
            // another task's line in between: the first line's columns are still remembered
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096\n" + FIO + "munmap: addr=0x3000 len=4096",
                    BASH + "munmap: addr=0x2000 len=8192"),
            // the same task on another CPU in between, then on the first CPU again
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096\n"
                    + "            bash-1234  [002] .....   100.000001: munmap: addr=0x3000 len=4096",
                    BASH + "munmap: addr=0x2000 len=8192"),
            // a malformed line of another task in between: the symbols it introduced are forgotten
            Arguments.of(BASH + "munmap: addr=0x1000 len=4096\n" + FIO + "munmap: addr=zz len=4096",
                    FIO + "munmap: addr=0x2000 len=8192"),
            Arguments.of(FIO + "munmap: addr=zz len=4096\n" + BASH + "munmap: addr=0x1000 len=4096",
                    FIO + "munmap: addr=0x2000 len=8192"));
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void lineAfterEqualColumnsDecodesAsAlone(String previous, String line) {
        String alone = outcome(line, 1);
        String after = outcome(previous + "\n" + line, previous.split("\n").length + 1);
        assertEquals(alone, after);
    }

    @Test
    void readsThatMoveTheLastLineInTheBufferGiveTheBlocksOfOneRead() {
        byte[] text = MixedTrace.lines(3_000, 3);
        byte[] whole = Parsed.of(text, false, Integer.MAX_VALUE).blocks;
        for (int chunk : new int[] {1, 7, 64, 113, 4096}) {
            assertArrayEquals(whole, Parsed.of(text, false, chunk).blocks, "reads of " + chunk + " bytes");
        }
    }

    /** Line {@code line} of {@code text} as an event with symbol ids replaced by their text, or its strict error. */
    private static String outcome(String text, int line) {
        try {
            Parsed.of(text);
        } catch (TraceFormatException e) {
            if (e.getMessage().startsWith("t.txt:" + line + ":")) {
                return e.getMessage().substring(("t.txt:" + line).length());
            }
        }
        Parsed.Ev e = Parsed.of(text, true).events.stream().filter(ev -> ev.line() == line).findFirst().orElseThrow();
        Map<String, String> fields = new TreeMap<>();
        e.fields().forEach((k, v) -> fields.put(k, v.type() + ":" + (v.type() == ValueType.SYM ? v.text() : v.value())));
        return e.type() + " " + e.comm() + " " + e.pid() + " " + e.tgid() + " " + e.cpu() + " " + e.ts() + " "
                + e.bits() + " " + e.flags() + " " + fields + " " + e.raw() + " " + e.name();
    }
}
