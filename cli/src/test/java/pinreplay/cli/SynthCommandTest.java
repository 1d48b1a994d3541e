package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.format.EventType;
import pinreplay.format.queue.EventQueue;
import pinreplay.format.queue.QueueMetadata;
import pinreplay.format.queue.QueueReader;

class SynthCommandTest {
    @TempDir
    Path tmp;

    private static List<byte[]> blocks(Path q) {
        List<byte[]> out = new ArrayList<>();
        try (EventQueue queue = EventQueue.open(q); QueueReader r = queue.reader()) {
            r.readTo((buf, len) -> out.add(Arrays.copyOf(buf, len)));
        }
        return out;
    }

    @Test
    void synthIntoAQueueEqualsSynthTextIngested() {
        String[] workload = {"synth", "mixed", "-p", "processes=6", "--seed", "9", "--events", "30000"};
        Path direct = tmp.resolve("direct");
        Run r = Run.of("", concat(workload, "--queue", direct.toString()));
        assertEquals(0, r.code(), r.err());
        Run text = Run.of("", workload);
        assertEquals(0, text.code(), text.err());
        Path viaText = tmp.resolve("text");
        Run ingest = Run.of(text.out(), "ingest", "-", "--queue", viaText.toString());
        assertEquals(0, ingest.code(), ingest.err());

        List<byte[]> a = blocks(direct);
        List<byte[]> b = blocks(viaText);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), "block " + i);
        }
        QueueMetadata m = QueueMetadata.load(direct);
        assertEquals(30000, m.count(EventType.VFIO_DMA_MAP) + countOthers(m));
        assertEquals(QueueMetadata.load(viaText).lines(), m.lines());
    }

    private static long countOthers(QueueMetadata m) {
        long n = 0;
        for (EventType t : EventType.values()) {
            if (t != EventType.VFIO_DMA_MAP && t != EventType.COMMENT && t != EventType.SYMBOL) {
                n += m.count(t);
            }
        }
        return n;
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.trace");
        Path b = dir.resolve("b.trace");
        assertEquals(0, Run.of("", "synth", "gup-writeback", "--seed", "4", "--events", "2000", "-o", a.toString()).code());
        assertEquals(0, Run.of("", "synth", "gup-writeback", "--seed", "4", "--events", "2000", "-o", b.toString()).code());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        Run other = Run.of("", "synth", "gup-writeback", "--seed", "5", "--events", "2000");
        assertNotEquals(Files.readString(a), other.out());
    }

    @Test
    void textCarriesTheTracepointsTheKernelWouldEmit() {
        Run r = Run.of("", "synth", "qemu-vfio", "-p", "share=on", "-p", "writeback-rate=200", "-p", "punch-hole-rate=50",
                "-p", "cpu-rate=5000", "--events", "20000");
        assertEquals(0, r.code(), r.err());
        String out = r.out();
        assertTrue(out.contains("mmap_lock_start_locking: mm="), "mmap and the vfio map take mmap_lock");
        assertTrue(out.contains(" write=false success=true"));
        assertTrue(out.contains("writeback_dirty_folio: bdi 8:0: ino=12 index="), "a CPU write re-dirties cleaned folios");
        assertTrue(out.contains("mm_filemap_add_to_page_cache: dev 8:1 ino c pfn=0x"), "punched pages fault back in");
        assertTrue(out.contains("task_newtask: pid=4201 comm=CPU 0/KVM clone_flags=3d0f00"));
    }

    @Test
    void listDescribesEveryScenarioAndItsParameters() {
        Run r = Run.of("", "synth", "--list");
        assertEquals(0, r.code());
        for (String name : new String[] {"qemu-vfio", "qemu-virtual-pmem", "rdma-mr", "io-uring-fixed", "odirect",
            "dax-truncate", "vfio-pfnmap", "gup-writeback", "mixed"}) {
            assertTrue(r.out().contains("\n" + name + "\n") || r.out().startsWith(name + "\n"), name);
        }
        assertTrue(r.out().contains("-p fs=ext4 (ext4|xfs|btrfs|tmpfs|hugetlbfs|devdax)"));
    }

    @Test
    void badScenarioOrParameterIsAUsageError() {
        Run r = Run.of("", "synth", "qemu-vfio", "-p", "fs=ntfs");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("pinreplay synth: qemu-vfio: fs must be one of ext4|xfs|btrfs|tmpfs|hugetlbfs|devdax, got 'ntfs'"), r.err());
        assertEquals(2, Run.of("", "synth", "nosuch").code());
        assertEquals(2, Run.of("", "synth").code());
        assertEquals(2, Run.of("", "synth", "odirect", "--events", "5", "--duration", "1").code(), "exclusive options");
    }

    @Test
    void existingQueueIsRefusedWithoutForce() {
        Path q = tmp.resolve("q");
        assertEquals(0, Run.of("", "synth", "odirect", "--events", "50", "--queue", q.toString()).code());
        assertEquals(4, Run.of("", "synth", "odirect", "--events", "50", "--queue", q.toString()).code());
        assertEquals(0, Run.of("", "synth", "odirect", "--events", "50", "--queue", q.toString(), "--force").code());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
