package pinreplay.format.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Two builds of the parser side by side in one JVM: each loaded from its own classes directory, both
 * warmed up, then alternating rounds over the same {@link MixedTrace} text, each timed by the thread's
 * CPU time. The median of the per-round ratios is robust to a shared, noisy machine where JMH's
 * absolute rates drift from one hour to the next. Run by {@code scripts/bench-parser.sh --ab DIR}.
 *
 * <p>Arguments: base classes, new classes, the class path of their dependencies, rounds, and optionally
 * a trace file: then each round parses the file, read through a {@link FileChannel} as ingest reads
 * it, instead of the mix held in memory.
 */
public final class ParserAB {
    private static final int LINES = 200_000;
    private static final int PASSES = 2;

    private ParserAB() {
    }

    public static void main(String[] args) throws Exception {
        Build base = new Build(args[0], args[2]);
        Build next = new Build(args[1], args[2]);
        int rounds = Integer.parseInt(args[3]);
        if (args.length > 4) {
            Path file = Path.of(args[4]);
            long lines;
            try (var in = Files.lines(file)) {
                lines = in.count();
            }
            compare(base, next, rounds, 2, lines, file.getFileName() + " (" + lines + " lines)", b -> b.run(file));
            return;
        }
        for (int taskRun : new int[] {1, 2}) {
            byte[] text = MixedTrace.lines(LINES, taskRun);
            compare(base, next, rounds, 10, LINES * PASSES, "taskRun " + taskRun, b -> b.run(text));
        }
    }

    /** One timed run of a build: CPU nanoseconds of this thread. */
    private interface Run {
        long of(Build b) throws Exception;
    }

    /** {@code warmUp} runs of each, then {@code rounds} rounds alternating which goes first; prints the medians. */
    private static void compare(Build base, Build next, int rounds, int warmUp, long lines, String label, Run run)
            throws Exception {
        for (int i = 0; i < warmUp; i++) {
            run.of(base);
            run.of(next);
        }
        double[] b = new double[rounds];
        double[] n = new double[rounds];
        double[] ratio = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            boolean baseFirst = (i & 1) == 0;
            long x = baseFirst ? run.of(base) : 0;
            long y = run.of(next);
            if (!baseFirst) {
                x = run.of(base);
            }
            b[i] = x / (double) lines;
            n[i] = y / (double) lines;
            ratio[i] = n[i] / b[i];
        }
        Arrays.sort(b);
        Arrays.sort(n);
        Arrays.sort(ratio);
        System.out.printf("%s: base %.1f ns/line (%.2f M lines/s), new %.1f ns/line (%.2f M lines/s);"
                + " new/base %.3f (quartiles %.3f .. %.3f, %d rounds)%n", label, b[rounds / 2],
                1e3 / b[rounds / 2], n[rounds / 2], 1e3 / n[rounds / 2], ratio[rounds / 2], ratio[rounds / 4],
                ratio[rounds * 3 / 4], rounds);
    }

    /** One build's parser, reached by reflection through its own class loader. */
    private static final class Build {
        private final Constructor<?> writer;
        private final Constructor<?> parser;
        private final Method parse;
        private final Object sink;

        Build(String classes, String classPath) throws Exception {
            List<URL> urls = new ArrayList<>();
            urls.add(Path.of(classes).toUri().toURL());
            for (String jar : classPath.split(":")) {
                if (!jar.isEmpty()) {
                    urls.add(Path.of(jar).toUri().toURL());
                }
            }
            ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> sinkType = Class.forName("pinreplay.format.BlockSink", true, loader);
            sink = Proxy.newProxyInstance(loader, new Class<?>[] {sinkType}, (proxy, m, a) -> null);
            Class<?> writerType = Class.forName("pinreplay.format.EventWriter", true, loader);
            writer = writerType.getConstructor(sinkType);
            Class<?> parserType = Class.forName("pinreplay.format.parse.TraceParser", true, loader);
            parser = parserType.getConstructor(String.class, writerType, boolean.class);
            parse = parserType.getMethod("parse", ReadableByteChannel.class);
        }

        /** CPU nanoseconds of this thread to parse {@code file}, read as ingest reads it. */
        long run(Path file) throws Exception {
            Object p = parser.newInstance("bench", writer.newInstance(sink), false);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            try (FileChannel in = FileChannel.open(file)) {
                long start = threads.getCurrentThreadCpuTime();
                parse.invoke(p, in);
                return threads.getCurrentThreadCpuTime() - start;
            }
        }

        /** CPU nanoseconds of this thread to parse {@code text} {@link #PASSES} times. */
        long run(byte[] text) throws Exception {
            Object p = parser.newInstance("bench", writer.newInstance(sink), false);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long start = threads.getCurrentThreadCpuTime();
            parse.invoke(p, MixedTrace.repeat(text, PASSES));
            return threads.getCurrentThreadCpuTime() - start;
        }
    }
}
