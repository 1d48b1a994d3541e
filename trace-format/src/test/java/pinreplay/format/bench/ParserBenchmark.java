package pinreplay.format.bench;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;

/**
 * The parser alone, on one core: {@link MixedTrace} text held in memory, parsed into an
 * {@link EventWriter} whose sink drops the blocks. The score is lines per second. Run by
 * {@code scripts/bench-parser.sh}; figures in docs/PERFORMANCE.md.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(ParserBenchmark.LINES)
public class ParserBenchmark {
    static final int LINES = 200_000;

    /**
     * Lines each task writes in a row: with 1, one event line in five repeats the context columns of
     * the line before (the mix itself has such pairs); with 2, three in five do, as in real traces
     * (docs/PERFORMANCE.md, "Parser (JMH)").
     */
    @Param({"1", "2"})
    public int taskRun;

    private byte[] text;

    @Setup
    public void generate() {
        text = MixedTrace.lines(LINES, taskRun);
    }

    @Benchmark
    public long parseMixedTrace() throws IOException {
        EventWriter out = new EventWriter((block, length) -> { });
        return new TraceParser("bench", out, false).parse(MixedTrace.repeat(text, 1)).records();
    }
}
