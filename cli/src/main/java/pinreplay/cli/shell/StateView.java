package pinreplay.cli.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.function.IntToLongFunction;
import java.util.stream.Collectors;

import pinreplay.replay.Kernel;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.fs.FileBlocks;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.gup.Extents;
import pinreplay.replay.mm.FrameOwners;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.outcome.ReplaySummary;
import pinreplay.replay.range.RangeMap;

/**
 * {@code show}: the model's state as stable text, named as the kernel names it (vm_flags as in
 * /proc/PID/maps, locked_vm, pinned_vm, MMF_HAS_PINNED, refcount and pincount, PG_* flags). Everything
 * is listed in a fixed order (pids ascending, VMAs by address, registrations in the order they were
 * made, ranges by key), with no source line numbers, so a replay of a saved session shows the same.
 */
final class StateView {
    /** include/linux/threads.h PID_MAX_LIMIT on 64-bit: 4M. */
    private static final long PID_MAX_LIMIT = 4L * 1024 * 1024;

    static final List<String> SUBJECTS = List.of("mm", "vmas", "pins", "page", "file", "handles", "lock", "iommu",
            "stats");

    private static final long[] PG_BITS = {PageFlags.ANON, PageFlags.FILE, PageFlags.DAX, PageFlags.DIRTY,
            PageFlags.MOVABLE, PageFlags.CMA, PageFlags.HUGETLB, PageFlags.SECRETMEM, PageFlags.SHMEM, PageFlags.ZERO,
            PageFlags.WB_CAPABLE, PageFlags.BAR};
    private static final String[] PG_NAMES = {"anon", "file", "dax", "dirty", "movable", "cma", "hugetlb",
            "secretmem", "shmem", "zero", "wb_capable", "bar"};
    private static final long[] PTE_BITS = {Pte.PRESENT, Pte.WRITE, Pte.DIRTY, Pte.SPECIAL, Pte.ZERO, Pte.ANON,
            Pte.DEVMAP, Pte.PMD};
    private static final String[] PTE_NAMES = {"present", "write", "dirty", "special", "zero", "anon", "devmap",
            "pmd"};

    private final Session s;
    private final Kernel k;
    private final List<String> out = new ArrayList<>();

    private StateView(Session s) {
        this.s = s;
        this.k = s.kernel();
    }

    /** The lines {@code show SUBJECT ARGS} prints. */
    static List<String> show(Session s, String subject, List<String> args) {
        StateView v = new StateView(s);
        switch (subject) {
            case "mm" -> v.mm(optionalPid(args));
            case "vmas" -> v.vmas(optionalPid(args));
            case "pins" -> v.pins();
            case "page" -> v.page(args);
            case "file" -> v.file(args);
            case "handles" -> v.handles();
            case "lock" -> v.lock();
            case "iommu" -> v.iommu();
            case "stats" -> v.stats();
            default -> throw new ShellException("expected one of " + SUBJECTS + ", got '" + subject + "'");
        }
        return v.out;
    }

    private static int optionalPid(List<String> args) {
        if (args.isEmpty()) {
            return -1;
        }
        return pid(args.get(0));
    }

    /** A pid as typed: a number no task can exceed (PID_MAX_LIMIT, include/linux/threads.h), never truncated. */
    private static int pid(String text) {
        long p = number(text, "a pid");
        if (p < 0 || p > PID_MAX_LIMIT) {
            throw new ShellException("expected a pid from 0 to " + PID_MAX_LIMIT + ", got " + text);
        }
        return (int) p;
    }

    /** A decimal or 0x-hex number. */
    static long number(String text, String what) {
        try {
            return text.startsWith("0x") || text.startsWith("0X") ? Long.parseUnsignedLong(text.substring(2), 16)
                    : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ShellException("expected " + what + ", got '" + text + "'");
        }
    }

    /** Pids in ascending order, or just {@code pid}. */
    private long[] pids(int pid) {
        if (pid < 0) {
            return k.tasks.pids();
        }
        if (!k.tasks.known(pid)) {
            throw new ShellException("expected a known pid, got " + pid + " (show mm lists them)");
        }
        return new long[] {pid};
    }

    private void mm(int pid) {
        long[] pids = pids(pid);
        if (pids.length == 0) {
            out.add("no tasks yet");
        }
        for (long p : pids) {
            Mm mm = k.tasks.mmOf((int) p);
            out.add("pid " + p + " mm " + mm.id + ": " + mm.vmas.size() + " vmas, locked_vm " + mm.lockedVm
                    + " pages, pinned_vm " + mm.pinnedVm + " pages" + (mm.hasPinned ? ", MMF_HAS_PINNED" : ""));
        }
    }

    private void vmas(int pid) {
        List<Long> seen = new ArrayList<>();
        for (long p : pids(pid)) {
            Mm mm = k.tasks.mmOf((int) p);
            if (seen.contains(mm.id)) {
                continue;
            }
            seen.add(mm.id);
            out.add("mm " + mm.id + " (pid " + p + "): " + mm.vmas.size() + " vmas");
            for (VmArea v : mm.vmas) {
                out.add("  " + vma(v));
            }
        }
        if (seen.isEmpty()) {
            out.add("no tasks yet");
        }
    }

    /** A /proc/PID/maps line: range, rwxp, offset, and what backs it. */
    private String vma(VmArea v) {
        StringBuilder sb = new StringBuilder();
        sb.append(f("%012x-%012x ", v.start, v.end));
        sb.append(v.has(VmFlags.VM_READ) ? 'r' : '-').append(v.has(VmFlags.VM_WRITE) ? 'w' : '-').append('-')
                .append(v.isShared() ? 's' : 'p');
        sb.append(f(" %08x ", v.pgoff << MemMap.PAGE_SHIFT));
        if (v.file != null) {
            sb.append("ino ").append(v.file.ino).append(' ').append(fsName(v.file));
        } else {
            sb.append("[anon]");
        }
        if (v.isPfnmap()) {
            sb.append(" VM_PFNMAP|VM_IO");
        }
        if (v.isHugetlb()) {
            sb.append(" VM_HUGETLB");
        }
        return sb.toString();
    }

    private static String fsName(Inode i) {
        return i.fs.type.name().toLowerCase(java.util.Locale.ROOT) + (i.daxDeclared ? " dax" : "");
    }

    private void pins() {
        List<Registration> live = k.registrations.live();
        if (live.isEmpty()) {
            out.add("no pins held");
        }
        for (Registration r : live) {
            out.add(registration(r));
            Extents e = r.extents;
            for (int i = 0; i < e.size(); i++) {
                long pfn = e.pfn(i);
                String owner = (e.kind(i) & Extents.FSDAX) != 0 ? " block of ino " + e.ino(i) + " index " + e.index(i)
                        : "";
                out.add(f("  +%#x pfn %#x x%d %s refcount %d pincount %d%s", e.off(i), pfn, e.len(i),
                        flags(e.kind(i) & ~Extents.FSDAX, PG_BITS, PG_NAMES), k.memMap.refcount(pfn),
                        k.memMap.pincount(pfn), owner));
            }
        }
    }

    private String registration(Registration r) {
        String name = r.kind.name().toLowerCase(java.util.Locale.ROOT);
        StringBuilder sb = new StringBuilder(r.name).append(' ').append(name).append(' ')
                .append(r.pin ? "FOLL_PIN" : "FOLL_GET").append(r.write ? " write" : " read").append(" mm ")
                .append(r.mm.id).append(f(" vaddr %#x size %#x", r.vaddr, r.bytes));
        if (r.kind == Registration.Kind.VFIO) {
            sb.append(f(" iova %#x locked_vm %d", r.iova, r.accounted));
        } else if (r.accounted != 0) {
            sb.append(" pinned_vm ").append(r.accounted);
        }
        return sb.toString();
    }

    private void handles() {
        List<Registration> live = k.registrations.live();
        if (live.isEmpty()) {
            out.add("no live handles");
        }
        for (Registration r : live) {
            out.add(f("%-16s %-8s mm %d [%#x, +%#x)", r.name, r.kind.name().toLowerCase(java.util.Locale.ROOT),
                    r.mm.id, r.vaddr, r.bytes));
        }
    }

    private void page(List<String> args) {
        if (args.isEmpty() || args.size() > 2) {
            throw new ShellException("expected show page ADDR [PID], got " + args.size() + " arguments");
        }
        long addr = number(args.get(0), "an address");
        int pid = args.size() == 2 ? pid(args.get(1)) : s.lastPid();
        Mm mm = k.tasks.mmOf((int) pids(pid)[0]);
        long vpn = addr >>> MemMap.PAGE_SHIFT;
        out.add(f("page %#x of pid %d (mm %d)", vpn << MemMap.PAGE_SHIFT, pid, mm.id));
        VmArea v = mm.vmaLookup(addr);
        out.add("  vma " + (v == null ? "none" : vma(v)));
        long pte = mm.pageTable.pteOf(vpn);
        if (pte == 0) {
            out.add("  pte none");
            return;
        }
        long pfn = mm.pageTable.pfnOf(vpn);
        out.add(f("  pte %s pfn %#x", flags(pte, PTE_BITS, PTE_NAMES), pfn));
        if ((pte & Pte.SPECIAL) != 0) {
            out.add("  no struct page (pte_special)");
            return;
        }
        long pg = k.memMap.flags(pfn);
        FrameOwners owners = k.memMap.ownerMap();
        long owner = owners.ownerOf(pfn);
        String who = owner == 0 ? "none" : (pg & PageFlags.ANON) != 0 ? "mm " + owner + " vpage " + owners.pageOf(pfn)
                : "ino " + owner + " index " + owners.pageOf(pfn);
        out.add(f("  folio order %d flags %s refcount %d pincount %d owner %s", k.memMap.order(pfn),
                flags(pg, PG_BITS, PG_NAMES), k.memMap.refcount(pfn), k.memMap.pincount(pfn), who));
        if (k.memMap.maybeDmaPinned(pfn, 1)) {
            out.add("  folio_maybe_dma_pinned");
        }
        String holder = k.registrations.holderOf(pfn, 1);
        out.add("  held by " + (holder == null ? "nobody" : holder));
    }

    private void file(List<String> args) {
        if (args.size() != 1) {
            throw new ShellException("expected show file INO, got " + args.size() + " arguments");
        }
        long ino = number(args.get(0), "an inode number");
        Inode i = k.inodes.get(ino);
        if (i == null) {
            throw new ShellException("expected a known inode, got " + ino + " (show stats lists them)");
        }
        out.add(f("inode %d %s size %#x (%d pages), %d mappings", i.ino, fsName(i), i.size, i.sizePages(),
                i.mappings.size()));
        PageCache cache = i.pageCache;
        ranges("  page cache", cache, cache::cached, r -> cache.pfnAt(r, cache.start(r)), "pfn");
        FileBlocks blocks = i.blocks;
        ranges("  blocks", blocks, blocks::allocated, blocks::block, "block");
    }

    /** The ranges of a file's map that are {@code present}, each with the {@code target} of its first page. */
    private void ranges(String title, RangeMap m, IntPredicate present, IntToLongFunction first, String target) {
        List<String> lines = new ArrayList<>();
        for (int r = 0; r < m.size(); r++) {
            if (present.test(r)) {
                lines.add(f("    pages %d-%d -> %s %#x", m.start(r), m.end(r) - 1, target, first.applyAsLong(r)));
            }
        }
        out.add(title + (lines.isEmpty() ? ": none" : ":"));
        out.addAll(lines);
    }

    private void lock() {
        boolean any = false;
        for (long pid : k.tasks.pids()) {
            long since = s.replayer().mmapLockWaitingSince((int) pid);
            if (since != 0) {
                out.add("mmap_lock: pid " + pid + " waiting since " + TraceText.seconds(since));
                any = true;
            }
        }
        if (!any) {
            out.add("mmap_lock: no task waiting");
        }
        out.add("truncate: " + k.truncate.waiting() + " calls waiting for DAX pins to drop");
    }

    private void iommu() {
        List<Long> seen = new ArrayList<>();
        for (long pid : k.tasks.pids()) {
            Mm mm = k.tasks.mmOf((int) pid);
            var d = k.vfio.dmaList(mm);
            if (d == null || seen.contains(mm.id)) {
                continue;
            }
            seen.add(mm.id);
            out.add("container of mm " + mm.id + " (pid " + pid + ")");
            for (Registration r : d) {
                out.add(f("  iova %#x-%#x -> %s", r.iova, r.iova + r.bytes, r.handle == 0 ? "(unnamed)" : r.name));
            }
        }
        if (seen.isEmpty()) {
            out.add("no vfio container");
        }
    }

    private void stats() {
        ReplaySummary sum = s.replayer().summary();
        out.add("trace: " + (s.sourceName() == null ? "none" : s.sourceName()) + ", at event " + s.events()
                + " (line " + s.lastLine() + ", ts " + TraceText.seconds(s.lastTs()) + ")");
        out.add("kernel: " + sum.profile + ", seed " + s.config().seed() + ", injectors "
                + (s.config().injects().isEmpty() ? "none" : String.join(" ", s.config().injects())));
        out.add("events: " + sum.eventsReplayed + " replayed, " + sum.eventsPassedThrough + " passed through; "
                + sum.calls + " calls");
        out.add("violations " + k.ctx.violations + ", divergences " + sum.divergences + ", injections "
                + k.ctx.injections + ", truncates waiting " + k.truncate.waiting());
        out.add("tasks " + k.tasks.pids().length + ", inodes " + inodes() + ", live registrations "
                + k.registrations.live().size() + ", RAM frames allocated " + k.memMap.ramFrames());
    }

    private String inodes() {
        long[] keys = k.inodes.sortedKeys();
        return keys.length == 0 ? "none"
                : Arrays.stream(keys).mapToObj(Long::toString).collect(Collectors.joining(","));
    }

    private static String f(String format, Object... args) {
        return String.format(java.util.Locale.ROOT, format, args);
    }

    /** PTE bits by name ({@code present|write|dirty}), {@code none} for no PTE. */
    static String pteFlags(long pte) {
        return flags(pte, PTE_BITS, PTE_NAMES);
    }

    private static String flags(long bits, long[] values, String[] names) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if ((bits & values[i]) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }
}
