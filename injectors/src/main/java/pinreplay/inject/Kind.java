package pinreplay.inject;

import java.io.PrintWriter;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One kind of injector, as its class declares it: name, what it does, the kernel functions where it fires
 * (what {@code pinreplay faults} prints), the keys it owns, the functions that stand for it in a spec
 * (fail_function style), and how a configured one is made.
 */
record Kind(String name, String summary, List<String> points, List<Option> options, List<String> aliases,
            boolean betweenEvents, Factory factory) {
    /** Makes the configured injector of a spec, drawing from its own random stream. */
    interface Factory {
        Injector create(InjectSpec spec, SplittableRandom random, PrintWriter log);
    }

    Catalog.Injector doc() {
        return new Catalog.Injector(name, summary, points, options.stream().map(Option::doc).toList(), betweenEvents);
    }

    /** The key {@code name} this kind owns, or null. */
    Option option(String name) {
        return options.stream().filter(o -> o.name().equals(name)).findFirst().orElse(null);
    }
}
