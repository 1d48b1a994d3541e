package pinreplay.format.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.channels.ReadableByteChannel;
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
 * <p>Arguments: base classes, new classes, the class path of their dependencies, rounds.
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
        for (int taskRun : new int[] {1, 2}) {
            byte[] text = MixedTrace.lines(LINES, taskRun);
            for (int i = 0; i < 10; i++) {
                base.run(text);
                next.run(text);
            }
            double[] b = new double[rounds];
            double[] n = new double[rounds];
            double[] ratio = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                boolean baseFirst = (i & 1) == 0;
                long x = baseFirst ? base.run(text) : 0;
                long y = next.run(text);
                if (!baseFirst) {
                    x = base.run(text);
                }
                b[i] = x / (double) (LINES * PASSES);
                n[i] = y / (double) (LINES * PASSES);
                ratio[i] = n[i] / b[i];
            }
            Arrays.sort(b);
            Arrays.sort(n);
            Arrays.sort(ratio);
            System.out.printf("taskRun %d: base %.1f ns/line (%.2f M lines/s), new %.1f ns/line (%.2f M lines/s);"
                    + " new/base %.3f (quartiles %.3f .. %.3f, %d rounds)%n", taskRun, b[rounds / 2],
                    1e3 / b[rounds / 2], n[rounds / 2], 1e3 / n[rounds / 2], ratio[rounds / 2], ratio[rounds / 4],
                    ratio[rounds * 3 / 4], rounds);
        }
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
