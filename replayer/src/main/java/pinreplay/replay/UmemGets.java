package pinreplay.replay;

import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.replay.dev.Rdma;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.range.LongObjectMap;

/**
 * RDMA memory registration as a raw recording shows it: a kprobe on ib_umem_get() (__ib_umem_get_va() in 7.2) with
 * the region's addr and size, the pin_user_pages_fast() calls inside, and its kretprobe (the umem, or an ERR_PTR).
 * Judged at the return as the native {@code rdma_reg_mr} is: the model's argument checks ({@link Rdma#umemGetArgs}),
 * then the first pin that failed in the model (ib_umem_get(): "if (pinned < 0) goto umem_release"), else 0 once the
 * model pinned every page. A call that passes the checks and shows no pin is not judged: it was refused on what the
 * model does not see (can_do_mlock(), IB_ACCESS_ON_DEMAND, the RLIMIT_MEMLOCK charge). The pins themselves are the
 * GUP calls', held until ib_umem_release()'s unpins.
 * <p>
 * A program's {@code rdma_reg_mr} marker written after such a call (a recording with native markers) is that call:
 * {@link #adopt} hands it the judged result, so the region is not pinned a second time.
 */
final class UmemGets {
    private static final int ADDR = 0, LEN = 1, RESULT = 2, PAGES = 3, TS = 4, STATE = 5;
    private static final long IDLE = 0, INSIDE = 1, RETURNED = 2;
    /** Per pid: the call's addr and size, the model's result so far, pages pinned, entry timestamp, state. */
    private final LongObjectMap<long[]> calls = new LongObjectMap<>();
    /** A umem the kernel returned: its mm and the pages charged to that mm's pinned_vm until ib_umem_release(). */
    private record Umem(Mm mm, long pages) {
    }

    private final LongObjectMap<Umem> umems = new LongObjectMap<>();
    private final Kernel k;

    UmemGets(Kernel k) {
        this.k = k;
    }

    /** The kprobe: task {@code v.pid()} entered ib_umem_get(). */
    void enter(EventView v) {
        long[] c = calls.computeIfAbsent(v.pid(), p -> new long[6]);
        c[ADDR] = v.get(Field.ADDR, 0);
        c[LEN] = v.get(Field.LEN, 0);
        c[RESULT] = 0;
        c[PAGES] = 0;
        c[TS] = v.ts();
        c[STATE] = INSIDE;
    }

    /** A GUP call of task {@code pid} returned {@code pinned} in the model: inside ib_umem_get(), one step of its loop. */
    void pinned(int pid, long pinned) {
        long[] c = calls.get(pid);
        if (c == null || c[STATE] != INSIDE || c[RESULT] < 0) {
            return;
        }
        if (pinned < 0) {
            c[RESULT] = pinned;
        } else {
            c[PAGES] += pinned;
        }
    }

    /** Whether an entry probe is ib_umem_release()'s. */
    static boolean isRelease(EventView v) {
        return v.symbols().is(v.symbol(Field.FUNC), "ib_umem_release");
    }

    /** ib_umem_release(umem): "atomic64_sub(ib_umem_num_pages(umem), &umem->owning_mm->pinned_vm)". */
    void release(int pid, long umem) {
        Umem u = umems.get(umem);
        if (u != null) {
            umems.remove(umem);
            u.mm.pinnedVm -= u.pages;
        }
    }

    /** Whether a kretprobe is ib_umem_get()'s. */
    static boolean isReturn(EventView v) {
        int f = v.symbol(Field.FUNC);
        return v.symbols().is(f, "ib_umem_get") || v.symbols().is(f, "__ib_umem_get_va");
    }

    /** The entry timestamp of task {@code pid}'s ib_umem_get() now returning, 0 when its kprobe was not seen. */
    long enteredAt(int pid) {
        long[] c = calls.get(pid);
        return c == null || c[STATE] != INSIDE ? 0 : c[TS];
    }

    /**
     * The kretprobe returning {@code ret} (the umem or an ERR_PTR) to {@code mm}: the model's result of task {@code
     * pid}'s call, or {@link Syscalls#UNJUDGED}. The checks before the pins, the RLIMIT_MEMLOCK charge among them
     * ({@link Rdma#umemGetCharge}), are judged here, where the recorded result is known; then mm->pinned_vm follows the
     * kernel: charged for a umem it returned, not for a refusal.
     */
    long exit(int pid, Mm mm, long ret) {
        long[] c = calls.get(pid);
        if (c == null || c[STATE] != INSIDE) {
            return Syscalls.UNJUDGED;
        }
        long charge = k.rdma.umemGetCharge(mm, k.creds.of(pid), c[ADDR], c[LEN]);
        long pages = (MemMap.pageAlign(c[ADDR] + c[LEN]) - (c[ADDR] & -MemMap.PAGE_SIZE)) >>> MemMap.PAGE_SHIFT;
        c[RESULT] = charge != 0 ? charge
                : c[RESULT] < 0 ? c[RESULT]
                : c[PAGES] > 0 && c[PAGES] >= pages ? 0
                : Syscalls.UNJUDGED;
        boolean umem = ret != 0 && errPtr(ret) == 0;
        if (charge == 0 && !umem) {
            mm.pinnedVm -= pages;
        } else if (umem) {
            if (charge != 0) {
                mm.pinnedVm += pages;
            }
            umems.put(ret, new Umem(mm, pages));
        }
        c[STATE] = RETURNED;
        return c[RESULT];
    }

    /**
     * The judged result of task {@code pid}'s last ib_umem_get() when it registered [addr, addr + len) and no marker
     * took it yet, else {@link Syscalls#UNJUDGED} (the marker's MR is then registered by the model itself).
     */
    long adopt(int pid, long addr, long len) {
        long[] c = calls.get(pid);
        if (c == null || c[STATE] != RETURNED || c[ADDR] != addr || c[LEN] != len) {
            return Syscalls.UNJUDGED;
        }
        c[STATE] = IDLE;
        return c[RESULT];
    }

    /** The errno a kretprobe's umem pointer carries (IS_ERR(): the last 4095 values, MAX_ERRNO), else 0. */
    static long errPtr(long ret) {
        return ret < 0 && ret >= -4095 ? ret : 0;
    }
}
