package pinreplay.replay;

import pinreplay.format.Errno;
import pinreplay.format.EventHandler;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.replay.dev.Vfio;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.kernel.Profile;
import pinreplay.format.Foll;
import pinreplay.format.parse.ParseStats;
import pinreplay.format.parse.RecordingHeader;
import pinreplay.replay.mm.Hstate;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.outcome.Latencies;
import pinreplay.replay.outcome.Outcome;
import pinreplay.replay.outcome.OutcomeSink;
import pinreplay.replay.outcome.ReplaySummary;
import pinreplay.replay.range.LongObjectMap;

/**
 * Replays events into the {@link Kernel} of one profile and reports a call outcome per native event,
 * plus the violations, injections and stalls the model finds. Nothing is allocated per event in the
 * steady state: one reused outcome, primitive maps, the flyweight view.
 */
public final class Replayer implements EventHandler {
    private final Kernel k;
    private final EventContext ctx;
    private final OutcomeSink sink;
    private final EventDispatch dispatch;
    private final ConcurrentOps ops;
    private final Outcome call = new Outcome();
    private final Outcome scratch = new Outcome();
    private final Latencies latencies = new Latencies();
    private final Latencies measured = new Latencies("measured");
    private final ReplaySummary summary = new ReplaySummary();
    private final PriorMemory prior;
    private final Syscalls syscalls;
    private final UmemGets umemGets;
    private final VfioIoctls vfioIoctls;
    private final UdmabufCreates udmabufCreates;
    private final FaultIns faultIns;
    private final IoUringRequests uringRequests;
    /** A kprobe'd call waiting for its kretprobe, per pid. */
    private final LongObjectMap<ProbedCall> probed = new LongObjectMap<>();
    /** mmap_lock_start_locking timestamp per pid, and the wait to charge to its next call. */
    private final LongObjectMap<long[]> lockWaits = new LongObjectMap<>();
    private long lastTs;
    private boolean ended;
    private boolean keepLatencies = true;

    public Replayer(Profile profile, FaultPoints faults, OutcomeSink sink) {
        this.sink = sink;
        this.ctx = new EventContext(sink, faults);
        this.k = new Kernel(profile, faults, ctx);
        this.umemGets = new UmemGets(k);
        this.vfioIoctls = new VfioIoctls(k, profile);
        Madvise madvise = new Madvise(k);
        this.prior = new PriorMemory(profile, k.memMap, k.addressSpace, k.files, ctx);
        this.syscalls = new Syscalls(k, madvise, prior);
        this.uringRequests = new IoUringRequests(k.directIo, profile.ioUringRwCqeInTask);
        this.udmabufCreates = new UdmabufCreates(k, syscalls);
        this.faultIns = new FaultIns(k);
        this.dispatch = new EventDispatch(k, umemGets, udmabufCreates, syscalls, madvise, uringRequests);
        this.ops = new ConcurrentOps(k);
        ctx.calls(this::emitCall);
        summary.profile = profile.describe();
        summary.latencies = latencies;
        summary.measured = measured;
    }

    /** With strict state, a call on memory no snapshot, syscall or native event described is an error. */
    public void strictState(boolean on) {
        ctx.strictState = on;
    }

    /**
     * Without latencies the summary's histograms stay empty: for callers that replay many short orders and read
     * only the outcomes (explore), since each histogram costs half a megabyte.
     */
    public void keepLatencies(boolean on) {
        keepLatencies = on;
    }

    public Kernel kernel() {
        return k;
    }

    public ReplaySummary summary() {
        return summary;
    }

    /** When {@code pid} started waiting for its mmap_lock and has not acquired it yet, else 0 (for inspection). */
    public long mmapLockWaitingSince(int pid) {
        long[] w = lockWaits.get(pid);
        return w == null ? 0 : w[0];
    }

    @Override
    public void onEvent(EventView v) {
        ctx.symbols = v.symbols();
        EventType type = v.type();
        if (type.kind() != EventType.Kind.META) {
            joinThreadGroup(v);
            ops.before(v);
            k.faults.betweenEvents(v, ops);
        }
        lastTs = Math.max(lastTs, v.ts());
        if (!v.bit(Record.B_PROBE) && (type.isNative() || type == EventType.SYSCALL_ENTER
                || type == EventType.SYSCALL_EXIT)) {
            returnedUnseen(v.pid());
        }
        if (!type.isNative()) {
            onTracepoint(v, type);
            return;
        }
        summary.eventsReplayed++;
        if (type.kind() == EventType.Kind.STATE) {
            ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
            if (type == EventType.MEMLOCK) {
                dispatch.memlock(v);
            } else {
                dispatch.vma(v);
            }
            return;
        }
        if (type.isPinCall() && v.bit(Record.B_PROBE) && !v.has(Field.RET)) {
            enterProbed(v);
            return;
        }
        ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
        ctx.handle = ctx.handleName(v.symbol(Field.HANDLE));
        chargeLockWait(v.pid());
        String assumed = assumeForNative(v, type);
        ctx.hasObserved = v.has(Field.RET);
        ctx.observed = normalizeReturn(v.get(Field.RET, 0));
        long result = dispatch.dispatch(v);
        if (result == Truncate.WAITING) {
            return;
        }
        boolean undecided = result == Madvise.UNDECIDED && type == EventType.MADVISE;
        Outcome o = callOutcome(undecided ? normalizeReturn(v.get(Field.RET, 0)) : result, join(assumed, ctx.assumed));
        if (v.has(Field.RET) && !undecided) {
            o.hasObserved = true;
            o.observed = normalizeReturn(v.get(Field.RET));
            if (type == EventType.MMAP && result == 0 && o.observed == v.get(Field.ADDR, 0)) {
                o.result = o.observed; // mmap(2) returns the mapping's start (do_mmap()): a recorded address agrees
            } else if (type == EventType.UDMABUF_CREATE && result == 0 && o.observed >= 0) {
                o.result = o.observed; // the ioctl returns the dma-buf's fd (dma_buf_fd()): any fd agrees
            }
        }
        emitCall(o);
    }

    /** Both assumptions, either, or null. */
    private static String join(String a, String b) {
        return a == null ? b : b == null ? a : a + "; " + b;
    }

    /** The reused call outcome of the event in {@link #ctx}. */
    private Outcome callOutcome(long result, String assumed) {
        Outcome o = ctx.stamp(call.reset(Outcome.Kind.CALL));
        o.handle = ctx.handle;
        o.result = result;
        o.latencyNs = ctx.costNs;
        o.retries = ctx.retries;
        o.assumed = assumed;
        return o;
    }

    private void chargeLockWait(int pid) {
        long[] wait = lockWaits.get(pid);
        if (wait != null && wait[1] > 0) {
            ctx.cost(wait[1]);
            wait[1] = 0;
        }
    }

    /**
     * A native call on user memory: where the trace never described that memory, assume it from the
     * recorded result (ioctls and syscalls return 0 on success: every page was reached; madvise() and
     * mprotect() are -ENOMEM for a hole).
     */
    private String assumeForNative(EventView v, EventType type) {
        long addr;
        long len;
        long foll;
        switch (type) {
            case GET_USER_PAGES, GET_USER_PAGES_FAST, GET_USER_PAGES_REMOTE, GET_USER_PAGES_LONGTERM, PIN_USER_PAGES,
                    PIN_USER_PAGES_FAST, PIN_USER_PAGES_REMOTE -> {
                Mm mm = dispatch.mmFor(v.pid(), v.get(Field.MM, -1));
                return prior.beforeGup(mm, v.get(Field.START, 0), v.get(Field.NR_PAGES, 0), dispatch.follFlags(v),
                        v.has(Field.RET), normalizeReturn(v.get(Field.RET, 0)), true);
            }
            case MADVISE, MPROTECT -> {
                Mm mm = dispatch.mmFor(v.pid(), v.get(Field.MM, -1));
                return v.has(Field.RET) ? prior.beforeRange(mm, v.get(Field.ADDR, 0), v.get(Field.LEN, 0),
                        normalizeReturn(v.get(Field.RET))) : null;
            }
            case IO_URING_REGISTER_BUFFERS -> {
                addr = v.get(Field.ADDR, 0);
                len = v.get(Field.LEN, 0);
                foll = Foll.LONGTERM | Foll.WRITE;
                if (k.ioUring.bufferValidate(addr, len) != 0) {
                    return null; // io_buffer_validate() refuses the iovec before any page is asked for
                }
            }
            case RDMA_REG_MR -> {
                // ib_umem_get(): FOLL_WRITE as the MR's access asks (always before 6.2)
                addr = v.get(Field.ADDR, 0);
                len = v.get(Field.LEN, 0);
                foll = Foll.LONGTERM | k.rdma.accessFoll(!v.is(Field.ACCESS, "read"));
            }
            case VFIO_DMA_MAP -> {
                // vaddr_get_pfns(): FOLL_WRITE only for a map with VFIO_DMA_MAP_FLAG_WRITE
                addr = v.get(Field.VADDR, 0);
                len = v.get(Field.SIZE, 0);
                foll = Foll.LONGTERM | Vfio.protFoll((EventDispatch.dmaProt(v) & Vfio.DMA_WRITE) != 0);
            }
            case DIO_SUBMIT -> {
                addr = v.get(Field.BUF, 0);
                len = v.get(Field.LEN, 0);
                foll = 0;
            }
            case VMSPLICE, PROCESS_VM_READV, PROCESS_VM_WRITEV -> {
                // a GUP whose result is in bytes; an error is its first page's
                addr = v.get(Field.ADDR, 0);
                long r = normalizeReturn(v.get(Field.RET, 0));
                Mm mm = type == EventType.VMSPLICE ? dispatch.mmFor(v.pid(), v.get(Field.MM, -1))
                        : dispatch.mmFor((int) v.get(Field.PID, v.pid()), -1);
                return prior.beforeGup(mm, addr, pagesOf(addr, v.get(Field.LEN, 0)),
                        type == EventType.PROCESS_VM_WRITEV ? Foll.WRITE : 0, v.has(Field.RET),
                        r > 0 ? pagesOf(addr, r) : r, true);
            }
            default -> {
                return null;
            }
        }
        long pages = pagesOf(addr, len);
        long r = normalizeReturn(v.get(Field.RET, 0));
        Mm mm = dispatch.mmFor(v.pid(), v.get(Field.MM, -1));
        return prior.beforeGup(mm, addr, pages, foll, v.has(Field.RET), r == 0 ? pages : r, false);
    }

    /** The pages {@code [addr, addr + len)} touches. */
    private static long pagesOf(long addr, long len) {
        return ((addr + len + (MemMap.PAGE_SIZE - 1)) >>> MemMap.PAGE_SHIFT) - (addr >>> MemMap.PAGE_SHIFT);
    }

    /** The kprobe of a GUP call: it runs at its kretprobe; one still waiting here lost its return. */
    private void enterProbed(EventView v) {
        ProbedCall c = probed.computeIfAbsent(v.pid(), p -> new ProbedCall());
        if (c.waiting) {
            runProbed(c, false, 0, 0);
        }
        c.fill(v, dispatch.follFlags(v));
        if (c.type == EventType.PIN_USER_PAGES_REMOTE || c.type == EventType.GET_USER_PAGES_REMOTE) {
            long target = syscalls.remoteTarget(c.pid);
            if (target >= 0) {
                c.mmPid = target;
            }
        }
    }

    /**
     * Task {@code pid} is back in user space (its marker, a syscall's entry or return), so a kprobe'd call still waiting
     * for its kretprobe returned unseen (a lost event): it runs now, before what the task did next.
     */
    private void returnedUnseen(int pid) {
        ProbedCall c = probed.get(pid);
        if (c != null && c.waiting) {
            runProbed(c, false, 0, 0);
        }
    }

    /** A kprobe'd call at its return: assumptions from the recorded result, the model's call, both latencies. */
    private void runProbed(ProbedCall c, boolean observedKnown, long observed, long returnTs) {
        c.waiting = false;
        ctx.begin(c.line, c.ts, c.tsBits, c.pid, c.type);
        ctx.handle = ctx.handleName(c.handle);
        chargeLockWait(c.pid);
        Mm mm = dispatch.mmFor(c.pid, c.mmPid);
        // btrfs's first FOLL_NOFAULT attempt of an O_DIRECT request refused where a page was absent before the request
        // faulted it in (DirectIo.nofaultAttempt()): the refusal the model gives says nothing of memory from before the
        // recording (not read-only, no device's)
        boolean absent = observedKnown && observed == -Errno.EFAULT && k.directIo.attemptStopsAt(mm, c.start, c.foll);
        String assumed = absent ? null : prior.beforeGup(mm, c.start, c.nrPages, c.foll, observedKnown, observed, true);
        long result = dispatch.pinCall(c.type, mm, c.handle, c.start, c.nrPages, c.foll, true, observedKnown, observed);
        syscalls.pinned(c.pid, mm, c.start, c.nrPages, result, ctx.onPriorMemory, ctx.onUnsizedFile);
        // ib_umem_get() went on as the kernel's pin did: on memory the model guessed (from before the recording), the
        // recorded result replaces the model's (emitCall())
        umemGets.pinned(c.pid, ctx.onPriorMemory && observedKnown ? observed : result);
        // vfio_pin_pages_remote() failed only where the kernel's pin did: a refusal on memory the model guessed (from
        // before the recording) is the recorded result's to decide, in emitCall()
        vfioIoctls.pinned(c.pid, mm, c.start, result, assumed != null || ctx.onPriorMemory, k.rawPins.lastPin());
        Outcome o = callOutcome(result, join(assumed, ctx.assumed));
        o.hasObserved = observedKnown;
        o.observed = observed;
        if (returnTs >= c.ts && returnTs > 0) {
            o.hasMeasured = true;
            o.measuredNs = returnTs - c.ts;
            if (keepLatencies) {
                measured.record(c.type, o.measuredNs);
            }
        }
        emitCall(o);
    }

    private void onTracepoint(EventView v, EventType type) {
        switch (type) {
            case SYSCALL_ENTER -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                uringRequests.left(v.pid()); // its last io_uring_enter() returned, traced or not
                syscalls.enter(v, k.tasks.mmOf(v.pid()));
            }
            case SYSCALL_EXIT -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                ctx.hasObserved = true;
                ctx.observed = normalizeReturn(v.get(Field.RET, 0));
                long entry = syscalls.enteredAt(v.pid());
                boolean vfio = vfioIoctls.returning(v.pid()) && syscalls.isIoctl(v);
                long judged = syscalls.exit(v, k.tasks.mmOf(v.pid()));
                uringRequests.left(v.pid());
                if (vfio) {
                    vfioReturn(v, entry);
                }
                if (judged == Truncate.WAITING) {
                    k.truncate.returnedInTrace(v.pid(), ctx.observed); // the kernel's call returned: reported below
                }
                if (judged != Syscalls.UNJUDGED) {
                    judgedOutcome(v, syscalls.judgedAs(), judged, normalizeReturn(v.get(Field.RET)), entry,
                            join(ctx.assumed, syscalls.assumed()));
                }
            }
            case UNPIN_PROBE -> {
                summary.eventsReplayed++;
                long updating = syscalls.bufferUpdateRing(v.pid());
                if (updating >= 0) {
                    ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                    syscalls.unpinReplaced(k.tasks.mmOf(v.pid()), updating, v.get(Field.NR_PAGES, 1));
                } else if (syscalls.releasesLongterm(v.pid())) {
                    ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                    vfioIoctls.unpinned(v.pid(), v.get(Field.NR_PAGES, 1),
                            v.symbols().is(v.symbol(Field.FUNC), "unpin_user_page"));
                    if (!vfioIoctls.unpinsUnseenMap(v.pid())) {
                        Mm exited = syscalls.exitingMm(v.pid());
                        k.rawPins.unpinRecorded(exited != null ? exited : k.tasks.mmOf(v.pid()), v.get(Field.NR_PAGES, 1),
                                v.get(Field.DIRTY, 0) != 0);
                    }
                }
            }
            case MMAP_HOOK_PROBE -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                syscalls.mmapHook(v, k.tasks.mmOf(v.pid()));
            }
            case SCHED_PROCESS_EXEC -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                int oldPid = (int) v.get(Field.OLD_PID, v.pid());
                if (oldPid != v.pid() && k.tasks.known(oldPid)) {
                    // de_thread(): a thread's execve() waits for the leader's exit and takes its pid (exchange_tids())
                    k.tasks.renamed(oldPid, v.pid());
                    k.creds.renamed(oldPid, v.pid());
                }
                Mm old = k.tasks.mmOf(v.pid());
                boolean vforked = k.tasks.vforkChild(v.pid());
                Mm fresh = k.tasks.exec(v.pid());
                fresh.lockedVmKnown = true;
                fresh.pinnedVmKnown = true;
                fresh.defFlagsKnown = true;
                k.creds.exec(v.pid());
                if (vforked) {
                    syscalls.execVforked(old, fresh); // the parent keeps its mm, files and rings
                } else {
                    syscalls.exec(old, fresh);
                    k.registrations.closeOnExec(old, fresh);
                    k.vfio.exec(old, fresh);
                }
                if (!k.tasks.inUse(old)) {
                    k.addressSpace.exitMmap(old);
                }
            }
            case TASK_NEWTASK, SCHED_PROCESS_FORK, SCHED_PROCESS_EXIT, PAGE_FAULT_USER -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                dispatch.tracepoint(v);
            }
            case IO_URING_SUBMIT_SQE, IO_URING_SUBMIT_REQ -> {
                summary.eventsReplayed++;
                uringRequests.submit(v.pid(), v.get(Field.RING, 0), v.get(Field.REQ, 0), v.get(Field.USER_DATA, 0),
                        v.get(Field.FLAGS, 0), v.get(Field.SQ_THREAD, 0) != 0);
            }
            case IO_URING_COMPLETE -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                uringRequests.complete(v.get(Field.RING, 0), v.get(Field.REQ, 0), v.get(Field.USER_DATA, 0),
                        v.get(Field.RESULT, -1));
            }
            case MM_FILEMAP_ADD_TO_PAGE_CACHE, MM_FILEMAP_DELETE_FROM_PAGE_CACHE -> {
                if (dispatch.pageCacheFolio(v, type == EventType.MM_FILEMAP_ADD_TO_PAGE_CACHE)) {
                    summary.eventsReplayed++;
                } else {
                    summary.eventsPassedThrough++;
                }
            }
            case MMAP_LOCK_START_LOCKING -> {
                summary.eventsReplayed++;
                lockWait(v.pid())[0] = v.ts();
            }
            case MMAP_LOCK_RELEASED -> {
                summary.eventsReplayed++;
                if (v.get(Field.WRITE, 0) != 0) {
                    syscalls.mmapWriteUnlocked(v.pid(), k.tasks.mmOf(v.pid()));
                }
            }
            case MMAP_LOCK_ACQUIRE_RETURNED -> {
                summary.eventsReplayed++;
                long[] w = lockWait(v.pid());
                if (w[0] != 0) {
                    w[1] += Math.max(0, v.ts() - w[0]);
                    w[0] = 0;
                }
                if (v.get(Field.SUCCESS, 1) != 0) {
                    syscalls.mmapLocked(v.pid());
                }
                if (v.get(Field.WRITE, 0) != 0 && v.get(Field.SUCCESS, 1) != 0) {
                    syscalls.mmapWriteLocked(v.pid(), k.tasks.mmOf(v.pid()));
                }
            }
            case UMEM_GET_PROBE -> {
                summary.eventsReplayed++;
                if (UmemGets.isRelease(v)) {
                    umemGets.release(v.pid(), v.get(Field.ADDR, 0));
                } else {
                    umemGets.enter(v);
                }
            }
            case VFIO_IOCTL_PROBE -> {
                summary.eventsReplayed++;
                vfioIoctls.enter(v);
            }
            case UDMABUF_PROBE -> {
                summary.eventsReplayed++;
                ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                udmabufCreates.probe(v);
            }
            case PRLIMIT_PROBE -> {
                summary.eventsReplayed++;
                syscalls.prlimit(v);
            }
            case PATH_PROBE -> {
                summary.eventsReplayed++;
                syscalls.pathGiven(v);
            }
            case FIXUP_FAULT_PROBE -> {
                summary.eventsReplayed++;
                faultIns.enter(v);
            }
            case KRETPROBE -> {
                if (UmemGets.isReturn(v)) {
                    umemGetReturn(v);
                } else if (UdmabufCreates.isReturn(v)) {
                    udmabufReturn(v);
                } else if (FaultIns.isReturn(v)) {
                    summary.eventsReplayed++;
                    ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
                    faultIns.exit(v);
                } else {
                    onReturn(v);
                }
            }
            case COMMENT -> {
                String line = v.rawString().strip();
                String thp = RecordingHeader.thpOf(line);
                if (thp != null) {
                    k.faultHandler.machineThp(thp);
                }
                String noKprobes = RecordingHeader.withoutKprobesOf(line);
                if (noKprobes != null) {
                    summary.withoutKprobes = noKprobes;
                }
                long hugepages = RecordingHeader.hugepagesOf(line);
                if (hugepages != 0) {
                    k.hstates.registered(Math.abs(hugepages), hugepages < 0); // the recorded machine's hstates[]
                    Hstate h = Hstate.ofSize(Math.abs(hugepages));
                    long nr = RecordingHeader.hugepagesCount(line, "nr");
                    long free = RecordingHeader.hugepagesCount(line, "free");
                    long resv = RecordingHeader.hugepagesCount(line, "resv");
                    if (h != null && nr >= 0 && free >= 0 && resv >= 0) { // its pool, as /sys showed it at the start
                        k.hstates.pool(h).recorded(nr, free, resv, RecordingHeader.hugepagesCount(line, "surplus"),
                                RecordingHeader.hugepagesCount(line, "overcommit"));
                    }
                }
                // a trace file's header: its buffer's overrun, of which trace_pipe's notices may have said a part (a
                // recording appends the trace file's rest at its end)
                long gone = ParseStats.overwritten(line) - summary.lostEvents;
                if (gone > 0) {
                    lost(v.line(), gone);
                }
            }
            case LOST_EVENTS -> lost(v.line(), v.get(Field.LOST, 0));
            default -> summary.eventsPassedThrough++;
        }
    }

    /** The ring buffer overwrote {@code n} events nobody read: from here on the model's memory may be stale. */
    private void lost(long line, long n) {
        summary.lostEvents += n;
        summary.firstLossLine = summary.lossNotices++ == 0 ? line : summary.firstLossLine;
        prior.lost(k.tasks);
        ctx.eventsLost = true;
    }

    /** ib_umem_get()'s kretprobe: judged as the native rdma_reg_mr ({@link UmemGets}). */
    private void umemGetReturn(EventView v) {
        summary.eventsReplayed++;
        ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), EventType.RDMA_REG_MR);
        ctx.hasObserved = true;
        ctx.observed = UmemGets.errPtr(v.get(Field.RET, 0));
        long entry = umemGets.enteredAt(v.pid());
        long judged = umemGets.exit(v.pid(), k.tasks.mmOf(v.pid()), v.get(Field.RET, 0));
        if (judged != Syscalls.UNJUDGED) {
            judgedOutcome(v, EventType.RDMA_REG_MR, judged, ctx.observed, entry, ctx.assumed);
        }
    }

    /** udmabuf_create()'s kretprobe: judged as the native udmabuf_create ({@link UdmabufCreates}). */
    private void udmabufReturn(EventView v) {
        summary.eventsReplayed++;
        ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), EventType.UDMABUF_CREATE);
        ctx.hasObserved = true;
        ctx.observed = v.get(Field.RET, 0);
        long entry = udmabufCreates.enteredAt(v.pid());
        long judged = udmabufCreates.exit(v.pid(), k.tasks.mmOf(v.pid()), ctx.observed);
        if (judged != Syscalls.UNJUDGED) {
            // any fd the ioctl returns agrees with the model's dma-buf (dma_buf_fd())
            judgedOutcome(v, EventType.UDMABUF_CREATE, judged == 0 && ctx.observed >= 0 ? ctx.observed : judged,
                    ctx.observed, entry, ctx.assumed);
        }
    }

    /** vfio_iommu_type1_ioctl()'s map or unmap at its ioctl()'s return: judged as the native event ({@link VfioIoctls}). */
    private void vfioReturn(EventView v, long entry) {
        EventType type = vfioIoctls.judgedAs(v.pid());
        long judged = vfioIoctls.exit(v.pid(), k.tasks.mmOf(v.pid()), ctx.observed);
        if (judged != Syscalls.UNJUDGED) {
            judgedOutcome(v, type, judged, ctx.observed, entry, ctx.assumed);
        }
    }

    /**
     * The call outcome of a judged syscall (or ib_umem_get()) at its return, as the native event {@code type} would
     * have it: the model's {@code result} beside the kernel's {@code observed}.
     */
    private void judgedOutcome(EventView v, EventType type, long result, long observed, long entryTs, String assumed) {
        boolean onPrior = ctx.onPriorMemory;
        boolean onUnsized = ctx.onUnsizedFile;
        ctx.begin(v.line(), v.ts(), tsBits(v), v.pid(), type);
        ctx.onPriorMemory = onPrior;
        ctx.onUnsizedFile = onUnsized;
        ctx.cost(CostModel.CALL_NS);
        Outcome o = callOutcome(result, assumed);
        o.hasObserved = true;
        o.observed = observed;
        if (entryTs > 0 && v.ts() >= entryTs) {
            o.hasMeasured = true;
            o.measuredNs = v.ts() - entryTs;
            if (keepLatencies) {
                measured.record(type, o.measuredNs);
            }
        }
        emitCall(o);
    }

    /** A kretprobe supplies the return value of the pending kprobe'd call of that task, which runs now. */
    private void onReturn(EventView v) {
        ProbedCall c = probed.get(v.pid());
        // a kretprobe reports the return of its own function only: another one's passes through
        if (c == null || !c.waiting || !v.symbols().is(v.symbol(Field.FUNC), c.type.eventName())) {
            summary.eventsPassedThrough++;
            return;
        }
        long ret = v.has(Field.RET) ? v.get(Field.RET) : v.get(Field.RETVAL, 0);
        summary.eventsReplayed++;
        runProbed(c, true, normalizeReturn(ret), v.ts());
    }

    /**
     * A task first seen on a line whose TGID column (options/record-tgid) names another task is a thread
     * of that group: CLONE_THREAD requires CLONE_VM (copy_process()), so it shares the group's mm.
     */
    private void joinThreadGroup(EventView v) {
        if (dispatch.forkPending(v)) {
            return;
        }
        if (v.hasTgid() && v.tgid() > 0 && v.tgid() != v.pid() && !k.tasks.known(v.pid())) {
            k.tasks.addThread(v.tgid(), v.pid());
            k.creds.thread(v.tgid(), v.pid());
        }
    }

    private void emitCall(Outcome o) {
        if ((ctx.onPriorMemory || ctx.onUnsizedFile) && o.hasObserved && !o.agrees()) {
            // the guess of what was mapped before the recording, or of a file's size, cannot give this result: the
            // recording decides
            o.assumed = join(o.assumed, (ctx.onUnsizedFile ? "a file whose size the recording does not show ends there"
                    : "memory mapped before the recording, or a file it never described, is not what was assumed")
                    + " (the model gave "
                    + Errno.describe(o.result) + ")");
            o.result = o.observed;
        }
        summary.calls++;
        if (keepLatencies) {
            latencies.record(o.event, o.latencyNs);
        }
        if (o.hasObserved && !o.agrees()) {
            summary.divergences++;
        }
        if (o.assumed != null) {
            summary.assumed++;
        }
        sink.accept(o);
    }

    @Override
    public void onEnd() {
        if (ended) {
            return;
        }
        ended = true;
        for (long pid : probed.sortedKeys()) {
            ProbedCall c = probed.get(pid);
            if (c.waiting) {
                runProbed(c, false, 0, 0);
            }
        }
        summary.stalls = k.truncate.waiting();
        k.truncate.reportStalls(lastTs, scratch);
        summary.violations = ctx.violations;
        summary.injections = ctx.injections;
        sink.end(summary);
    }

    private long[] lockWait(int pid) {
        return lockWaits.computeIfAbsent(pid, p -> new long[2]);
    }

    static int tsBits(EventView v) {
        return v.bits() & (Record.B_TS_NANOS | Record.B_TS_RAW);
    }

    /** A return value printed as an unsigned 32-bit number ({@code 0xffffffea}) is the negative int it was. */
    static long normalizeReturn(long ret) {
        if (ret >= 0xfffff001L && ret <= 0xffffffffL) {
            return ret - (1L << 32);
        }
        return ret;
    }
}
