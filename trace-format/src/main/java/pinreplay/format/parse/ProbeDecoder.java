package pinreplay.format.parse;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;

/**
 * kprobe and kretprobe lines (Documentation/trace/kprobetrace.rst): {@code EVENT: (sym+off/size) args}
 * and {@code EVENT: (caller+off/size <- fn) $retval=...}. A probe on a pin function (contract 2.2)
 * is that native event; a return probe on one is a {@link EventType#KRETPROBE} carrying its
 * {@code ret}. The caller keeps every other probe as an unknown event.
 */
final class ProbeDecoder {
    private static final byte[] ARROW = Bytes.ascii(" <- ");
    private static final byte[] RETVAL = Bytes.ascii("$retval");
    private static final byte[] RET = Bytes.ascii("ret");
    private static final byte[] ARG1 = Bytes.ascii("arg1");
    /** A 32-bit return value at or above this is a negative errno (IS_ERR_VALUE on an int). */
    private static final long ERRNO32 = 0xfffff001L;
    /** MAX_ERRNO, include/linux/err.h. */
    private static final long ERRNO_MAX = 4095;

    private final EventWriter out;
    private final NativeDecoder natives;
    private final SymbolCache symbols;
    private final Value v = new Value();

    ProbeDecoder(EventWriter out, NativeDecoder natives, SymbolCache symbols) {
        this.out = out;
        this.natives = natives;
        this.symbols = symbols;
    }

    /** The {@code ')'} closing a probe column that opens at {@code b[from]}, or -1 when there is none. */
    static int probeEnd(byte[] b, int from, int to) {
        if (from >= to || b[from] != '(') {
            return -1;
        }
        int close = Bytes.indexOf(b, from + 1, to, (byte) ')');
        return close > from + 1 && (close + 1 == to || b[close + 1] == ' ') ? close : -1;
    }

    /** The {@code " <- "} of a return probe column {@code b[from, to)}, or -1 for an entry probe. */
    static int arrow(byte[] b, int from, int to) {
        return Bytes.findSpaced(b, from, to, ARROW);
    }

    /** Whether {@code " <- fn"} follows the column closing at {@code b[close]} instead of sitting inside it. */
    static boolean arrowAfter(byte[] b, int close, int to) {
        return Bytes.startsWith(b, close + 1, to, ARROW);
    }

    /** The end of the symbol in {@code sym+off/size} or {@code sym [module]}. */
    static int symbolEnd(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] != '+' && b[i] != ' ') {
            i++;
        }
        return i;
    }

    private static final byte[][] UNPINS = {Bytes.ascii("unpin_user_page"), Bytes.ascii("unpin_user_pages"),
        Bytes.ascii("unpin_user_pages_dirty_lock"), Bytes.ascii("unpin_user_page_range_dirty_lock"),
        Bytes.ascii("unpin_user_folio")};
    private static final byte[] NPAGES = Bytes.ascii("npages");
    private static final byte[] MAKE_DIRTY = Bytes.ascii("make_dirty");

    /** Whether {@code b[from, to)} names a function that releases pins (mm/gup.c unpin_*). */
    private static boolean isUnpin(byte[] b, int from, int to) {
        return oneOf(UNPINS, b, from, to);
    }

    /**
     * Fills the open {@link EventType#UNPIN_PROBE} record past {@code func} and {@code event_name}: the pages released
     * ({@code npages=}, else one: unpin_user_page()) and {@code make_dirty=}.
     */
    private void unpin(byte[] b, int args, int to) {
        long n = arg(b, args, to, NPAGES, true);
        long dirty = arg(b, args, to, MAKE_DIRTY, true);
        out.field(Field.NR_PAGES, ValueType.DEC, n == ABSENT ? 1 : n);
        out.field(Field.DIRTY, ValueType.DEC, dirty == ABSENT ? 0 : dirty);
    }

    private static final byte[][] MMAP_HOOKS = {Bytes.ascii("hugetlbfs_file_mmap"), Bytes.ascii("shmem_mmap"),
        Bytes.ascii("shmem_mmap_prepare"), Bytes.ascii("ext4_file_mmap"), Bytes.ascii("ext4_file_mmap_prepare"),
        Bytes.ascii("xfs_file_mmap"), Bytes.ascii("xfs_file_mmap_prepare"), Bytes.ascii("btrfs_file_mmap"),
        Bytes.ascii("btrfs_file_mmap_prepare")};
    private static final byte[] I_MODE = Bytes.ascii("i_mode");
    private static final byte[] I_FLAGS = Bytes.ascii("i_flags");

    /** Whether {@code b[from, to)} names a filesystem's mmap hook (f_op->mmap, f_op->mmap_prepare) the recorder probes. */
    private static boolean isMmapHook(byte[] b, int from, int to) {
        return oneOf(MMAP_HOOKS, b, from, to);
    }

    /**
     * Fills the open {@link EventType#MMAP_HOOK_PROBE} record past {@code func} (the hook) and {@code event_name}: the
     * mapped inode's {@code i_mode=} and {@code i_flags=} as {@code mode} and {@code flags} when the probe fetched
     * them (a fetch that faulted prints {@code (fault)} and is left out).
     */
    private void mmapHook(byte[] b, int args, int to) {
        long mode = arg(b, args, to, I_MODE, false);
        long flags = arg(b, args, to, I_FLAGS, false);
        if (mode != ABSENT) {
            out.field(Field.MODE, ValueType.HEX, mode);
        }
        if (flags != ABSENT) {
            out.field(Field.FLAGS, ValueType.HEX, flags);
        }
    }

    private static final byte[][] UMEM_GETS = {Bytes.ascii("ib_umem_get"), Bytes.ascii("__ib_umem_get_va"),
        Bytes.ascii("ib_umem_release")};
    private static final byte[] UMEM = Bytes.ascii("umem");
    private static final byte[] ADDR = Bytes.ascii("addr");
    private static final byte[] SIZE = Bytes.ascii("size");

    /**
     * Whether {@code b[from, to)} names RDMA's ib_umem_get(), __ib_umem_get_va() that does its work in 7.2, or
     * ib_umem_release(), which drops the umem's pins and its mm->pinned_vm charge.
     */
    static boolean isUmemGet(byte[] b, int from, int to) {
        return oneOf(UMEM_GETS, b, from, to);
    }

    private static final byte[] UDMABUF_CREATE = Bytes.ascii("udmabuf_create");

    private static final byte[] FIXUP_USER_FAULT = Bytes.ascii("fixup_user_fault");
    private static final byte[] ADDRESS = Bytes.ascii("address");
    private static final byte[] FAULT_FLAGS = Bytes.ascii("fault_flags");

    /**
     * Whether {@code b[from, to)} names a call whose return the replay reads that is no pin call: a device's pinning
     * call it judges (ib_umem_get(), udmabuf_create()), or fixup_user_fault(), whose 0 says the page was faulted in.
     */
    static boolean returnRead(byte[] b, int from, int to) {
        return isUmemGet(b, from, to) || Bytes.equals(b, from, to, UDMABUF_CREATE)
                || Bytes.equals(b, from, to, FIXUP_USER_FAULT);
    }

    /**
     * Fills the open {@link EventType#FIXUP_FAULT_PROBE} record past func and event_name: {@code address=} and
     * {@code fault_flags=} (as flags), 0 when the line lacks one.
     */
    private void fixupFault(byte[] b, int args, int to) {
        long address = arg(b, args, to, ADDRESS, true);
        long flags = arg(b, args, to, FAULT_FLAGS, true);
        out.field(Field.ADDRESS, ValueType.HEX, address == ABSENT ? 0 : address);
        out.field(Field.FLAGS, ValueType.HEX, flags == ABSENT ? 0 : flags);
    }

    private static final byte[] DO_PRLIMIT = Bytes.ascii("do_prlimit");
    private static final byte[] RESOURCE = Bytes.ascii("resource");
    private static final byte[] NEW = Bytes.ascii("new");
    private static final byte[] CUR = Bytes.ascii("cur");

    /**
     * The record type of an entry probe on a function the replay reads that is no pin call: a pin release, a
     * filesystem's mmap hook, ib_umem_get(), do_prlimit(), vfio_iommu_type1_ioctl(), udmabuf's calls,
     * fixup_user_fault() or a path taker of openat() and truncate(); null for any other function.
     */
    static EventType entryProbe(byte[] b, int from, int to) {
        return isUnpin(b, from, to) ? EventType.UNPIN_PROBE : isMmapHook(b, from, to) ? EventType.MMAP_HOOK_PROBE
                : isUmemGet(b, from, to) ? EventType.UMEM_GET_PROBE
                : Bytes.equals(b, from, to, DO_PRLIMIT) ? EventType.PRLIMIT_PROBE
                : Bytes.equals(b, from, to, VFIO_IOCTL) ? EventType.VFIO_IOCTL_PROBE
                : oneOf(UDMABUF, b, from, to) ? EventType.UDMABUF_PROBE
                : Bytes.equals(b, from, to, FIXUP_USER_FAULT) ? EventType.FIXUP_FAULT_PROBE
                : oneOf(PATH_TAKERS, b, from, to) ? EventType.PATH_PROBE : null;
    }

    /**
     * The functions whose kprobe reads the path openat() or truncate() was given (the replay reads it from the text):
     * do_sys_openat2(), __x64_sys_truncate(), and do_sys_truncate(), which recorders before __x64_sys_truncate()'s
     * probe read (it fires on 6.1 only).
     */
    private static final byte[][] PATH_TAKERS = {Bytes.ascii("do_sys_openat2"), Bytes.ascii("__x64_sys_truncate"),
        Bytes.ascii("do_sys_truncate")};

    private static final byte[][] UDMABUF = {Bytes.ascii("udmabuf_create"), Bytes.ascii("dma_buf_fd"),
        Bytes.ascii("release_udmabuf")};
    private static final byte[][] UDMABUF_ARGS = {Bytes.ascii("flags"), Bytes.ascii("items"), Bytes.ascii("memfd"),
        Bytes.ascii("offset"), Bytes.ascii("size"), Bytes.ascii("dmabuf")};
    private static final Field[] UDMABUF_FIELDS = {Field.FLAGS, Field.ITEMS, Field.MEMFD, Field.OFFSET, Field.SIZE,
        Field.DMABUF};

    /**
     * Fills the open {@link EventType#UDMABUF_PROBE} record past func and event_name: each of {@code flags=},
     * {@code items=}, {@code memfd=}, {@code offset=}, {@code size=} (udmabuf_create()) and {@code dmabuf=}
     * (dma_buf_fd(), release_udmabuf()) the line carries; a fetch that faulted prints {@code (fault)} and is left out.
     */
    private void udmabuf(byte[] b, int args, int to) {
        for (int i = 0; i < UDMABUF_ARGS.length; i++) {
            long value = arg(b, args, to, UDMABUF_ARGS[i], true);
            if (value != ABSENT) {
                out.field(UDMABUF_FIELDS[i], i < 2 || i == 5 ? ValueType.HEX : ValueType.DEC, value);
            }
        }
    }

    private static final byte[] VFIO_IOCTL = Bytes.ascii("vfio_iommu_type1_ioctl");
    private static final byte[] CMD = Bytes.ascii("cmd");
    private static final byte[] FLAGS = Bytes.ascii("flags");
    private static final byte[][] AT = {Bytes.ascii("at8"), Bytes.ascii("at16"), Bytes.ascii("at24")};
    /** _IO(VFIO_TYPE, VFIO_BASE + 13) and + 14 (include/uapi/linux/vfio.h). */
    private static final long VFIO_IOMMU_MAP_DMA = 0x3b71, VFIO_IOMMU_UNMAP_DMA = 0x3b72;
    /** What the u64s at offsets 8, 16 and 24 of each argument struct are. */
    private static final Field[] MAP_DMA = {Field.VADDR, Field.IOVA, Field.SIZE}, UNMAP_DMA = {Field.IOVA, Field.SIZE};

    /**
     * Fills the open {@link EventType#VFIO_IOCTL_PROBE} record past func and event_name: {@code cmd=}, and the user's
     * argument struct read at the call ({@code flags=} at offset 4, {@code at8=}, {@code at16=}, {@code at24=} the u64s
     * at offsets 8, 16 and 24): vaddr, iova and size of a MAP_DMA's vfio_iommu_type1_dma_map, iova and size of an
     * UNMAP_DMA's vfio_iommu_type1_dma_unmap. A fetch that faulted prints {@code (fault)} and is left out.
     */
    private void vfioIoctl(byte[] b, int args, int to) {
        long cmd = arg(b, args, to, CMD, true);
        if (cmd == ABSENT) {
            return;
        }
        out.field(Field.CMD, ValueType.HEX, cmd);
        if (cmd != VFIO_IOMMU_MAP_DMA && cmd != VFIO_IOMMU_UNMAP_DMA) {
            return;
        }
        long flags = arg(b, args, to, FLAGS, true);
        if (flags != ABSENT) {
            out.field(Field.FLAGS, ValueType.HEX, flags);
        }
        Field[] layout = cmd == VFIO_IOMMU_MAP_DMA ? MAP_DMA : UNMAP_DMA;
        for (int i = 0; i < layout.length; i++) {
            long value = arg(b, args, to, AT[i], true);
            if (value != ABSENT) {
                out.field(layout[i], layout[i] == Field.SIZE ? ValueType.DEC : ValueType.HEX, value);
            }
        }
    }

    /**
     * Fills the open {@link EventType#PRLIMIT_PROBE} record past func and event_name: {@code resource=}, {@code new=}
     * (as addr) and {@code cur=} (as rlimit), each when the line carries it.
     */
    private void prlimit(byte[] b, int args, int to) {
        long resource = arg(b, args, to, RESOURCE, true);
        long addr = arg(b, args, to, NEW, true);
        long cur = arg(b, args, to, CUR, true);
        if (resource != ABSENT) {
            out.field(Field.RESOURCE, ValueType.DEC, resource);
        }
        out.field(Field.ADDR, ValueType.HEX, addr == ABSENT ? 0 : addr);
        if (cur != ABSENT) {
            out.field(Field.RLIMIT, ValueType.DEC, cur);
        }
    }

    /** Fills the open record of {@code t}, an {@link #entryProbe} type, from the probe on {@code b[symFrom, symTo)}. */
    void entry(EventType t, byte[] b, int nameFrom, int nameTo, int symFrom, int symTo, int args, int to) {
        symbols.field(Field.FUNC, b, symFrom, symTo);
        symbols.field(Field.EVENT_NAME, b, nameFrom, nameTo);
        switch (t) {
            case UNPIN_PROBE -> unpin(b, args, to);
            case MMAP_HOOK_PROBE -> mmapHook(b, args, to);
            case PRLIMIT_PROBE -> prlimit(b, args, to);
            case VFIO_IOCTL_PROBE -> vfioIoctl(b, args, to);
            case UDMABUF_PROBE -> udmabuf(b, args, to);
            case FIXUP_FAULT_PROBE -> fixupFault(b, args, to);
            case PATH_PROBE -> { }
            default -> umemGet(b, args, to);
        }
    }

    private static boolean oneOf(byte[][] names, byte[] b, int from, int to) {
        for (byte[] n : names) {
            if (Bytes.equals(b, from, to, n)) {
                return true;
            }
        }
        return false;
    }

    /** Returned by {@link #arg} for an argument the line does not carry (or whose value is no number). */
    private static final long ABSENT = Long.MIN_VALUE;

    /**
     * The value of the probe's argument {@code key=} in {@code b[args, to)}, or {@link #ABSENT}: bare hex where the
     * probe prints no {@code 0x} (kprobetrace's default x-types), else {@code 0x}-hex or, with {@code dec}, decimal.
     * Kprobe argument names are unique (traceprobe refuses a duplicate), so the first is the one.
     */
    private long arg(byte[] b, int args, int to, byte[] key, boolean dec) {
        boolean bareHex = bareHex(b, args, to);
        for (int i = Bytes.skipSpaces(b, args, to); i < to; i = Bytes.skipSpaces(b, i, to)) {
            int e = Bytes.tokenEnd(b, i, to);
            int eq = Bytes.indexOf(b, i, e, (byte) '=');
            if (eq > i && Bytes.equals(b, i, eq, key)
                    && (bareHex ? v.scanProbe(b, eq + 1, e) : v.hex0x(b, eq + 1, e) || dec && v.dec(b, eq + 1, e))) {
                return v.value;
            }
            i = e;
        }
        return ABSENT;
    }

    /**
     * Fills the open {@link EventType#UMEM_GET_PROBE} record past func and event_name: addr, len (size=); for
     * ib_umem_release() the umem (umem=) as addr.
     */
    private void umemGet(byte[] b, int args, int to) {
        long addr = arg(b, args, to, ADDR, true);
        if (addr == ABSENT) {
            addr = arg(b, args, to, UMEM, true);
        }
        long size = arg(b, args, to, SIZE, true);
        out.field(Field.ADDR, ValueType.HEX, addr == ABSENT ? 0 : addr);
        out.field(Field.LEN, ValueType.DEC, size == ABSENT ? 0 : size);
    }

    /** Whether {@code b[from, to)} names a pin call (contract 2.2). */
    static boolean isPinCall(byte[] b, int from, int to) {
        EventType t = EventNames.event(b, from, to);
        return t != null && t.isPinCall();
    }

    /**
     * The pin call named by the event {@code b[name..)}, by the probed symbol {@code b[sym..)}, or by
     * the event's default name {@code p_SYM_OFFS} / {@code r_SYM_OFFS} (kprobetrace.rst) when the
     * column shows a bare address, as {@code trace-cmd report} prints {@code (%lx)}; null when none is one.
     */
    static EventType pinCall(byte[] b, int nameFrom, int nameTo, int symFrom, int symTo) {
        EventType t = EventNames.event(b, nameFrom, nameTo);
        if (t != null && t.isPinCall()) {
            return t;
        }
        t = EventNames.event(b, symFrom, symTo);
        if (t != null && t.isPinCall()) {
            return t;
        }
        t = EventNames.event(b, defaultNameFrom(b, nameFrom, nameTo), defaultNameTo(b, nameFrom, nameTo));
        return t != null && t.isPinCall() ? t : null;
    }

    /** Where SYM starts in a default probe name {@code p_SYM_OFFS} or {@code r_SYM_OFFS}; {@code from} otherwise. */
    static int defaultNameFrom(byte[] b, int from, int to) {
        return to - from > 2 && (b[from] == 'p' || b[from] == 'r') && b[from + 1] == '_' ? from + 2 : from;
    }

    /** Where SYM ends in a default probe name (before {@code _OFFS}); {@code to} otherwise. */
    static int defaultNameTo(byte[] b, int from, int to) {
        int i = to;
        while (i > from && b[i - 1] >= '0' && b[i - 1] <= '9') {
            i--;
        }
        return i < to && i > from + 1 && b[i - 1] == '_' ? i - 1 : to;
    }

    /**
     * Fills the open record of pin call {@code t} from an entry probe: {@code probe} (the column),
     * {@code event_name} when the event is not named after the call, then the arguments, whose bare
     * numbers are hex.
     */
    void kprobe(EventType t, byte[] b, int nameFrom, int nameTo, int open, int close, int to) {
        natives.reset();
        symbols.field(Field.PROBE, b, open + 1, close);
        natives.mark(Field.PROBE);
        if (!Bytes.equals(b, nameFrom, nameTo, t.eventName())) {
            symbols.field(Field.EVENT_NAME, b, nameFrom, nameTo);
        }
        natives.mark(Field.EVENT_NAME);
        natives.decodeProbe(t, b, close + 1, to, bareHex(b, close + 1, to));
    }

    /**
     * Whether the bare numbers of a probe line are hex. Since 4.17 (kernel/trace/trace_probe.c, "Show
     * unsigned types as decimal") ftrace prints u- and s-types in decimal ({@code ret=64},
     * {@code ret=-14}) and x-types with {@code 0x}; before, every fetcharg printed as bare hex
     * ({@code $retval=fffffffffffffffe}, kprobetrace.rst's old example). So bare digits are decimal
     * unless the line has no {@code 0x} value and some bare value holds a hex letter.
     */
    static boolean bareHex(byte[] b, int from, int to) {
        boolean letters = false;
        for (int i = from; i + 1 < to; i++) {
            if (b[i] != '=') {
                continue;
            }
            if (b[i + 1] == '0' && i + 2 < to && (b[i + 2] == 'x' || b[i + 2] == 'X')) {
                return false;
            }
            int e = Bytes.tokenEnd(b, i + 1, to);
            letters |= e > i + 1 && hexWithLetter(b, i + 1, e);
        }
        return letters;
    }

    /** {@code [0-9a-f]+} with at least one letter. */
    private static boolean hexWithLetter(byte[] b, int from, int to) {
        boolean letter = false;
        for (int i = from; i < to; i++) {
            byte c = b[i];
            if (c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
                letter = true;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return letter;
    }

    /**
     * Fills the open {@link EventType#KRETPROBE} record: {@code func}, {@code probe}, {@code event_name},
     * then {@code ret} from {@code $retval=} or {@code ret=} (else {@code arg1=}) and any other
     * arguments. Returns false, adding nothing useful, when there is no readable return value.
     */
    boolean kretprobe(byte[] b, int nameFrom, int nameTo, int funcFrom, int funcTo, int open, int close, int args,
                      int to) {
        int ret = returnValue(b, args, to);
        if (ret < 0) {
            return false;
        }
        symbols.field(Field.FUNC, b, funcFrom, funcTo);
        symbols.field(Field.PROBE, b, open + 1, close);
        symbols.field(Field.EVENT_NAME, b, nameFrom, nameTo);
        boolean bareHex = bareHex(b, args, to);
        for (int i = Bytes.skipSpaces(b, args, to); i < to; i = Bytes.skipSpaces(b, i, to)) {
            int e = Bytes.tokenEnd(b, i, to);
            int eq = Bytes.indexOf(b, i, e, (byte) '=');
            if (eq <= i || out.fieldCount() == EventWriter.MAX_FIELDS) {
                return false;
            }
            if (i != ret) {
                v.addExtra(out, symbols, b, i, eq, e, bareHex);
            } else if (bareHex ? v.scanProbe(b, eq + 1, e)
                    : v.hex0x(b, eq + 1, e) || v.dec(b, eq + 1, e) || v.decU64(b, eq + 1, e)) {
                long r = v.value;
                // A 64-bit value prints as fffffffffffffffe (-2); a 32-bit one as fffffff2 (-14).
                if (v.type != ValueType.DEC && r >= ERRNO32 && r <= 0xffffffffL) {
                    r -= 1L << 32;
                }
                out.field(Field.RET, r >= 0 ? v.type : errnoType(r), r);
            } else {
                return false;
            }
            i = e;
        }
        return true;
    }

    /** A negative return value prints as {@code -EFAULT} when the errno has a name. */
    private static byte errnoType(long r) {
        return r >= -ERRNO_MAX && Errno.name((int) -r) != null ? ValueType.ERRNO : ValueType.DEC;
    }

    /** Where the return value's token starts, or -1; every token must be {@code key=value}. */
    private static int returnValue(byte[] b, int from, int to) {
        int arg1 = -1;
        for (int i = Bytes.skipSpaces(b, from, to); i < to; i = Bytes.skipSpaces(b, i, to)) {
            int e = Bytes.tokenEnd(b, i, to);
            int eq = Bytes.indexOf(b, i, e, (byte) '=');
            if (eq <= i) {
                return -1;
            }
            if (Bytes.equals(b, i, eq, RETVAL) || Bytes.equals(b, i, eq, RET)) {
                return i;
            }
            if (arg1 < 0 && Bytes.equals(b, i, eq, ARG1)) {
                arg1 = i;
            }
            i = e;
        }
        return arg1;
    }
}
