package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * traces/gup-longterm-matrix.txt: the gup_longterm selftest's cases on every backing, against the
 * kernel's result table (tools/testing/selftests/mm/gup_longterm.c with mm/gup.c
 * check_vma_flags() for 6.5+; io_uring/rsrc.c and a Debian 6.1.192 run for 6.1), written here as the
 * table, not derived from the model.
 */
class GupLongtermMatrixTest {
    private static final String TRACE = "gup-longterm-matrix.txt";
    private static final Set<String> WRITEBACK_FS = Set.of("local-ext4", "local-xfs", "local-btrfs");
    private static final String[] BACKINGS = {"memfd", "tmpfile", "local-ext4", "local-xfs", "local-btrfs",
        "memfd-hugetlb-2048kB", "local-ext4-dax"};
    private static final String[] TYPES = {"rw", "rw-fast", "ro", "ro-fast", "iouring"};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String kernel : new String[] {"6.15", "6.5", "6.1"}) {
            for (String backing : BACKINGS) {
                for (String mapping : new String[] {"shared", "private"}) {
                    for (String type : TYPES) {
                        out.add(Arguments.of(kernel, backing, mapping, type, expected(kernel, backing, mapping, type)));
                    }
                }
            }
        }
        return out.stream();
    }

    /** The kernel's answer: a page count (the hugetlb case pins 512) or 0 for io_uring, else the errno. */
    static String expected(String kernel, String backing, String mapping, String type) {
        boolean v65 = !kernel.equals("6.1");
        boolean shared = mapping.equals("shared");
        String ok = type.equals("iouring") ? "0" : backing.startsWith("memfd-hugetlb") ? "512" : "1";
        if (backing.equals("local-ext4-dax")) {
            // FOLL_LONGTERM on an fsdax VMA: -EOPNOTSUPP, io_uring included. [D] Except GUP-fast in a MAP_PRIVATE
            // mapping: memset COW'd the page into an anonymous one, and GUP-fast checks pages, not VMAs; io_uring
            // pins with pin_user_pages_fast() from 6.6 (io_pin_pages()).
            boolean fast = type.endsWith("fast") || type.equals("iouring") && kernel.equals("6.15");
            return !shared && fast ? ok : "-EOPNOTSUPP";
        }
        boolean writebackFs = WRITEBACK_FS.contains(backing);
        if (type.equals("iouring")) {
            if (v65) {
                return shared && writebackFs ? "-EFAULT" : ok;
            }
            // Before 6.5 io_uring refuses every file VMA that is neither shmem nor hugetlbfs.
            return writebackFs ? "-EOPNOTSUPP" : ok;
        }
        if (v65 && shared && type.startsWith("rw") && writebackFs) {
            return "-EFAULT";
        }
        return ok;
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} -> {4}")
    @MethodSource("cases")
    void pinResultMatchesTheKernelTable(String kernel, String backing, String mapping, String type, String expected) {
        Replays r = replays(kernel);
        String handle = "handle=" + backing + "/" + mapping + "/" + type;
        long line = type.equals("iouring") ? Lines.of(TRACE, "io_uring_register_buffers: " + handle + " ")
                : Lines.callEndingWith(TRACE, "pin_user_pages", handle);
        assertEquals(expected, r.result(line), handle + " on " + kernel);
    }

    private static final java.util.Map<String, Replays> CACHE = new java.util.concurrent.ConcurrentHashMap<>();

    private static Replays replays(String kernel) {
        return CACHE.computeIfAbsent(kernel, k -> Replays.file(TRACE, k));
    }
}
