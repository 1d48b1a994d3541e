package pinreplay.inject;

import java.util.List;

/** Every injector: its name, what it does, the kernel functions where it fires, and the keys it takes. */
public final class Catalog {
    /** One key of a spec: name, accepted values, default, meaning. */
    public record Key(String name, String values, String defaultValue, String meaning) {
    }

    /** One injector. {@code betweenEvents}: it fires in the gaps between events, not inside a call. */
    public record Injector(String name, String summary, List<String> points, List<Key> keys, boolean betweenEvents) {
    }

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

    private static final Key INO = new Key("ino", "N", "seeded choice", "the file; default: chosen with the seed among"
            + " the files with pinned pages, in inode order");

    public static final List<Injector> ALL = List.of(
            new Injector("mmap-unlock", "the fault handler drops mmap_lock and asks for a retry; GUP retries with"
                    + " FAULT_FLAG_TRIED, fixup_user_fault() reports unlocked (vfio 5.8+: -EAGAIN, VMA looked up again)",
                    List.of("faultin_page", "fixup_user_fault"),
                    List.of(new Key("race", "none|munmap|mprotect|remap", "none", "what another thread does while the"
                            + " lock is dropped: unmap the page, make it read-only, or map fresh anonymous memory there")),
                    false),
            new Injector("eagain", "the call returns -EAGAIN: migrate_pages() in the long-term pin migration loop, and"
                    + " faultin_page() under FOLL_NOWAIT (VM_FAULT_RETRY without waiting: a short count)",
                    List.of("migrate_pages", "faultin_page"), List.of(), false),
            new Injector("enomem", "allocation or accounting fails with -ENOMEM",
                    List.of("migrate_pages", "vfio_lock_acct", "io_account_mem", "ib_umem_get"), List.of(), false),
            new Injector("migrate", "compaction between events tries to move the pages of a pinned range;"
                    + " migrate_pages() refuses pinned folios unless ignore-refs=1 breaks it",
                    List.of("compact_zone", "migrate_pages"),
                    List.of(new Key("ignore-refs", "0|1", "0", "1: a broken migrate_pages() that moves folios"
                            + " with extra references (pinned-page-migrated)")), true),
            new Injector("writeback-clean", "a writeback pass cleans and write-protects the dirty folios of a file"
                    + " with pinned page-cache pages, between events",
                    List.of("folio_clear_dirty_for_io"), List.of(INO), true),
            new Injector("truncate", "another task shrinks a file with pinned pages, between events; the release's"
                    + " dax-truncate rule decides", List.of("do_truncate"),
                    List.of(INO, new Key("size", "BYTES", "0", "the new size")), true),
            new Injector("punch-hole", "another task punches a hole in a file with pinned pages, between events;"
                    + " the release's dax-truncate rule decides", List.of("vfs_fallocate"),
                    List.of(INO, new Key("offset", "BYTES", "0", "start of the hole"),
                            new Key("len", "BYTES", "to the end", "length of the hole")), true));

    /**
     * fail_function style: a spec named after a kernel function is the injector that fails it, restricted
     * to that point ({@code migrate_pages:probability=10} is {@code enomem:point=migrate_pages,...}).
     */
    public static final List<Alias> ALIASES = List.of(
            new Alias("faultin_page", "mmap-unlock"), new Alias("fixup_user_fault", "mmap-unlock"),
            new Alias("migrate_pages", "enomem"), new Alias("vfio_lock_acct", "enomem"),
            new Alias("io_account_mem", "enomem"), new Alias("ib_umem_get", "enomem"),
            new Alias("compact_zone", "migrate"), new Alias("folio_clear_dirty_for_io", "writeback-clean"),
            new Alias("do_truncate", "truncate"), new Alias("vfs_fallocate", "punch-hole"));

    /** A kernel function standing for the injector that fails it. */
    public record Alias(String function, String injector) {
    }

    private Catalog() {
    }

    /** The injector a kernel function name stands for, or null. */
    public static Alias alias(String function) {
        for (Alias a : ALIASES) {
            if (a.function().equals(function)) {
                return a;
            }
        }
        return null;
    }

    /** The injector named {@code name}, or null. */
    public static Injector of(String name) {
        for (Injector i : ALL) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    /** Names in listing order. */
    public static List<String> names() {
        return ALL.stream().map(Injector::name).toList();
    }
}
