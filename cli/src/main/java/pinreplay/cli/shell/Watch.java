package pinreplay.cli.shell;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import pinreplay.replay.Kernel;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.fs.FileBlocks;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.mm.FrameOwners;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageTable;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.range.RangeMap;

/**
 * A watchpoint: a page, a range of pages, a handle or an inode whose pin count, mapping or blocks are sampled
 * after every event; {@code run} and {@code step} stop after the event that changed them. A sample is a few longs
 * read from the model by runs (never per page), into two preallocated arrays: watching costs no allocation per
 * event, and text only when something changed. Reading never changes the model (an unknown pid is not created).
 */
final class Watch {
    enum Kind {
        PAGE, RANGE, HANDLE, INODE
    }

    static final List<String> TARGETS = List.of("page", "range", "handle", "inode");

    private static final String[] PAGE = {"pte", "pfn", "refcount", "pincount", "owner", "index"};
    private static final String[] RANGE = {"mapped pages", "pinned pages", "mapping", "owners"};
    private static final String[] HANDLE = {"registrations", "pages", "frames", "charged pages",
        "registrations whose blocks were freed"};
    private static final String[] INODE = {"exists", "size", "mappings", "cached pages", "blocks", "pinned pages",
        "page cache", "block map"};

    private final Kind kind;
    /** Pages {@code [from, to)} of {@code pid} (page, range), or the inode number in {@code from}. */
    private final long from;
    private final long to;
    private final int pid;
    private final String handle;
    private final String[] names;
    private long[] last;
    private long[] now;

    private Watch(Kind kind, long from, long to, int pid, String handle, String[] names) {
        this.kind = kind;
        this.from = from;
        this.to = to;
        this.pid = pid;
        this.handle = handle;
        this.names = names;
        last = new long[names.length];
        now = new long[names.length];
    }

    /**
     * Parses {@code page ADDR [PID]}, {@code range START-END [PID]} (END excluded), {@code handle NAME} or
     * {@code inode INO}; the pid defaults to {@code defaultPid} (the last event's).
     */
    static Watch parse(List<String> w, int defaultPid) {
        if (w.isEmpty()) {
            throw new ShellException("expected page ADDR, range START-END, handle NAME or inode INO, got nothing");
        }
        String what = w.get(0);
        switch (what) {
            case "page", "range" -> {
                if (w.size() < 2 || w.size() > 3) {
                    throw new ShellException("expected watch " + what + (what.equals("page") ? " ADDR" : " START-END")
                            + " [PID], got '" + String.join(" ", w) + "'");
                }
                int p = w.size() == 3 ? (int) StateView.number(w.get(2), "a pid") : defaultPid;
                String a = w.get(1);
                if (what.equals("page")) {
                    long vpn = StateView.number(a, "an address") >>> MemMap.PAGE_SHIFT;
                    return new Watch(Kind.PAGE, vpn, vpn + 1, p, null, PAGE);
                }
                int dash = a.indexOf('-');
                if (dash <= 0) {
                    throw new ShellException("expected a range START-END (e.g. 0x7f0000000000-0x7f0000200000), got '"
                            + a + "'");
                }
                long start = StateView.number(a.substring(0, dash), "a start address") >>> MemMap.PAGE_SHIFT;
                long end = (StateView.number(a.substring(dash + 1), "an end address") + MemMap.PAGE_SIZE - 1)
                        >>> MemMap.PAGE_SHIFT;
                if (end <= start) {
                    throw new ShellException("expected END above START, got '" + a + "'");
                }
                return new Watch(Kind.RANGE, start, end, p, null, RANGE);
            }
            case "handle" -> {
                expect(w, "watch handle NAME");
                return new Watch(Kind.HANDLE, 0, 0, 0, w.get(1), HANDLE);
            }
            case "inode" -> {
                expect(w, "watch inode INO");
                return new Watch(Kind.INODE, StateView.number(w.get(1), "an inode number"), 0, 0, null, INODE);
            }
            default -> throw new ShellException("expected page, range, handle or inode, got '" + what + "'");
        }
    }

    private static void expect(List<String> w, String usage) {
        if (w.size() != 2) {
            throw new ShellException("expected " + usage + ", got '" + String.join(" ", w) + "'");
        }
    }

    /** Samples the current state as the one later events are compared with. */
    void arm(Kernel k) {
        sample(k, last);
    }

    /**
     * Samples again after an event: what changed since the last sample ({@code pincount 0 -> 1, ...}), or null.
     */
    String changed(Kernel k) {
        sample(k, now);
        long[] before = last;
        last = now;
        now = before;
        StringBuilder sb = null;
        for (int i = 0; i < names.length; i++) {
            if (before[i] != last[i]) {
                sb = sb == null ? new StringBuilder() : sb.append(", ");
                sb.append(names[i]);
                if (hashed(i)) {
                    sb.append(" changed");
                } else {
                    sb.append(' ').append(value(i, before[i])).append(" -> ").append(value(i, last[i]));
                }
            }
        }
        return sb == null ? null : sb.toString();
    }

    /** Whether field {@code i} is a hash of runs: it can only say that it changed. */
    private boolean hashed(int i) {
        return kind == Kind.RANGE && i >= 2 || kind == Kind.HANDLE && i == 2 || kind == Kind.INODE && i >= 6;
    }

    /** Field {@code i} as text: PTE bits, frames and page indexes in hex. */
    private String value(int i, long v) {
        if (kind == Kind.PAGE && i == 0) {
            return StateView.pteFlags(v);
        }
        return kind == Kind.PAGE && i != 2 && i != 3 && i != 4 ? "0x" + Long.toHexString(v) : Long.toString(v);
    }

    private void sample(Kernel k, long[] s) {
        Arrays.fill(s, 0);
        switch (kind) {
            case PAGE, RANGE -> pages(k, s);
            case HANDLE -> handle(k, s);
            case INODE -> inode(k, s);
        }
    }

    /** A page: its PTE, frame, counts and owner; a range: mapped and pinned pages, and hashes of frames and owners. */
    private void pages(Kernel k, long[] s) {
        if (!k.tasks.known(pid)) {
            return;
        }
        Mm mm = k.tasks.mmOf(pid);
        PageTable pt = mm.pageTable;
        FrameOwners owners = k.memMap.ownerMap();
        for (int i = pt.indexOf(from); i < pt.size() && pt.start(i) < to; i++) {
            long a = pt.pte(i);
            if (a == 0) {
                continue;
            }
            long st = Math.max(from, pt.start(i));
            long n = Math.min(to, pt.end(i)) - st;
            long pfn = pt.pfnAt(i, st);
            boolean frames = (a & (Pte.SPECIAL | Pte.ZERO)) == 0;
            if (kind == Kind.PAGE) {
                s[0] = a;
                s[1] = pfn;
                s[2] = k.memMap.refcount(pfn);
                s[3] = k.memMap.pincount(pfn);
                s[4] = frames ? owners.ownerOf(pfn) : 0;
                s[5] = s[4] != 0 ? owners.pageOf(pfn) : 0;
                return;
            }
            s[0] += n;
            s[1] += frames ? k.memMap.dmaPinnedFrames(pfn, n) : 0;
            s[2] = mix(mix(mix(s[2], st), a), pfn);
            if (frames) {
                s[3] = runs(owners, pfn, pfn + n, s[3]);
            }
        }
    }

    /** Live registrations under the name, the pages and frames they hold, what they charged, blocks freed under them. */
    private void handle(Kernel k, long[] s) {
        List<Registration> live = k.registrations.live();
        for (int i = 0; i < live.size(); i++) {
            Registration r = live.get(i);
            if (!r.name.equals(handle)) {
                continue;
            }
            s[0]++;
            Extents e = r.extents;
            for (int j = 0; j < e.size(); j++) {
                s[1] += e.len(j);
                s[2] = mix(mix(s[2], e.pfn(j)), e.len(j));
            }
            s[3] += r.accounted;
            s[4] += r.blocksFreedBy != null ? 1 : 0;
        }
    }

    /** The file: size, mappings, cached pages and blocks, pinned frames (page cache and DAX blocks), both maps. */
    private void inode(Kernel k, long[] s) {
        Inode i = k.inodes.get(from);
        if (i == null) {
            return;
        }
        s[0] = 1;
        s[1] = i.size;
        s[2] = i.mappings.size();
        PageCache pc = i.pageCache;
        for (int r = 0; r < pc.size(); r++) {
            if (pc.cached(r)) {
                s[3] += pc.end(r) - pc.start(r);
                s[5] += k.memMap.dmaPinnedFrames(pc.pfnAt(r, pc.start(r)), pc.end(r) - pc.start(r));
            }
        }
        FileBlocks b = i.blocks;
        for (int r = 0; r < b.size(); r++) {
            if (b.allocated(r)) {
                s[4] += b.end(r) - b.start(r);
                if (i.fs.hasDaxDevice()) {
                    s[5] += k.memMap.dmaPinnedFrames(i.fs.daxBase() + b.block(r), b.end(r) - b.start(r));
                }
            }
        }
        s[6] = runs(pc, 0, Long.MAX_VALUE, 0);
        s[7] = runs(b, 0, Long.MAX_VALUE, 0);
    }

    /** Folds the runs of {@code m} over {@code [lo, hi)} (start and both columns, whatever they mean) into {@code h}. */
    private static long runs(RangeMap m, long lo, long hi, long h) {
        for (int r = m.indexOf(lo); r < m.size() && m.start(r) < hi; r++) {
            long st = Math.max(lo, m.start(r));
            h = mix(mix(mix(h, st), m.a(r)), m.bAt(r, st));
        }
        return h;
    }

    private static long mix(long h, long x) {
        long v = (h ^ x) * 0x9E3779B97F4A7C15L;
        return v ^ (v >>> 29);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Watch w && w.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case PAGE -> String.format(Locale.ROOT, "page %#x pid %d", from << MemMap.PAGE_SHIFT, pid);
            case RANGE -> String.format(Locale.ROOT, "range %#x-%#x pid %d", from << MemMap.PAGE_SHIFT,
                    to << MemMap.PAGE_SHIFT, pid);
            case HANDLE -> "handle " + handle;
            case INODE -> "inode " + from;
        };
    }
}
