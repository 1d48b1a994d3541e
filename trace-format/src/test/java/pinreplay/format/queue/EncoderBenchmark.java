package pinreplay.format.queue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
import pinreplay.format.bench.MixedTrace;
import pinreplay.format.parse.TraceParser;

/**
 * The queue's block encoding alone, on one core: the blocks the parser makes of {@link MixedTrace}
 * ({@code ParserBenchmark}'s lines), encoded as {@code ingest}'s writer thread does. The score is
 * lines per second. Run with JMH on the classpath of {@code scripts/bench-parser.sh}; command and
 * figures in docs/PERFORMANCE.md, "Encoder and start-up".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(EncoderBenchmark.LINES)
public class EncoderBenchmark {
    static final int LINES = 200_000;

    /** As in {@code ParserBenchmark}: lines each task writes in a row. */
    @Param({"1", "2"})
    public int taskRun;

    private final List<byte[]> blocks = new ArrayList<>();

    @Setup
    public void parse() throws IOException {
        EventWriter out = new EventWriter((block, length) -> blocks.add(Arrays.copyOf(block, length)));
        new TraceParser("bench", out, false).parse(MixedTrace.repeat(MixedTrace.lines(LINES, taskRun), 1));
        out.finish();
    }

    @Benchmark
    public long encodeBlocks() {
        BlockEncoder encoder = new BlockEncoder();
        long bytes = 0;
        for (byte[] b : blocks) {
            bytes += encoder.encode(b, b.length);
        }
        return bytes;
    }
}
