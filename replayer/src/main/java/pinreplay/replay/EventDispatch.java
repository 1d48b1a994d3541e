package pinreplay.replay;


import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.Foll;
import pinreplay.format.Madv;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.ValueType;
import pinreplay.replay.cred.Creds;
import pinreplay.replay.dev.DirectIo;
import pinreplay.replay.dev.Registration;
import pinreplay.replay.dev.Udmabuf;
import pinreplay.replay.dev.Vfio;
import pinreplay.replay.fs.FolioOrders;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Falloc;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.Hstate;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageFlags;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.range.LongObjectMap;

/**
 * Decodes each native event's fields (docs/trace-format.md section 3) and calls the kernel function it
 * stands for; returns that call's result in the kernel's own convention.
 */
final class EventDispatch {
    /** include/uapi/linux/sched.h CLONE_VM. */
    private static final long CLONE_VM = 0x100;
    /** include/uapi/linux/sched.h CLONE_THREAD: the child joins the thread group (and shares files and creds). */
    private static final long CLONE_THREAD = 0x10000;
    /** include/uapi/linux/io_uring.h. */
    private static final long IORING_REGISTER_BUFFERS = 0, IORING_UNREGISTER_BUFFERS = 1;
    private static final long PF_WRITE = 0x2;
    /** include/linux/threads.h: no pid exceeds 4M on 64-bit. */
    private static final long PID_MAX_LIMIT = 4L * 1024 * 1024;

    static final long NO_DEV = -1, NAMED_DEV = 1L << 62;
    /** include/linux/pagemap.h MAX_PAGECACHE_ORDER: a PMD's worth on x86-64 (a larger recorded order is malformed). */
    private static final long MAX_PAGECACHE_ORDER = 9;
    private final Kernel k;
    private final UmemGets umemGets;
    private final UdmabufCreates udmabufCreates;
    private final Syscalls syscalls;
    private final Madvise madvise;
    private final IoUringRequests uringRequests;
    /** Advice symbol to advice + 1 (0: not yet resolved). */
    private int[] adviceBySymbol = new int[16];
    private final AddressSpace.MmapRequest req = new AddressSpace.MmapRequest();
    /** BAR windows by device file inode, so two mappings of one BAR share frames. */
    private final LongObjectMap<long[]> bars = new LongObjectMap<>();
    private int zoneKey = -1;
    private int zoneKeysSeen = -1;
    /** Files declared with their device: {@link #devKey} to inode number to the file. */
    private final LongObjectMap<LongObjectMap<Inode>> filesByDevice = new LongObjectMap<>();
    /** The first file declared on each device: which filesystem the device holds. */
    private final LongObjectMap<Inode> deviceFiles = new LongObjectMap<>();
    /** Large folios of files not declared yet: device to inode number to their orders. */
    private final LongObjectMap<LongObjectMap<FolioOrders>> unseenFolios = new LongObjectMap<>();
    /** Whether the recording has task_newtask lines (then its clone_flags say which child is a thread). */
    private boolean newtaskSeen;
    /** Children sched_process_fork showed in a recording without task_newtask, to their parent, until first seen. */
    private final LongObjectMap<Integer> pendingForks = new LongObjectMap<>();

    EventDispatch(Kernel k, UmemGets umemGets, UdmabufCreates udmabufCreates, Syscalls syscalls, Madvise madvise,
            IoUringRequests uringRequests) {
        this.k = k;
        this.umemGets = umemGets;
        this.udmabufCreates = udmabufCreates;
        this.syscalls = syscalls;
        this.madvise = madvise;
        this.uringRequests = uringRequests;
    }

    long dispatch(EventView v) {
        Mm mm = mmFor(v.pid(), v.get(Field.MM, -1));
        int handle = v.symbol(Field.HANDLE);
        return switch (v.type()) {
            case FILE -> {
                file(v);
                yield 0;
            }
            case MMAP -> mmap(v, mm);
            case MUNMAP -> k.addressSpace.munmap(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
            case MPROTECT -> {
                String prot = word(v, Field.PROT, "r");
                yield k.addressSpace.mprotect(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0), prot.contains("r"),
                        prot.contains("w"), prot.contains("x"));
            }
            case MADVISE -> {
                // the program's marker after a madvise() the recording judged is that call
                long recorded = syscalls.adopt(v.pid(), Syscalls.ADOPT_MADVISE);
                yield recorded != Syscalls.UNJUDGED ? recorded
                        : madvise.judged(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0), advice(v));
            }
            case FAULT -> k.addressSpace.touch(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, MemMap.PAGE_SIZE),
                    v.get(Field.WRITE, 0) == 1);
            case FTRUNCATE -> {
                Inode inode = inode(v);
                if (inode == null) {
                    yield unseenFile(v);
                }
                yield k.truncate.asleep(v.pid())
                        ? k.truncate.defer(inode, Truncate.OP_TRUNCATE, v.get(Field.SIZE, 0), 0)
                        : k.truncate.ftruncate(inode, v.get(Field.SIZE, 0));
            }
            case FALLOCATE -> fallocate(v);
            case WRITEBACK -> {
                Inode inode = inode(v);
                yield inode == null ? -Errno.EBADF
                        : k.writeback.writeback(inode, v.get(Field.OFFSET, 0), v.has(Field.LEN) ? v.get(Field.LEN) : -1);
            }
            case MIGRATE -> k.migration.migrateRange(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, MemMap.PAGE_SIZE));
            case GET_USER_PAGES, GET_USER_PAGES_FAST, GET_USER_PAGES_REMOTE, GET_USER_PAGES_LONGTERM, PIN_USER_PAGES,
                    PIN_USER_PAGES_FAST, PIN_USER_PAGES_REMOTE ->
                    pinCall(v.type(), mm, handle, v.get(Field.START, 0), v.get(Field.NR_PAGES, 0), follFlags(v),
                            v.bit(Record.B_PROBE), k.ctx.hasObserved, k.ctx.observed);
            case UNPIN_USER_PAGES -> k.rawPins.unpin(handle, v.get(Field.DIRTY, 0) == 1);
            case PUT_PAGE -> k.rawPins.putPage(handle);
            case VFIO_DMA_MAP -> {
                long r = k.vfio.dmaMap(mm, handle, v.get(Field.VADDR, 0), v.get(Field.IOVA, 0), v.get(Field.SIZE, 0),
                        dmaProt(v));
                if (r == 0 && k.ctx.onPriorMemory && k.ctx.hasObserved && k.ctx.observed < 0) {
                    // the recording says vfio_pin_pages_remote() failed on memory from before it, which the model
                    // guessed (the result is the recording's, in emitCall()): vfio_dma_do_map() unwound
                    // (vfio_remove_dma()), so no map is left in dma_list (5.10-7.2)
                    k.vfio.dmaUnmap(mm, handle, v.get(Field.IOVA, 0), v.get(Field.SIZE, 0));
                }
                yield registered(handle, r, r < 0, Registration.Kind.VFIO, false);
            }
            case VFIO_DMA_UNMAP -> k.vfio.dmaUnmap(mm, handle, v.get(Field.IOVA, 0), v.get(Field.SIZE, 0));
            case RDMA_REG_MR -> {
                // the program's marker after an ib_umem_get() the recording showed: that call, already replayed
                long recorded = umemGets.adopt(v.pid(), v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
                long r = recorded != Syscalls.UNJUDGED ? k.rdma.regMrRecorded(handle, recorded)
                        : k.rdma.regMr(mm, handle, v.get(Field.ADDR, 0), v.get(Field.LEN, 0), !v.is(Field.ACCESS, "read"));
                yield registered(handle, r, r < 0, Registration.Kind.RDMA, false);
            }
            case RDMA_DEREG_MR -> k.rdma.deregMr(handle);
            case IO_URING_REGISTER_BUFFERS -> {
                // the program's marker after an io_uring_register() the recording judged: that call, already replayed
                long recorded = syscalls.adopt(v.pid(), IORING_REGISTER_BUFFERS);
                if (recorded != Syscalls.UNJUDGED) {
                    yield recorded;
                }
                if (k.ctx.observedIs(-Errno.EBUSY) && k.registrations.get(handle) == null && !k.ctx.strictState) {
                    // io_sqe_buffers_register() (5.10-7.2): "if (ctx->buf_data) return -EBUSY;" before any pin: the
                    // ring of a handle the recording shows nothing of may hold a table from before it
                    k.ctx.assume("the ring of " + k.ctx.handleName(handle) + " held a buffer table from before the "
                            + "recording");
                    yield registered(handle, -Errno.EBUSY, true, Registration.Kind.IO_URING, false);
                }
                long r = k.ioUring.registerBuffers(mm, handle, v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
                if (r == 0) {
                    syscalls.markerTable(v.pid(), mm, handle);
                }
                yield registered(handle, r, r < 0, Registration.Kind.IO_URING, false);
            }
            case IO_URING_UNREGISTER_BUFFERS -> {
                long recorded = syscalls.adopt(v.pid(), IORING_UNREGISTER_BUFFERS);
                if (recorded == Syscalls.UNJUDGED) {
                    yield k.ioUring.unregisterBuffers(handle);
                }
                if (recorded == 0) {
                    k.ioUring.unregistered(handle);
                }
                yield recorded;
            }
            case DIO_SUBMIT -> {
                long r = k.directIo.submit(mm, handle, fileOrPrior(v), v.has(Field.DEV), v.get(Field.OFFSET, 0),
                        v.get(Field.BUF, 0), v.get(Field.LEN, 0), !v.is(Field.RW, "write"));
                syscalls.dioSubmitted(v.pid(), handle, v.get(Field.BUF, 0));
                yield registered(handle, r, r < 0, Registration.Kind.DIO, false);
            }
            case DIO_COMPLETE -> {
                syscalls.dioCompleted(v.pid(), handle);
                yield k.directIo.complete(handle);
            }
            case DMA_WRITE, DMA_READ -> dma(v, handle);
            case UDMABUF_CREATE -> udmabufCreate(v, mm, handle);
            case UDMABUF_RELEASE -> k.udmabuf.release(handle);
            case ADD_SEALS -> addSeals(v);
            case VMSPLICE -> k.splice.vmspliceToPipe(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
            case PROCESS_VM_READV, PROCESS_VM_WRITEV -> k.processVm.rw(mmFor((int) v.get(Field.PID, v.pid()), -1),
                    v.get(Field.ADDR, 0), v.get(Field.LEN, 0), v.type() == EventType.PROCESS_VM_WRITEV);
            default -> 0;
        };
    }

    /**
     * add_seals: the program's marker after a fcntl(F_ADD_SEALS) the recording judged is that call; else the model's
     * memfd_add_seals() on the file, whose seals, when no syscall showed them, are a memfd's made with
     * MFD_ALLOW_SEALING (none).
     */
    private long addSeals(EventView v) {
        long recorded = syscalls.adopt(v.pid(), Syscalls.ADOPT_SEALS);
        if (recorded != Syscalls.UNJUDGED) {
            return recorded;
        }
        Inode file = fileOf(v);
        if (file == null) {
            return unseenFile(v);
        }
        if (file.seals < 0 && (file.isShmem() || file.isHugetlbfs())) {
            k.ctx.assume("the file's seals (a memfd made with MFD_ALLOW_SEALING: none)");
            file.seals = 0;
            file.sealsAssumed = true;
        }
        int seals = (int) v.get(Field.SEALS, 0);
        long r = k.memfd.addSeals(file, seals);
        if (r == 0) {
            k.memfd.sealed(file, seals);
        }
        return r;
    }

    /**
     * A native call on a file the trace never declared: with a recorded result, the file was made before the recording
     * (or the call named no file) and the result stands, said as assumed; without one, -EBADF.
     */
    private long unseenFile(EventView v) {
        if (!k.ctx.hasObserved) {
            return -Errno.EBADF;
        }
        String file = Inode.name(v.get(Field.INO, 0));
        if (!k.ctx.assumeMadeBefore(file)) {
            k.ctx.assume(file + ", never described: the recorded refusal");
        }
        return k.ctx.observed;
    }

    /**
     * udmabuf_create: the program's marker after a udmabuf_create() the recording showed is that call, already replayed;
     * else the model's. Seals the event does not give are the ones the recording showed, else the usual F_SEAL_SHRINK.
     */
    private long udmabufCreate(EventView v, Mm mm, int handle) {
        long recorded = udmabufCreates.adopt(v.pid(), v.get(Field.OFFSET, 0), v.get(Field.SIZE, 0));
        if (recorded != Syscalls.UNJUDGED) {
            k.udmabuf.adopt(handle);
            return recorded;
        }
        if (!k.profile.udmabufPins) {
            k.ctx.assume("udmabuf before 6.11 (page references, not pins: not modelled)");
            return k.ctx.observedOr(0);
        }
        Inode memfd = fileOf(v);
        if (memfd == null) {
            // udmabuf_create() checks the list's offsets and sizes before fget(); a closed fd is -EBADFD
            long r = Udmabuf.checkArgs(v.get(Field.OFFSET, 0), v.get(Field.SIZE, 0));
            r = r != 0 ? r : k.ctx.hasObserved ? unseenFile(v) : -Errno.EBADFD;
            return registered(handle, r, r < 0, Registration.Kind.UDMABUF, true);
        }
        int seals = v.has(Field.SEALS) ? (int) v.get(Field.SEALS) : memfd.seals;
        if (seals < 0 && (memfd.isShmem() || memfd.isHugetlbfs())) {
            k.ctx.assume("the memfd's seals (F_SEAL_SHRINK)");
            seals = Inode.F_SEAL_SHRINK;
        }
        long r = k.udmabuf.create(mm, handle, memfd, v.get(Field.OFFSET, 0), v.get(Field.SIZE, 0), seals);
        if (r >= 0 && memfd.seals < 0 && v.has(Field.SEALS)) {
            memfd.seals = seals; // the seals check_memfd_seals() read are the memfd's from now on (none is ever removed)
        }
        return registered(handle, r, r < 0, Registration.Kind.UDMABUF, true);
    }

    /** The mm an event acts on: its own {@code mm=PID} (a pid, not a kprobe's mm pointer), else its task's. */
    Mm mmFor(int pid, long mmPid) {
        // a kprobe's mm=0xffff... is the mm_struct pointer, beyond any pid (PID_MAX_LIMIT, threads.h)
        return mmPid >= 0 && mmPid <= PID_MAX_LIMIT ? k.tasks.mmOf((int) mmPid) : k.tasks.mmOf(pid);
    }

    /**
     * A GUP/PUP entry point; {@code foll} canonical; {@code observed} the recorded result when {@code observedKnown},
     * which the hugetlb pool's counters give way to ({@link pinreplay.replay.mm.Hugetlb#recordedGup}).
     */
    long pinCall(EventType type, Mm mm, int handle, long start, long nrPages, long foll, boolean probed,
            boolean observedKnown, long observed) {
        if (observedKnown) {
            k.hugetlb.recordedGup(mm, start, nrPages, observed);
        }
        long r = pinCallJudged(type, mm, handle, start, nrPages, foll, probed, observedKnown, observed);
        k.hugetlb.gupReturned();
        return r;
    }

    private long pinCallJudged(EventType type, Mm mm, int handle, long start, long nrPages, long foll, boolean probed,
            boolean observedKnown, long observed) {
        // a kprobe'd short-term call has no handle: nothing in the trace releases it, its caller does
        boolean shortTerm = handle == 0 && probed && (foll & Foll.LONGTERM) == 0 && type != EventType.GET_USER_PAGES_LONGTERM;
        if (shortTerm) {
            k.directIo.pinPending(syscalls.markedDioHandle(k.ctx.pid)); // the marker's request, if it waits for this GUP
        }
        long attempt = shortTerm ? k.directIo.nofaultAttempt(mm, start, nrPages, foll, observedKnown, observed)
                : DirectIo.NOT_AN_ATTEMPT;
        if (attempt != DirectIo.NOT_AN_ATTEMPT) {
            return registered(handle, attempt, attempt <= 0, Registration.Kind.GUP, GupEntry.of(type).pin);
        }
        if (shortTerm) {
            k.directIo.gupInside(syscalls.markedDioHandle(k.ctx.pid)); // the marker's request pinned its buffer
        }
        long holder = !shortTerm ? 0 : syscalls.inDirectIo(k.ctx.pid) ? k.ctx.pid
                : uringRequests.holder(k.ctx.pid, syscalls.inIoUringEnter(k.ctx.pid));
        if (holder != 0) {
            long got = k.directIo.bioGetPages(holder, GupEntry.of(type), mm, start, nrPages, foll);
            return registered(handle, got, got <= 0, Registration.Kind.GUP, GupEntry.of(type).pin);
        }
        long pinned = k.rawPins.pin(GupEntry.of(type), mm, handle, start, nrPages, foll, shortTerm);
        return registered(handle, pinned, pinned <= 0, Registration.Kind.GUP, GupEntry.of(type).pin);
    }

    /** A mapping of a snapshot ({@code vma}): what existed before the recording, mapped without a call. */
    void vma(EventView v) {
        long start = v.get(Field.START, 0) & -MemMap.PAGE_SIZE;
        long end = MemMap.pageAlign(v.get(Field.END, 0));
        if (end <= start) {
            return;
        }
        AddressSpace.MmapRequest r = mapping(v, start, end - start);
        r.barPfn = r.pfnmap ? barBase(Long.MIN_VALUE + 1 + bars.size()) : -1;
        if (!r.pfnmap && v.has(Field.INO)) {
            Inode declared = byDevice(devKey(v), v.get(Field.INO));
            r.file = declared != null ? declared
                    : k.files.lookupOrCreate(v.get(Field.INO), (r.pgoff << MemMap.PAGE_SHIFT) + r.len);
        }
        Mm mm = mmFor(v.pid(), v.get(Field.MM, -1));
        long lockedVm = mm.lockedVm;
        k.addressSpace.mmap(mm, r);
        mm.lockedVm = lockedVm; // a VM_LOCKED VMA older than the recording is in the locked_vm its memlock line gave
    }

    /**
     * A {@code file} line. With its device ({@code dev=}, as a snapshot gives it), it is that device's inode: inode
     * numbers repeat across filesystems (every ext4 filesystem's first files are 12, 13, ...), so a snapshot of a task
     * with files of two filesystems names each file by both, and its {@code vma} lines find it by both.
     */
    private void file(EventView v) {
        long ino = v.get(Field.INO, 0);
        FsType type = FsType.of(v.symbols(), v.symbol(Field.FS));
        boolean dax = v.get(Field.DAX, 0) == 1;
        long size = v.get(Field.SIZE, 0);
        long dev = devKey(v);
        // a hugetlbfs file's hstate: its mount's pagesize= (hstate_inode()), as smaps' KernelPageSize shows it; else the
        // default hstate
        Hstate h = type != FsType.HUGETLBFS ? Hstate.PMD
                : v.has(Field.PAGESIZE) && Hstate.ofSize(v.get(Field.PAGESIZE)) != null ? Hstate.ofSize(v.get(Field.PAGESIZE))
                : k.hstates.dflt();
        if (dev == NO_DEV) {
            Inode f = k.files.create(ino, type, dax, size);
            if (f.hstate != h) {
                // another file of that number, unless it is the one just made
                f = f.mappings.isEmpty() && f.pageCache.size() <= 1 ? f : k.files.createNew(ino, type, dax, size);
                f.hstate = h;
            }
            return;
        }
        Inode same = byDevice(dev, ino);
        if (same == null || same.fs.type != type || same.daxDeclared != dax || same.size != size || same.hstate != h) {
            Inode inode = k.files.createNew(ino, type, dax, size);
            inode.hstate = h;
            inode.declaredDev = dev;
            filesByDevice.computeIfAbsent(dev, d -> new LongObjectMap<>()).put(ino, inode);
            if (deviceFiles.get(dev) == null) {
                deviceFiles.put(dev, inode);
            }
            adoptUnseenFolios(inode, dev);
        } else {
            k.files.renumber(same); // the lines after it that name only ino= mean this file again
        }
    }

    /**
     * The file a line names by {@code ino=} and {@code dev=}; one of a device whose other files the recording declared,
     * never declared itself, is a file made before the recording (a recorder attached late): a file of their
     * filesystem, its size unknown, which the model says it assumed. Null when the device is unknown too.
     */
    private Inode fileOrPrior(EventView v) {
        Inode file = fileOf(v);
        long dev = devKey(v);
        long ino = v.get(Field.INO, 0);
        Inode sibling = file != null || dev == NO_DEV || ino <= 0 ? null : deviceFiles.get(dev);
        if (sibling == null) {
            return file;
        }
        Inode prior = k.files.createNew(ino, sibling.fs.type, sibling.daxDeclared, 0);
        prior.sizeUnknown = true;
        prior.hstate = sibling.hstate;
        filesByDevice.get(dev).put(ino, prior);
        k.ctx.assume("inode " + ino + " a " + sibling.fs.type.fsName() + " file made before the recording (its device's)");
        return prior;
    }

    /** The file a line names by {@code ino=} (and {@code dev=}), or null when unknown or ambiguous. */
    private Inode fileOf(EventView v) {
        long dev = devKey(v);
        return dev != NO_DEV ? byDevice(dev, v.get(Field.INO, 0)) : k.files.named(v.get(Field.INO, 0));
    }

    /**
     * mm_filemap_add_to_page_cache / mm_filemap_delete_from_page_cache (include/trace/events/filemap.h) of a file
     * declared with its device: the size of the folio the kernel put in its page cache at that offset. Returns
     * whether the file is one the model knows.
     */
    boolean pageCacheFolio(EventView v, boolean added) {
        long dev = devKey(v);
        long ino = v.get(Field.INO, -1);
        Inode inode = byDevice(dev, ino);
        FolioOrders orders = inode != null ? inode.folioOrders : unseenFolios(dev, ino, added && v.get(Field.ORDER, 0) > 0);
        if (orders != null) {
            long index = v.get(Field.OFS, 0) >>> MemMap.PAGE_SHIFT;
            if (added) {
                orders.added(index, (int) Math.min(v.get(Field.ORDER, 0), MAX_PAGECACHE_ORDER));
            } else {
                orders.deleted(index);
            }
        }
        return inode != null;
    }

    /**
     * The large folios of a file not declared yet (a program writes its file, then says which it is), kept for its
     * declaration; null when none were seen and {@code make} is false.
     */
    private FolioOrders unseenFolios(long dev, long ino, boolean make) {
        LongObjectMap<FolioOrders> files = make ? unseenFolios.computeIfAbsent(dev, d -> new LongObjectMap<>())
                : unseenFolios.get(dev);
        if (files == null) {
            return null;
        }
        FolioOrders orders = files.get(ino);
        if (orders == null && make) {
            orders = new FolioOrders();
            files.put(ino, orders);
        }
        return orders;
    }

    /**
     * A declared file takes the large folios seen before its declaration. btrfs's stat() gives the subvolume's
     * anonymous device where its tracepoints give the superblock's (another of major 0): a btrfs file whose own device
     * saw none takes those of its number on such a device, which names it from then on.
     */
    private void adoptUnseenFolios(Inode inode, long dev) {
        LongObjectMap<FolioOrders> files = unseenFolios.get(dev);
        FolioOrders orders = files == null ? null : files.get(inode.ino);
        if (orders != null) {
            files.remove(inode.ino);
        } else if (inode.fs.type == FsType.BTRFS) {
            for (long other : unseenFolios.sortedKeys()) {
                files = unseenFolios.get(other);
                if (other >>> 32 == 0 && other != dev && (orders = files.get(inode.ino)) != null) {
                    files.remove(inode.ino);
                    filesByDevice.computeIfAbsent(other, d -> new LongObjectMap<>()).put(inode.ino, inode);
                    break;
                }
            }
        }
        if (orders != null) {
            inode.folioOrders = orders;
        }
    }

    /** The file declared on device {@code dev} as {@code ino}, or null. */
    public Inode byDevice(long dev, long ino) {
        LongObjectMap<Inode> files = dev == NO_DEV ? null : filesByDevice.get(dev);
        return files == null ? null : files.get(ino);
    }

    /**
     * The device of a line: its number ({@code dev=259:0}, or a tracepoint's {@code dev 259:0}), or a name's symbol;
     * {@link #NO_DEV} without one.
     */
    static long devKey(EventView v) {
        if (!v.has(Field.DEV)) {
            return NO_DEV;
        }
        if (v.typeOf(Field.DEV) == ValueType.DEVNO) {
            return v.get(Field.DEV);
        }
        String name = v.symbols().string(v.symbol(Field.DEV)); // cached per symbol
        long devno = devno(name);
        return devno >= 0 ? devno : NAMED_DEV | v.symbol(Field.DEV);
    }

    /** {@code MAJOR:MINOR} as a tracepoint's device number is kept (major in the high word), or -1. */
    private static long devno(String s) {
        int colon = s.indexOf(':');
        if (colon <= 0 || colon == s.length() - 1 || colon > 10 || s.length() - colon > 11) {
            return -1;
        }
        long major = 0;
        long minor = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i == colon) {
                continue;
            }
            if (c < '0' || c > '9') {
                return -1;
            }
            if (i < colon) {
                major = major * 10 + (c - '0');
            } else {
                minor = minor * 10 + (c - '0');
            }
        }
        return major > 0xffffffffL || minor > 0xffffffffL ? -1 : major << 32 | minor;
    }

    /**
     * A registering call that failed here is remembered, so the caller's later release of that handle (recorded
     * on a kernel where the call succeeded) is not mistaken for an unbalanced unpin.
     */
    private long registered(int handle, long result, boolean failed, Registration.Kind kind, boolean pin) {
        if (failed) {
            k.registrations.refused(handle, kind, pin);
        }
        return result;
    }

    /** The real tracepoints that change the model: task creation and exit, user page faults. */
    void tracepoint(EventView v) {
        switch (v.type()) {
            case TASK_NEWTASK -> {
                newtaskSeen = true;
                int child = (int) v.get(Field.PID, 0);
                long flags = v.get(Field.CLONE_FLAGS, 0);
                if ((flags & (CLONE_VM | CLONE_THREAD)) == (CLONE_VM | CLONE_THREAD)) {
                    k.tasks.addThread(v.pid(), child);
                    k.creds.thread(v.pid(), child);
                } else if ((flags & CLONE_VM) != 0) {
                    // vfork(), posix_spawn(): the mm is shared; copy_files() and copy_creds() give the child its own
                    k.tasks.addVforkChild(v.pid(), child);
                    k.creds.fork(v.pid(), child);
                } else {
                    fork(v.pid(), child);
                }
            }
            case SCHED_PROCESS_FORK -> {
                int parent = (int) v.get(Field.PID, v.pid());
                int child = (int) v.get(Field.CHILD_PID, 0);
                if (!newtaskSeen && v.hasTgid() && child != 0 && !k.tasks.known(child)) {
                    pendingForks.put(child, parent); // thread or process: its own first line's TGID column says
                } else {
                    fork(parent, child);
                }
            }
            case SCHED_PROCESS_EXIT -> {
                int pid = (int) v.get(Field.PID, v.pid());
                uringRequests.exit(pid);
                k.creds.exit(pid);
                if (k.tasks.known(pid)) {
                    Mm mm = k.tasks.mmOf(pid);
                    boolean ownFiles = k.tasks.vforkChild(pid); // its table's files are the parent's too: none closes
                    k.tasks.remove(pid);
                    syscalls.exiting(pid, mm);
                    if (!k.tasks.inUse(mm)) {
                        k.addressSpace.exitMmap(mm);
                    }
                    // exit_files(): the files go with the thread group's last task, which group_dead (7.2) names; before,
                    // with the mm's last known task (a thread the recording has not shown yet would keep them)
                    if (!ownFiles && (v.has(Field.GROUP_DEAD) ? v.get(Field.GROUP_DEAD, 0) != 0 : !k.tasks.inUse(mm))) {
                        syscalls.exitFiles(mm);
                        k.registrations.exitFiles(mm);
                    }
                }
            }
            case PAGE_FAULT_USER -> k.addressSpace.touch(k.tasks.mmOf(v.pid()), v.get(Field.ADDRESS, 0) & -MemMap.PAGE_SIZE,
                    MemMap.PAGE_SIZE, (v.get(Field.ERROR_CODE, 0) & PF_WRITE) != 0);
            default -> {
            }
        }
    }

    /**
     * A recording without task_newtask (its clone_flags tell a thread from a process) but with the TGID column
     * (options/record-tgid): a child that sched_process_fork showed is a thread when its own first line names its
     * parent's thread group, else a process, forked then. True when {@code v}'s task was such a child.
     */
    boolean forkPending(EventView v) {
        if (pendingForks.size() == 0) {
            return false;
        }
        Integer parent = pendingForks.get(v.pid());
        if (parent == null) {
            return false;
        }
        pendingForks.remove(v.pid());
        if (v.hasTgid() && v.tgid() > 0 && v.tgid() != v.pid()) {
            k.tasks.addThread(parent, v.pid());
            k.creds.thread(parent, v.pid());
        } else {
            fork(parent, v.pid());
        }
        return true;
    }

    /** sched_process_fork without CLONE_VM: the child gets a copy of the parent's mappings. */
    private void fork(int parent, int child) {
        if (child == 0 || k.tasks.known(child)) {
            return;
        }
        Mm from = k.tasks.mmOf(parent);
        Mm mm = k.tasks.addProcess(child);
        k.addressSpace.copyMappings(from, mm);
        syscalls.fork(from, mm);
        k.vfio.fork(from, mm);
        // mm_init(): a child's locked_vm and pinned_vm start at 0 (VM_LOCKED is not inherited)
        mm.lockedVmKnown = true;
        mm.defFlagsKnown = true;
        mm.pinnedVmKnown = true;
        k.creds.fork(parent, child);
    }

    /**
     * A memlock line: task {@code pid}'s credentials, RLIMIT_MEMLOCK ({@code unlimited} or bytes) and its mm's and
     * user's counters, each as far as the line names it.
     */
    void memlock(EventView v) {
        int pid = (int) v.get(Field.PID, v.pid());
        boolean unlimited = v.is(Field.RLIMIT, "unlimited");
        boolean given = unlimited || v.typeOf(Field.RLIMIT) == ValueType.DEC || v.typeOf(Field.RLIMIT) == ValueType.HEX;
        long rlimit = unlimited ? Creds.RLIM_INFINITY : v.get(Field.RLIMIT, 0);
        k.creds.declare(pid, v.get(Field.UID, -1), v.get(Field.EUID, -1), v.get(Field.SUID, -1),
                (int) v.get(Field.CAP_IPC_LOCK, -1), rlimit, given, v.get(Field.USER_LOCKED_VM, -1));
        Mm mm = k.tasks.mmOf(pid);
        if (v.has(Field.LOCKED_VM)) {
            mm.lockedVm = v.get(Field.LOCKED_VM);
            mm.lockedVmPrior = mm.lockedVm;
            mm.lockedVmKnown = true;
        }
        if (v.has(Field.PINNED_VM)) {
            mm.pinnedVm = v.get(Field.PINNED_VM);
            mm.pinnedVmPrior = mm.pinnedVm;
            mm.pinnedVmKnown = true;
        }
    }

    /** What an {@code mmap} or {@code vma} line says of the mapping: protection, sharing, offset, kind. */
    private AddressSpace.MmapRequest mapping(EventView v, long addr, long len) {
        String prot = word(v, Field.PROT, "rw");
        AddressSpace.MmapRequest r = req.reset(addr, len, prot.contains("r"), prot.contains("w"),
                v.is(Field.FLAGS, "shared"));
        r.exec = prot.contains("x");
        r.pgoff = v.get(Field.PGOFF, 0);
        r.hugetlb = v.get(Field.HUGETLB, 0) == 1;
        // pagesize= names the hstate as MAP_HUGE_* does (size_to_hstate(), null when none of that size is registered)
        r.hstate = !r.hugetlb ? null : v.has(Field.PAGESIZE) ? k.hstates.sizeToHstate(v.get(Field.PAGESIZE))
                : k.hstates.dflt();
        r.pfnmap = v.get(Field.PFNMAP, 0) == 1;
        r.locked = v.get(Field.LOCKED, 0) == 1;
        r.noreserve = v.get(Field.NORESERVE, 0) == 1;
        r.droppable = v.get(Field.DROPPABLE, 0) == 1;
        return r;
    }

    private long mmap(EventView v, Mm mm) {
        AddressSpace.MmapRequest r = mapping(v, v.get(Field.ADDR, 0), v.get(Field.LEN, 0));
        r.populate = v.get(Field.POPULATE, 0) == 1;
        // do_mmap() (5.10-7.2): "vm_flags |= ... mm->def_flags", the VM_LOCKED (| VM_LOCKONFAULT) of an
        // mlockall(MCL_FUTURE) the recording's syscall showed, which the marker's locked= (MAP_LOCKED) does not say
        r.locked |= mm.lockFuture;
        r.lockOnFault = mm.lockFuture && mm.lockFutureOnFault;
        r.zoneFlags = zoneFlags(v);
        long err = k.addressSpace.checkMmap(r, r.pfnmap || v.has(Field.INO));
        if (err == 0 && r.locked) {
            err = k.memlock.mapLocked(mm, r.len >>> MemMap.PAGE_SHIFT, k.creds.of(v.pid()));
        }
        if (err == 0 && r.hugetlb && !v.has(Field.INO) && v.has(Field.PAGESIZE) && r.hstate == null) {
            err = -Errno.EINVAL; // ksys_mmap_pgoff() (5.10-7.2): "hs = hstate_sizelog(...); if (!hs) return -EINVAL;"
        }
        // hugetlb_get_unmapped_area() / prepare_hugepage_range() (5.10-7.2): MAP_FIXED off a huge page of the hstate
        // MAP_HUGETLB names (a file's own hstate is checked below, once the file is known)
        Hstate flagged = r.hugetlb ? (v.has(Field.INO) || r.hstate == null ? Hstate.PMD : r.hstate) : null;
        if (err == 0 && flagged != null && flagged.unaligned(r.addr)) {
            err = -Errno.EINVAL;
        }
        if (err != 0) {
            return err; // before an undeclared file is made up for it
        }
        if (r.pfnmap) {
            r.barPfn = barBase(v.has(Field.INO) ? v.get(Field.INO) : Long.MIN_VALUE + 1 + bars.size());
        } else if (v.has(Field.INO)) {
            r.file = markedFile(mm, v.get(Field.INO), r);
            if (r.file.undescribed && k.ctx.hasObserved && k.ctx.observed < 0) {
                // the file's own f_op->mmap (mmap_udmabuf(), secretmem_mmap(), dax_mmap(), ...) may have refused it
                k.ctx.assume("the kind of a file the recording never described, whose mmap() refused the mapping");
                return k.ctx.observed;
            }
            if (r.file.isHugetlbfs() && r.file.hstate.unaligned(r.addr)) {
                return -Errno.EINVAL; // hugetlb_get_unmapped_area(): MAP_FIXED off a huge page of hstate_file()
            }
            if (!r.shared && (r.file.isSecretmem() || r.file.isDevdax())) {
                return -Errno.EINVAL; // secretmem_mmap(), dax_mmap()'s check_vma(): shared mappings only
            }
            long refused = r.file.isDmabuf() ? Udmabuf.mmap(r.file, r.pgoff, r.len, r.shared) : 0;
            if (refused != 0) {
                return refused;
            }
            long sealed = k.memfd.mmap(r.file, r.shared, r.write);
            if (sealed != 0) {
                return sealed;
            }
        }
        k.ctx.cost(CostModel.CALL_NS);
        return k.addressSpace.mmap(mm, r);
    }

    /**
     * The file of a marker's mmap: the inode {@code ino} a {@code file} line declared; for one no line declared, the
     * file the recorded mmap() syscall just mapped at that address (an fd opened before the recording, which the
     * filesystem's mmap hook may have named), now known by that number; else a file of unknown kind.
     */
    private Inode markedFile(Mm mm, long ino, AddressSpace.MmapRequest r) {
        Inode known = k.inodes.get(ino);
        VmArea at = mm.vmaLookup(r.addr);
        boolean recorded = at != null && at.start == r.addr && at.file != null && at.file.ino >= Syscalls.FD_INO
                && at.pgoff == r.pgoff;
        if (recorded && (known == null || sameMemfd(known, at.file) || sameHugetlbfsFile(known, at.file))) {
            if (known != null && at.file.sizeUnknown) {
                // the fd's file, opened before the recording, had a size guessed to hold its mapping: the file line
                // gives i_size, which a writable mapping grew (hugetlbfs_file_mmap(), 5.10-7.2: "if (vma->vm_flags &
                // VM_WRITE && inode->i_size < len) i_size_write()"); past it hugetlb_no_page() faults VM_FAULT_SIGBUS
                long fileEnd = (r.pgoff << MemMap.PAGE_SHIFT) + r.len;
                k.truncate.sizeLearned(at.file, Math.max(known.size, r.write ? fileEnd : 0));
            }
            alias(ino, known, at.file);
            return at.file;
        }
        return k.files.lookupOrCreate(ino, (r.pgoff << MemMap.PAGE_SHIFT) + r.len);
    }

    /**
     * Whether {@code declared}, a {@code file} line's shmem or hugetlbfs file nothing has used yet, is the memfd the
     * recording saw memfd_create() make ({@code memfd}, whose seals it therefore knows) and sized as the line says: the
     * program described its own memfd, which the raw calls know by fd (its seals, the pins on its pages); both name
     * one file from now on.
     */
    private static boolean sameMemfd(Inode declared, Inode memfd) {
        return memfd.seals >= 0 && memfd.fs.type == declared.fs.type && memfd.size == declared.size
                && declared.mappings.isEmpty() && declared.pageCache.size() <= 1 && !declared.pageCache.cached(0);
    }

    /**
     * Whether {@code declared}, a {@code file} line's hugetlbfs file nothing has mapped or filled yet, is the file the
     * recorded mmap() syscall mapped by fd ({@code mapped}, which the hugetlbfs_file_mmap() probe showed on hugetlbfs),
     * while the hstate's pool is counted: one file has one reservation map (inode_resv_map()), so both name one
     * file from now on.
     */
    private boolean sameHugetlbfsFile(Inode declared, Inode mapped) {
        return declared != mapped && declared.isHugetlbfs() && mapped.isHugetlbfs() && declared.hstate == mapped.hstate
                && k.hstates.pool(declared.hstate).limited() && declared.mappings.isEmpty()
                && declared.pageCache.size() <= 1 && !declared.pageCache.cached(0);
    }

    /** Lines naming {@code ino} (with any device it was declared with, as {@code declared}) mean {@code file} from now on. */
    private void alias(long ino, Inode declared, Inode file) {
        k.inodes.put(ino, file);
        if (declared != null) {
            for (long dev : filesByDevice.sortedKeys()) {
                LongObjectMap<Inode> files = filesByDevice.get(dev);
                if (files.get(ino) == declared) {
                    files.put(ino, file);
                }
            }
        }
    }

    private long barBase(long key) {
        long[] b = bars.get(key);
        if (b == null) {
            b = new long[] {k.memMap.addDevice(PageFlags.BAR, 1)};
            bars.put(key, b);
        }
        return b[0];
    }

    /**
     * The file a native event names by {@code ino} (on its {@code dev=} when the line names one: inode numbers repeat
     * across filesystems), as a recorded result revealed it (PriorMemory); one the trace never declared, on which the call succeeded as
     * recorded, was opened before the recording (of unknown kind); else null.
     */
    private Inode inode(EventView v) {
        long ino = v.get(Field.INO, 0);
        long dev = devKey(v);
        Inode inode = dev != NO_DEV ? byDevice(dev, ino) : null; // dev=: inode numbers repeat across filesystems
        inode = inode != null ? inode : k.files.numbered(ino);
        if (inode != null && dev != NO_DEV && inode.declaredDev != NO_DEV && inode.declaredDev != dev
                && byDevice(inode.declaredDev, ino) == inode) {
            return null; // that number's file declared on another device: this one is a file from before the recording
        }
        return inode != null || !k.ctx.assumeUnseen("file ino " + ino) ? inode : k.files.lookupOrCreate(ino, 0);
    }

    /**
     * The native {@code fallocate}: its {@code mode} (names joined by {@code |}, or fallocate()'s number; none is
     * allocate) as vfs_fallocate() and the file's filesystem take it ({@link Truncate#fallocate}).
     */
    private long fallocate(EventView v) {
        Inode inode = inode(v);
        if (inode == null) {
            return unseenFile(v); // a file from before the recording: its recorded refusal stands
        }
        long off = v.get(Field.OFFSET, 0);
        long len = v.get(Field.LEN, 0);
        int mode = v.has(Field.MODE) ? fallocMode(v.symbols(), v.symbol(Field.MODE)) : 0;
        if (mode < 0) {
            return -Errno.EOPNOTSUPP; // a mode no release has: vfs_fallocate()'s first mode test
        }
        if (k.truncate.asleep(v.pid())) {
            return k.truncate.defer(inode, Truncate.OP_FALLOCATE, off, len, mode); // runs after its earlier truncate
        }
        return k.truncate.fallocate(inode, mode, off, len);
    }

    /** Mode word symbol to {@link Falloc#parse}'s answer + 2 (0: not yet parsed). */
    private int[] fallocModes = new int[16];

    private int fallocMode(pinreplay.format.SymbolTable symbols, int symbol) {
        if (symbol <= 0) {
            return -1;
        }
        if (symbol >= fallocModes.length) {
            fallocModes = java.util.Arrays.copyOf(fallocModes, Math.max(symbol + 1, fallocModes.length * 2));
        }
        if (fallocModes[symbol] == 0) {
            fallocModes[symbol] = Falloc.parse(symbols.string(symbol)) + 2;
        }
        return fallocModes[symbol] - 2;
    }

    private long dma(EventView v, int handle) {
        boolean write = v.type() == pinreplay.format.EventType.DMA_WRITE;
        Registration r = k.registrations.get(handle);
        long len = v.get(Field.LEN, 0);
        if (r == null) {
            // Nothing was ever mapped or pinned under this handle (the registration failed): the access faults;
            // unless, as recorded, it reached memory: then it was mapped or pinned before the recording.
            return k.ctx.assumeUnseen("registration " + k.ctx.handle) ? k.ctx.observedOr(len) : -Errno.EFAULT;
        }
        // "handle (iova|offset) len": an offset is into the registration, an iova the device's address of it
        long iova = v.has(Field.IOVA) ? v.get(Field.IOVA) : r.iova + v.get(Field.OFFSET, 0);
        if (r.kind == Registration.Kind.VFIO) {
            // the device reaches whatever map of the container holds the iova; none there: the IOMMU faults
            Registration at = k.vfio.dmaAt(r.mm, iova);
            Registration via = at != null ? at : r;
            return k.dma.access(via, iova - via.iova, len, write);
        }
        return k.dma.access(r, iova - r.iova, len, write);
    }

    /** gup_flags given by name are canonical; a number is decoded with the release's bit values. */
    long follFlags(EventView v) {
        if (!v.has(Field.GUP_FLAGS)) {
            return 0;
        }
        long raw = v.get(Field.GUP_FLAGS);
        return v.typeOf(Field.GUP_FLAGS) == ValueType.FOLL ? raw : k.profile.follLayout.decode(raw);
    }

    /**
     * The optional {@code zone=movable|cma} key of an mmap (not a contract field: read as an unknown key),
     * so a trace can place memory where long-term pins must migrate it.
     */
    private long zoneFlags(EventView v) {
        if (zoneKeysSeen != v.keys().size()) {
            zoneKeysSeen = v.keys().size();
            int id = 0;
            for (int i = 1; i <= zoneKeysSeen; i++) {
                if (v.keys().is(i, "zone")) {
                    id = i;
                }
            }
            zoneKey = id == 0 ? -1 : Field.EXTRA_KEYS + id;
        }
        if (zoneKey < 0) {
            return 0;
        }
        for (int i = 0; i < v.fieldCount(); i++) {
            if (v.fieldKey(i) == zoneKey && v.fieldType(i) == ValueType.SYM) {
                int s = (int) v.fieldValue(i);
                return v.symbols().is(s, "movable") ? PageFlags.MOVABLE : v.symbols().is(s, "cma") ? PageFlags.CMA : 0;
            }
        }
        return 0;
    }

    /** The advice of a {@code madvise} event ({@link Madv#of}). */
    private int advice(EventView v) {
        int s = v.symbol(Field.ADVICE);
        if (s >= adviceBySymbol.length) {
            adviceBySymbol = java.util.Arrays.copyOf(adviceBySymbol, Math.max(s + 1, adviceBySymbol.length * 2));
        }
        if (adviceBySymbol[s] == 0) {
            adviceBySymbol[s] = Madv.of(v.symbols().string(s)) + 1;
        }
        return adviceBySymbol[s] - 1;
    }

    /** A vfio_dma_map marker's {@code prot=} (r, w, rw; rw when absent) as {@link Vfio#DMA_READ} | {@link Vfio#DMA_WRITE}. */
    static int dmaProt(EventView v) {
        String prot = word(v, Field.PROT, "rw");
        return (prot.contains("r") ? Vfio.DMA_READ : 0) | (prot.contains("w") ? Vfio.DMA_WRITE : 0);
    }

    private static String word(EventView v, Field f, String otherwise) {
        int s = v.symbol(f);
        return s == 0 ? otherwise : v.symbols().string(s);
    }
}
