package pinreplay.replay.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.kernel.KernelRelease;
import pinreplay.replay.kernel.Policies;
import pinreplay.replay.kernel.Profile;

/** The dependence relation and the sleep sets: commuting events are explored in one order, conflicting ones in all. */
class ExplorerTest {
    private static final Explorer.Bounds ALL = new Explorer.Bounds(1_000_000, Long.MAX_VALUE, 0, true);
    private static final Explorer.Bounds NO_PRUNE = new Explorer.Bounds(1_000_000, Long.MAX_VALUE, 0, false);

    static TraceEvents load(String text) {
        TraceEvents t = new TraceEvents();
        EventWriter w = new EventWriter(new EventReader(t));
        try {
            new TraceParser("t", w, false).parse(Channels.newChannel(new ByteArrayInputStream(
                    text.getBytes(StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        w.finish();
        return t;
    }

    private static Explorer.Result explore(String text, Explorer.Bounds b) {
        Profile p = Profile.of(KernelRelease.NEWEST, Policies.parse(java.util.List.of()));
        return new Explorer(load(text), p, () -> FaultPoints.NONE).run(b, null);
    }

    private static String line(String task, int pid, double ts, String event) {
        return String.format(java.util.Locale.ROOT, "%16s-%-7d [000] ..... %12.6f: %s%n", task, pid, ts, event);
    }

    /** Two tasks, each mapping and faulting its own memory: nothing they touch is shared. */
    private static final String DISJOINT = line("a", 10, 1.0, "mmap: addr=0x10000 len=0x1000 prot=rw flags=private")
            + line("b", 20, 1.1, "mmap: addr=0x20000 len=0x1000 prot=rw flags=private")
            + line("a", 10, 1.2, "fault: addr=0x10000 write=1")
            + line("b", 20, 1.3, "fault: addr=0x20000 write=1");

    @Test
    void disjointTasksCommuteIntoOneOrder() {
        Explorer.Result pruned = explore(DISJOINT, ALL);
        assertEquals(1, pruned.orders);
        assertTrue(pruned.exhausted);
        // without pruning: every interleaving of 2 + 2 events, C(4, 2) = 6, one class
        Explorer.Result all = explore(DISJOINT, NO_PRUNE);
        assertEquals(6, all.orders);
        assertEquals(1, all.classes.size());
    }

    @Test
    void aSharedFileMakesTheirOrderMatter() {
        String shared = line("w", 10, 1.0, "file: ino=5 fs=ext4 size=0x1000")
                + line("w", 10, 1.1, "mmap: addr=0x10000 len=0x1000 prot=rw flags=shared ino=5 pgoff=0")
                + line("w", 10, 1.2, "fault: addr=0x10000 write=1")
                + line("t", 20, 1.3, "ftruncate: ino=5 size=0");
        Footprints fp = Footprints.of(load(shared));
        assertTrue(fp.dependent(2, 3), "a fault on the file's pages and its truncate");
        // the truncate needs the file to exist (happens-before), and may go before the mmap or the fault
        Explorer.Result r = explore(shared, ALL);
        assertEquals(3, r.orders);
        assertTrue(r.classes.size() > 1, "truncating first makes the fault fail");
    }

    @Test
    void aWriteHeldMmapLockRegionIsOneStep() {
        String locked = line("a", 10, 1.0, "mmap_lock_acquire_returned: mm=00000000deadbeef memcg_path= write=true success=true")
                + line("a", 10, 1.1, "mmap: addr=0x10000 len=0x1000 prot=rw flags=private")
                + line("a", 10, 1.2, "mmap_lock_released: mm=00000000deadbeef memcg_path= write=true")
                + line("a", 10, 1.3, "fault: addr=0x10000 write=1");
        Footprints fp = Footprints.of(load(locked));
        assertEquals(2, fp.stepCount(), "lock, mmap, unlock as one step; then the fault");
    }
}
