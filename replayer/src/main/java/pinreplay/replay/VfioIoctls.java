package pinreplay.replay;

import java.util.ArrayList;
import java.util.List;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.range.LongObjectMap;

/**
 * vfio type1's VFIO_IOMMU_MAP_DMA and VFIO_IOMMU_UNMAP_DMA as a raw recording shows them: a kprobe on
 * vfio_iommu_type1_ioctl() with the user's argument struct, the GUP calls of vaddr_get_pfn(s)() inside a map, and the
 * ioctl()'s return, where each is judged as the native {@code vfio_dma_map} / {@code vfio_dma_unmap} is
 * ({@link pinreplay.replay.dev.Vfio#dmaMapRecorded}, {@link pinreplay.replay.dev.Vfio#dmaUnmap}). Not judged: a map
 * whose pins failed on a VM_PFNMAP VMA or on a file the recording never described (a BAR mmap()ed from the fd
 * VFIO_GROUP_GET_DEVICE_FD returned, which vaddr_get_pfn() translates instead, no GUP call showing it) or on memory
 * mapped before the recording, a map that passes the checks before the pins but shows none (refused on what the
 * model does not see), a VFIO_DMA_MAP_FLAG_VADDR update, an unmap with flags (a dirty bitmap,
 * VFIO_DMA_UNMAP_FLAG_ALL), a call whose struct the probe could not read.
 */
final class VfioIoctls {
    /** _IO(VFIO_TYPE, VFIO_BASE + 13) and + 14 (include/uapi/linux/vfio.h). */
    private static final long MAP_DMA = 0x3b71, UNMAP_DMA = 0x3b72;
    /** VFIO_DMA_MAP_FLAG_READ, _WRITE, _VADDR (5.12); VFIO_DMA_UNMAP_FLAG_ALL (5.12). */
    private static final long FLAG_READ = 1, FLAG_WRITE = 2, FLAG_VADDR = 4, UNMAP_FLAG_ALL = 2;
    private static final int CMD = 0, FLAGS = 1, VADDR = 2, IOVA = 3, SIZE = 4, FAILED = 5, STATE = 6, ZERO = 7,
            UNPINNED = 8, PINNED = 9, UNSEEN = 10;
    private static final long IDLE = 0, INSIDE = 1, UNJUDGEABLE = 2;
    /**
     * Per pid: the call's cmd, flags, vaddr, iova, size, first failed pin, state, zero pages its pins took in the
     * model, pages the recording unpinned inside it, pages pinned, whether an unmap covers no map the model knows.
     */
    private final LongObjectMap<long[]> calls = new LongObjectMap<>();
    /** Per pid: the raw pins the map in progress took. */
    private final LongObjectMap<List<Registration>> pins = new LongObjectMap<>();
    private final Kernel k;
    private final Profile profile;

    VfioIoctls(Kernel k, Profile profile) {
        this.k = k;
        this.profile = profile;
    }

    /** The kprobe: task {@code v.pid()} entered vfio_iommu_type1_ioctl(). */
    void enter(EventView v) {
        long[] c = calls.computeIfAbsent(v.pid(), p -> new long[11]);
        pins.computeIfAbsent(v.pid(), p -> new ArrayList<>()).clear();
        c[CMD] = v.get(Field.CMD, 0);
        c[FLAGS] = v.get(Field.FLAGS, 0);
        c[VADDR] = v.get(Field.VADDR, 0);
        c[IOVA] = v.get(Field.IOVA, 0);
        c[SIZE] = v.get(Field.SIZE, 0);
        c[FAILED] = 0;
        c[ZERO] = 0;
        c[UNPINNED] = 0;
        c[PINNED] = 0;
        c[UNSEEN] = c[CMD] == UNMAP_DMA && !k.vfio.covers(k.tasks.mmOf(v.pid()), c[IOVA], c[SIZE]) ? 1 : 0;
        boolean read = v.has(Field.FLAGS) && v.has(Field.IOVA) && v.has(Field.SIZE)
                && (c[CMD] == UNMAP_DMA || v.has(Field.VADDR));
        c[STATE] = c[CMD] != MAP_DMA && c[CMD] != UNMAP_DMA ? IDLE
                : !read || c[CMD] == MAP_DMA && (c[FLAGS] & FLAG_VADDR) != 0 || c[CMD] == UNMAP_DMA && c[FLAGS] != 0
                ? UNJUDGEABLE : INSIDE;
    }

    /**
     * A GUP call of task {@code pid} at {@code start} returned {@code pinned} in the model: inside a map, one step of
     * vfio_pin_pages_remote(); the first failure is the map's ("if (ret < 0) goto unwind"), unless vaddr_get_pfn()
     * may go on to translate a PFNMAP VMA there, or the model {@code guessed} the memory there (mapped before the
     * recording, whose guess the recorded result of the pin may override: what vaddr_get_pfn() found is unknown).
     */
    void pinned(int pid, Mm mm, long start, long pinned, boolean guessed, Registration taken) {
        long[] c = calls.get(pid);
        if (c == null || c[STATE] != INSIDE || c[CMD] != MAP_DMA || c[FAILED] < 0) {
            return;
        }
        if (pinned > 0) {
            c[PINNED] += pinned;
            if (taken != null) {
                c[ZERO] += zeroPages(taken);
                pins.get(pid).add(taken);
            }
            return;
        }
        VmArea vma = mm.vmaLookup(start);
        if (guessed || vma != null && (vma.isPfnmap() || vma.file != null && vma.file.undescribed)) {
            c[STATE] = UNJUDGEABLE;
        } else {
            c[FAILED] = pinned == 0 ? -Errno.EFAULT : pinned;
        }
    }

    /**
     * The recording's unpin of {@code n} pages by task {@code pid}: inside a map, vaddr_get_pfns()' of the zero page,
     * with unpin_user_page() (5.10, 6.1); not put_pfn()'s unpin_user_pages_dirty_lock() when a failed map unwinds
     * ({@code single} false).
     */
    void unpinned(int pid, long n, boolean single) {
        long[] c = calls.get(pid);
        if (single && c != null && c[STATE] == INSIDE && c[CMD] == MAP_DMA) {
            c[UNPINNED] += n;
        }
    }

    /**
     * Whether task {@code pid} is inside an unmap of nothing the model knows: the pins its unpins drop are a map's
     * made before the recording, not the raw pins the recording showed.
     */
    boolean unpinsUnseenMap(int pid) {
        long[] c = calls.get(pid);
        return c != null && c[STATE] != IDLE && c[CMD] == UNMAP_DMA && c[UNSEEN] == 1;
    }

    private static long zeroPages(Registration r) {
        long n = 0;
        for (int i = 0; i < r.extents.size(); i++) {
            if ((r.extents.kind(i) & PageFlags.ZERO) != 0) {
                n += r.extents.len(i);
            }
        }
        return n;
    }

    /** Whether task {@code pid}'s ioctl() now returning is a map or unmap the kprobe showed. */
    boolean returning(int pid) {
        long[] c = calls.get(pid);
        return c != null && c[STATE] != IDLE;
    }

    /** The native event the call is judged as. */
    EventType judgedAs(int pid) {
        return calls.get(pid)[CMD] == MAP_DMA ? EventType.VFIO_DMA_MAP : EventType.VFIO_DMA_UNMAP;
    }

    /**
     * The ioctl()'s return ({@code observed}) in task {@code pid} of {@code mm}: the model's result of the map or
     * unmap, or {@link Syscalls#UNJUDGED}. vfio_iommu_type1_map_dma() refuses flags beyond READ, WRITE and VADDR before
     * anything else (-EINVAL); vfio_dma_do_map()'s own checks follow.
     */
    long exit(int pid, Mm mm, long observed) {
        long[] c = calls.get(pid);
        long state = c[STATE];
        c[STATE] = IDLE;
        if (state != INSIDE) {
            if (c[CMD] == UNMAP_DMA && c[FLAGS] == UNMAP_FLAG_ALL && observed == 0) {
                k.vfio.dmaUnmapAll(mm); // not judged (5.12+), but the container is empty now: later maps find it so
            } else if (state == UNJUDGEABLE && c[CMD] == MAP_DMA && (c[FLAGS] & FLAG_VADDR) == 0 && observed == 0) {
                k.vfio.dmaMapUnjudged(mm, c[VADDR], c[IOVA], c[SIZE], (c[FLAGS] & FLAG_WRITE) != 0);
            }
            return Syscalls.UNJUDGED;
        }
        if (c[CMD] == UNMAP_DMA) {
            return k.vfio.dmaUnmap(mm, 0, c[IOVA], c[SIZE]);
        }
        if ((c[FLAGS] & ~(FLAG_READ | FLAG_WRITE | FLAG_VADDR)) != 0) {
            return -Errno.EINVAL;
        }
        int prot = (int) (c[FLAGS] & (FLAG_READ | FLAG_WRITE));
        if (c[PINNED] == 0 && c[FAILED] == 0) {
            // refused on what the model does not see, or the pins went unrecorded: only the checks before them judge
            long r = k.vfio.dmaMapRefused(mm, c[VADDR], c[IOVA], c[SIZE], prot);
            if (r == 0 && observed == 0) {
                k.vfio.dmaMapUnjudged(mm, c[VADDR], c[IOVA], c[SIZE], (c[FLAGS] & FLAG_WRITE) != 0);
            }
            return r != 0 ? r : Syscalls.UNJUDGED;
        }
        // vaddr_get_pfns() unpins each zero page it pinned at once (6.0, 5.10.146+): pins of the zero page in the model
        // that the recording did not unpin were of the task's own pages, written in faults it does not trace
        boolean zeroUnconfirmed = profile.vfioUnpinZeroPages && c[UNPINNED] < c[ZERO];
        if (zeroUnconfirmed) {
            for (Registration r : pins.get(pid)) {
                r.zeroUnconfirmed = true;
            }
        }
        return k.vfio.dmaMapRecorded(mm, c[VADDR], c[IOVA], c[SIZE], prot, c[FAILED],
                !zeroUnconfirmed);
    }
}
