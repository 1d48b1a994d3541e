package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import pinreplay.campaign.Json;
import pinreplay.format.EventType;

/**
 * The native events (docs/trace-format.md section 3), walked event by event through the CLI under {@code --kernel 6.1}: every native event
 * with its optional fields is accepted, replayed with its kernel call's result convention (pin calls
 * return counts, ioctls and syscalls 0, DMA and {@code dio_complete} the bytes), compared with {@code ret}
 * (errno as a name or a number), and survives {@code ingest | cat --format ftrace|jsonl}.
 */
class EveryNativeEventTest {
    @TempDir
    Path tmp;

    /** One trace line (pid, payload) and the result the replayer must report for it. */
    private record Row(int pid, String payload, Object result) {
        String event() {
            return payload.substring(0, payload.indexOf(':'));
        }
    }

    /** In trace order: each row sets up what the following ones use. */
    private static final List<Row> ROWS = List.of(
            new Row(100, "file: ino=10 fs=ext4 size=0x200000", 0L),
            new Row(100, "file: ino=11 fs=xfs dax=1 size=0x200000 ret=0", 0L),
            // mmap(2) returns the mapping's address: a ret of addr agrees; one page short of 2 MiB, so that
            // MAP_POPULATE maps small pages (a THP would hold the pins below and refuse the migration)
            new Row(100, "mmap: addr=0x10000000 len=0x1ff000 prot=rw flags=private populate=1 ret=0x10000000", 0x10000000L),
            new Row(100, "mmap: addr=0x20000000 len=0x200000 prot=rw flags=shared ino=10 pgoff=0 ret=0", 0L),
            new Row(100, "mmap: addr=0x30000000 len=0x200000 prot=rw flags=shared ino=11 pgoff=0", 0L),
            new Row(100, "mmap: addr=0x40000000 len=0x200000 prot=rw flags=private hugetlb=1", 0L),
            new Row(100, "mmap: addr=0x50000000 len=0x10000 prot=rw flags=shared pfnmap=1", 0L),
            new Row(100, "mprotect: addr=0x10000000 len=0x1000 prot=r ret=0", 0L),
            new Row(100, "fault: addr=0x20000000 len=0x2000 write=1 ret=0", 0L),
            new Row(100, "writeback: ino=10 offset=0 len=0x2000 ret=0", 0L),
            new Row(100, "pin_user_pages_fast: start=0x10010000 nr_pages=4 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p1 ret=4", 4L),
            // 6.1 FOLL bits: 0x10001 is WRITE|LONGTERM (include/linux/mm.h of 6.1: FOLL_LONGTERM 0x10000)
            new Row(100, "pin_user_pages: start=0x10020000 nr_pages=2 gup_flags=0x10001 handle=p2 ret=2", 2L),
            new Row(200, "pin_user_pages_remote: start=0x10030000 nr_pages=1 gup_flags=FOLL_WRITE handle=p3 mm=100 ret=1", 1L),
            new Row(100, "get_user_pages_fast: start=0x10040000 nr_pages=1 gup_flags=0x1 handle=g1 ret=1", 1L),
            new Row(100, "get_user_pages: start=0x10050000 nr_pages=2 gup_flags=FOLL_WRITE handle=g2 ret=2", 2L),
            new Row(200, "get_user_pages_remote: start=0x10060000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_FORCE handle=g3 mm=100 ret=1", 1L),
            // get_user_pages_longterm() existed 4.15-5.1 only; -38 is -ENOSYS as a number
            new Row(100, "get_user_pages_longterm: start=0x10070000 nr_pages=1 gup_flags=FOLL_WRITE handle=g4 ret=-38", "-ENOSYS"),
            new Row(100, "pin_user_pages_fast: start=0x30000000 nr_pages=1 gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p4 ret=-EOPNOTSUPP", "-EOPNOTSUPP"),
            new Row(100, "unpin_user_pages: handle=p1 dirty=1", 0L),
            new Row(100, "unpin_user_pages: handle=p2 ret=0", 0L),
            new Row(100, "put_page: handle=g1 ret=0", 0L),
            new Row(100, "vfio_dma_map: handle=v1 vaddr=0x10100000 iova=0x0 size=0x100000 prot=rw ret=0", 0L),
            new Row(100, "vfio_dma_map: handle=v2 vaddr=0x50000000 iova=0x100000 size=0x10000 prot=r ret=0", 0L),
            new Row(100, "dma_write: handle=v1 iova=0x1000 len=0x1000 ret=4096", 4096L),
            new Row(100, "dma_read: handle=v1 offset=0x2000 len=0x1000", 4096L),
            new Row(100, "vfio_dma_unmap: handle=v1 iova=0x0 size=0x100000 ret=0", 0L),
            new Row(100, "rdma_reg_mr: handle=m1 addr=0x10110000 len=0x10000 access=write ret=0", 0L),
            new Row(100, "rdma_reg_mr: handle=m2 addr=0x10120000 len=0x10000 access=read ret=0", 0L),
            new Row(100, "rdma_dereg_mr: handle=m1 ret=0", 0L),
            new Row(100, "io_uring_register_buffers: handle=u1 addr=0x10130000 len=0x10000 ret=0", 0L),
            new Row(100, "io_uring_unregister_buffers: handle=u1 ret=0", 0L),
            new Row(100, "dio_submit: handle=d1 ino=10 offset=0 len=0x1000 buf=0x10140000 rw=read ret=0", 0L),
            new Row(100, "dio_complete: handle=d1 ret=4096", 4096L),
            new Row(100, "ftruncate: ino=10 size=0x1000 ret=0", 0L),
            new Row(100, "fallocate: ino=10 mode=allocate offset=0 len=0x10000 ret=0", 0L),
            new Row(100, "fallocate: ino=10 mode=punch_hole offset=0x8000 len=0x1000 ret=0", 0L),
            new Row(100, "migrate: addr=0x10150000 len=0x10000 ret=0", 0L),
            new Row(100, "madvise: addr=0x10150000 len=0x10000 advice=dontfork ret=0", 0L),
            new Row(100, "madvise: addr=0x10150001 len=0x1000 advice=dontneed ret=-EINVAL", "-EINVAL"),
            // vmsplice_to_pipe(): the bytes a new pipe took
            new Row(100, "vmsplice: addr=0x10150000 len=0x2000 ret=8192", 8192L),
            // process_vm_rw_core(): the bytes copied through the target task's pinned pages
            new Row(100, "process_vm_readv: pid=100 addr=0x10150000 len=0x2000 ret=8192", 8192L),
            new Row(100, "process_vm_writev: pid=100 addr=0x10150000 len=0x1000 ret=4096", 4096L),
            new Row(100, "munmap: addr=0x10150000 len=0x10000 ret=0", 0L),
            // UDMABUF_CREATE returns the dma-buf's fd: any fd agrees with the model's dma-buf
            new Row(100, "file: ino=12 fs=tmpfs size=0x200000", 0L),
            new Row(100, "udmabuf_create: handle=b1 ino=12 offset=0 size=0x10000 seals=0x2 ret=5", 5L),
            new Row(100, "udmabuf_release: handle=b1 ret=0", 0L),
            // memfd_add_seals(): a file line says nothing of seals, so none are assumed; no pin or mapping is left
            new Row(100, "add_seals: ino=12 seals=0x8 ret=0", 0L));

    /** Line 1 is the tracer comment; row i is on line i + 2. */
    private static String trace() {
        StringBuilder sb = new StringBuilder("# tracer: nop\n");
        for (int i = 0; i < ROWS.size(); i++) {
            Row r = ROWS.get(i);
            sb.append(String.format("%16s-%-7d [000] ..... %6d.%06d: %s%n", "app", r.pid(), 1, i + 1, r.payload()));
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> records(String jsonl) {
        return Arrays.stream(jsonl.split("\n")).filter(l -> !l.isEmpty())
                .map(l -> (Map<String, Object>) Json.parse(l)).collect(Collectors.toList());
    }

    @Test
    void theTableWalksEveryNativeEventType() {
        TreeSet<String> natives = new TreeSet<>();
        for (EventType t : EventType.values()) {
            if (t.isNative() && t.kind() != EventType.Kind.STATE) { // a snapshot's vma is state, not a call
                natives.add(t.eventName());
            }
        }
        assertEquals(natives, ROWS.stream().map(Row::event).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void everyNativeEventReplaysWithItsCallsConventionAndAgreesWithRet() {
        Run run = Run.of(trace(), "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        assertEquals(ExitCodes.OK, run.code(), run.out() + run.err());
        List<Map<String, Object>> calls = new ArrayList<>();
        for (Map<String, Object> rec : records(run.out())) {
            assertFalse(rec.containsKey("violation") || rec.containsKey("stall"), rec.toString());
            calls.add(rec);
        }
        assertEquals(ROWS.size(), calls.size(), run.out());
        for (int i = 0; i < ROWS.size(); i++) {
            Row row = ROWS.get(i);
            Map<String, Object> rec = calls.get(i);
            String at = row.payload() + " -> " + rec;
            assertEquals((long) i + 2, rec.get("line"), at);
            assertEquals((long) row.pid(), rec.get("pid"), at);
            assertEquals(row.event(), rec.get("event"), at);
            assertEquals(row.result(), rec.get("result"), at);
            assertTrue(rec.get("latency_us") instanceof Number && rec.get("retries") instanceof Long, at);
            if (row.payload().contains(" ret=")) {
                assertTrue(rec.containsKey("observed"), at);
                assertEquals(Boolean.TRUE, rec.get("agrees"), at);
            } else {
                assertFalse(rec.containsKey("observed") || rec.containsKey("agrees"), at);
            }
        }
    }

    @Test
    void everyNativeEventRoundTripsThroughCatAsFtraceAndJsonl() {
        String trace = trace();
        String q = tmp.resolve("q").toString();
        Run ingest = Run.of(trace, "ingest", "-", "--queue", q);
        assertEquals(ExitCodes.OK, ingest.code(), ingest.err());

        Run ftrace = Run.of("", "cat", "--queue", q, "--format", "ftrace");
        assertEquals(ExitCodes.OK, ftrace.code(), ftrace.err());
        String[] printed = ftrace.out().split("\n");
        String[] source = trace.split("\n");
        assertEquals(source.length, printed.length, ftrace.out());
        for (int i = 1; i < source.length; i++) {
            String payload = ROWS.get(i - 1).payload();
            assertTrue(printed[i].endsWith(": " + payload), printed[i] + " vs " + payload);
        }
        Run fromText = Run.of(trace, "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        Run fromCat = Run.of(ftrace.out(), "replay", "-", "--kernel", "6.1", "--format", "jsonl");
        assertEquals(fromText.out(), fromCat.out());

        Run jsonl = Run.of("", "cat", "--queue", q, "--format", "jsonl");
        assertEquals(ExitCodes.OK, jsonl.code(), jsonl.err());
        List<Map<String, Object>> events = records(jsonl.out());
        assertEquals(ROWS.size(), events.size(), jsonl.out());
        for (int i = 0; i < ROWS.size(); i++) {
            Row row = ROWS.get(i);
            Map<String, Object> ev = events.get(i);
            assertEquals(row.event(), ev.get("event"), ev.toString());
            assertEquals((long) row.pid(), ev.get("pid"), ev.toString());
            @SuppressWarnings("unchecked")
            Map<String, Object> args = (Map<String, Object>) ev.get("args");
            List<String> keys = new ArrayList<>();
            for (String kv : row.payload().substring(row.event().length() + 2).split(" ")) {
                keys.add(kv.substring(0, kv.indexOf('=')));
            }
            assertEquals(keys, new ArrayList<>(args.keySet()), ev.toString());
        }
    }
}
