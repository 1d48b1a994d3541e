package pinreplay.inject;

import java.util.List;

/**
 * The registry of injectors, in listing order, and their documentation: each injector is one class
 * declaring its {@link Kind}; adding one is that class plus its line in {@link #KINDS}.
 */
public final class Catalog {
    /** One key of a spec: name, accepted values, default, meaning. */
    public record Key(String name, String values, String defaultValue, String meaning) {
    }

    /** One injector. {@code betweenEvents}: it fires in the gaps between events, not inside a call. */
    public record Injector(String name, String summary, List<String> points, List<Key> keys, boolean betweenEvents) {
    }

    /** A kernel function standing for the injector that fails it. */
    public record Alias(String function, String injector) {
    }

    static final List<Kind> KINDS = List.of(
            MmapUnlock.KIND,
            Eagain.KIND,
            Enomem.KIND,
            Migrate.KIND,
            WritebackClean.KIND,
            Truncate.KIND,
            PunchHole.KIND);

    /** The fault_attr knobs and call filters every injector takes, in should_fail_ex() order. */
    public static final List<Key> COMMON = List.of(
            new Key("task", "COMM|PID", "any", "only calls made by this task (task-filter + make-it-fail)"),
            new Key("at", "EVENT|line:N", "any", "only while replaying this event (or trace line), like require-start/end"),
            new Key("point", "FUNCTION", "any", "only at this one of the injector's kernel functions (fail_function)"),
            new Key("fail-nth", "1..", "unset", "only the N-th eligible call fails, overriding the knobs below"),
            new Key("probability", "0..100", "100", "percent of eligible calls that fail"),
            new Key("times", "-1|0..", "-1", "failures at most; -1 unlimited"),
            new Key("space", "0..", "0", "budget consumed by call size (pages) before any failure"),
            new Key("interval", "0..", "1", "fail every N-th call that passed the checks above"),
            new Key("verbose", "0|1|2", "0", "1: a FAULT_INJECTION line on stderr per failure; 2: plus the model call chain"));

    public static final List<Injector> ALL = KINDS.stream().map(Kind::doc).toList();

    /**
     * fail_function style: a spec named after a kernel function is the injector that fails it, restricted
     * to that point ({@code migrate_pages:probability=10} is {@code enomem:point=migrate_pages,...}).
     */
    public static final List<Alias> ALIASES = KINDS.stream()
            .flatMap(k -> k.aliases().stream().map(f -> new Alias(f, k.name()))).toList();

    private Catalog() {
    }

    /** The injector named {@code name}, or null. */
    public static Injector of(String name) {
        Kind k = kind(name);
        return k == null ? null : ALL.get(KINDS.indexOf(k));
    }

    /** Names in listing order. */
    public static List<String> names() {
        return KINDS.stream().map(Kind::name).toList();
    }

    static Kind kind(String name) {
        return KINDS.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }

    /** The kind a kernel function name stands for, or null. */
    static Kind aliased(String function) {
        return KINDS.stream().filter(k -> k.aliases().contains(function)).findFirst().orElse(null);
    }
}
