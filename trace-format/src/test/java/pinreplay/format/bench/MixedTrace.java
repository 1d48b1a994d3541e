package pinreplay.format.bench;

import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * A deterministic mixed trace held in memory: native pin events, the real tracepoint lines of
 * the samples in src/test/resources/samples/ (mmap_lock, filemap, writeback, sched), kprobes, trace markers, unknown
 * events, function tracer lines and blank lines, cycling through a fixed set of tasks and handles so
 * the symbol table stops growing after the first cycle. Lines of one task come one at a time, or in
 * runs ({@link #lines(int, int)}).
 */
public final class MixedTrace {
    private static final String[] TEMPLATES = {
        "        qemu-kvm-4242    [001] ..... %s: vfio_dma_map: handle=vfio%d vaddr=0x7f0000000000 iova=0x%x size=0x40000000 prot=rw",
        "        qemu-kvm-4242    [001] ..... %s: dma_write: handle=vfio%d iova=0x%x len=4096",
        "             fio-900     [000] ..... %s: pin_user_pages_fast: start=0x7f1000000000 nr_pages=%d gup_flags=FOLL_WRITE|FOLL_LONGTERM handle=p%d ret=8",
        "             fio-900     [000] ..... %s: unpin_user_pages: handle=p%d dirty=1",
        "       trace-cmd-1840    [006] ...1 %s: mmap_lock_start_locking: mm=000000006515cb1f memcg_path=/user.slice/user-0.slice/session-2.scope write=false",
        "       trace-cmd-1840    [006] ...1 %s: mmap_lock_acquire_returned: mm=000000006515cb1f memcg_path=/user.slice/user-0.slice/session-2.scope write=false success=true",
        "            less-901     [005] ..... %s: mm_filemap_add_to_page_cache: dev 253:3 ino 13f730 pfn=0x%x ofs=%d order=0",
        " MediaStoreImpor-27212 (27176) [000] .... %s: mm_filemap_add_to_page_cache: dev 253:6 ino 7580 page=0000000060e990c7 pfn=%d ofs=159744",
        "  test-open-writ-6040    [000] d..2 %s: writeback_dirty_page: bdi 8:0: ino=23 index=%d",
        "            bash-77      [001] ..... %s: sched_process_fork: comm=bash pid=77 child_comm=bash child_pid=%d",
        "        io_uring-1500    [001] ..... %s: pin_user_pages: (pin_user_pages+0x0/0xa0) start=7f3a00000000 nr_pages=%x gup_flags=10001",
        "             fio-900     [000] ..... %s: tracing_mark_write: rdma_reg_mr: handle=mr%d addr=0x7f1000000000 len=0x200000 access=write",
        "        modprobe-203     [000] ..... %s: pwm_get: pwmchip0.0: period=1066407 duty_cycle=%d polarity=0 enabled=1 err=0",
        "            bash-1977    [000] .... %s: sys_close <-system_call_fastpath",
        "             fio-900     [000] ..... %s: munmap: addr=0x7f%x000 len=%d",
        "",
    };

    private MixedTrace() {
    }

    /** {@code n} lines of the mix, each ending in a newline. */
    public static byte[] lines(int n) {
        return lines(n, 1);
    }

    /**
     * {@code n} lines of the mix, each kind written {@code run} times in a row (the same task, CPU and
     * flags with the next timestamp and other values, as a task tracing a loop writes them).
     */
    public static byte[] lines(int n, int run) {
        StringBuilder sb = new StringBuilder(n * 120);
        for (int i = 0; i < n; i++) {
            String t = TEMPLATES[i / run % TEMPLATES.length];
            if (!t.isEmpty()) {
                String ts = String.format("%5d.%06d", 100 + i / 1_000_000, i % 1_000_000);
                sb.append(String.format(t, ts, i % 64, (i % 4096) * 4096 + 1));
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** A channel that reads {@code text} {@code times} times over, copying straight into the caller's buffer. */
    public static ReadableByteChannel repeat(byte[] text, int times) {
        return new ReadableByteChannel() {
            private int pass;
            private int pos;

            @Override
            public int read(ByteBuffer dst) {
                if (pass == times) {
                    return -1;
                }
                int n = Math.min(dst.remaining(), text.length - pos);
                dst.put(text, pos, n);
                pos += n;
                if (pos == text.length) {
                    pos = 0;
                    pass++;
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }
}
