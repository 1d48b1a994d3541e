package pinreplay.replay.dev;

import java.util.ArrayList;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.replay.CostModel;
import pinreplay.replay.EventContext;
import pinreplay.replay.PriorMemory;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.Files;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.fs.Writeback;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.GupEntry;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.Secretmem;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.range.LongObjectMap;

/**
 * O_DIRECT: the block layer takes short-term references on the user buffer (FOLL_GET through 6.2 as
 * observed on 6.1, FOLL_PIN once bio_iov_iter_get_pages() moved to iov_iter_extract_pages()); the device
 * transfers at completion, and a read dirties the buffer before release. What the file's filesystem does
 * with the request comes first ({@link #cpuCopies}, {@link #misaligned}): observed on 5.10 to 7.2 with ext4,
 * xfs, btrfs, tmpfs and fs-DAX (traces/real/RELEASE/fs-dio.txt).
 */
public final class DirectIo extends Pinner {
    /**
     * The logical block size iomap_dio_bio_iter() aligns to: 512 bytes on the disks modelled (virtio-blk, most NVMe);
     * a 4Kn device would refuse 512-byte-aligned requests the model accepts.
     */
    private static final long LOGICAL_BLOCK = 512;
    /**
     * Bits of a settled request: nothing is mapped in the model where it stopped; its alignment rules are unknown; its
     * buffer reaches memory mapped before the recording ({@link #onPrior}); a read of a file of unknown kind whose GUP
     * stopped short, which btrfs would end there ({@link #complete}).
     */
    private static final long HOLE = 1, ALIGNMENT_UNKNOWN = 2, PRIOR = 4, PARTIAL_IF_BTRFS = 8, CHARGE_UNKNOWN = 16,
            BUFFERED_IF_BTRFS = 32;
    /** btrfs's sectorsize, check_direct_IO()'s alignment: the page size. */
    private static final long BTRFS_SECTOR = MemMap.PAGE_SIZE;

    private final DmaAccess dma;
    private final AddressSpace addressSpace;
    private final Writeback writeback;
    private final Truncate truncate;
    private final Files files;
    private final FaultHandler faultHandler;
    /**
     * A request whose result was known at submission, by handle: the result, and 1 when its buffer was a hole
     * nobody described (nothing got), which the recorded result may reveal as mapped before the recording.
     */
    private final LongObjectMap<long[]> settled = new LongObjectMap<>();
    /**
     * A request whose read or write syscall returned before the program's dio_complete marker, by handle: the result
     * the model completed it with then, and what it assumed ({@link #syscallReturned}).
     */
    private final LongObjectMap<Returned> returned = new LongObjectMap<>();

    private record Returned(long result, String assumed, boolean onPrior) {
    }

    /**
     * A request whose marker named its file by number alone, by handle: the file declared with that number, which the
     * model took it for ({@link #complete}).
     */
    private final LongObjectMap<Inode> byNumber = new LongObjectMap<>();
    /**
     * The last request a marker named by number alone that the model served with the CPU ({@link #cpuCopies}) on the
     * file declared with that number, and that file's size before it ({@link #gupInside}); 0 and null once revised.
     */
    private int copiedHandle;
    private Inode copiedFile;
    private long copiedSize;

    /**
     * Per holder: what the bios of a raw recording's O_DIRECT request hold until it completes ({@link #bioGetPages}): a
     * synchronous syscall's, by its task's pid; an io_uring request's, by a negative key.
     */
    private final LongObjectMap<ArrayList<Registration>> bios = new LongObjectMap<>();
    /**
     * {@link #PRIOR} while {@link #submit} plays a request whose buffer reaches memory mapped before the recording (or a
     * file it never described): the GUP the marker stands for ran on a guess, so its completion takes a recorded result
     * the guess cannot give ({@link EventContext#onPriorMemory}), as the kernel's own GUP inside did.
     */
    private long onPrior;
    /**
     * A request whose GUP would take hugetlb folios that no reservation pays for, which the pool's counters decide
     * ({@link pinreplay.replay.mm.FaultHandler#hugetlbPoolDecides}), by handle: its marker came before its syscall,
     * whose GUP inside the recording shows (and when it ran, in the kernel), so it pins there, the pool following that
     * GUP's recorded result ({@link #pinPending}); else at its syscall's return or its completion.
     */
    private final LongObjectMap<Pending> pending = new LongObjectMap<>();

    private record Pending(Mm mm, Inode file, long pos, long buf, long len, long request, long eof, boolean read,
            boolean alignmentUnknown, long onPrior) {
    }

    /** An entry {@link #complete} took out of {@link #settled}, for the next: no allocation per request. */
    private long[] spare;
    /** What {@link #nofaultAttempt} answers when the call is not the open request's first attempt. */
    public static final long NOT_AN_ATTEMPT = Long.MIN_VALUE;
    /** Bytes the last copy of {@link #throughPageCache} got before the CPU faulted. */
    private long copied;
    private final Secretmem secretmem;
    /** {@link Secretmem#uncertainRefusals()} when the open request began. */
    private long refusalsBefore;
    /**
     * Per task: its open btrfs request's FOLL_NOFAULT attempt that stopped at a mapped page (each thread's request has
     * its own, as two threads' O_DIRECT calls interleave in a recording); kept for reuse once over.
     */
    private final LongObjectMap<Attempt> attempts = new LongObjectMap<>();

    /** A FOLL_NOFAULT attempt: its mm (null once over), first page, stop, whether a read's, and its request. */
    private static final class Attempt {
        Mm mm;
        long first;
        long stop;
        boolean read;
        int handle;
    }

    public DirectIo(Profile profile, EventContext ctx, FaultPoints faults, Unpin unpin, Registrations registrations,
            Gup gup, DmaAccess dma, AddressSpace addressSpace, Writeback writeback, Truncate truncate, Files files,
            FaultHandler faultHandler, Secretmem secretmem) {
        super(profile, ctx, faults, unpin, registrations, gup);
        this.secretmem = secretmem;
        this.faultHandler = faultHandler;
        this.dma = dma;
        this.addressSpace = addressSpace;
        this.writeback = writeback;
        this.truncate = truncate;
        this.files = files;
    }

    /**
     * Submission of {@code len} bytes at file position {@code pos} of {@code file} (null: a file never declared) to or
     * from {@code buf}; {@code byDevice}: the request named the file's device too. A pin short of the buffer fails the whole request: iomap_dio_bio_iter() submits the bios
     * whose pages it got, and the next one's bio_iov_iter_get_pages() error becomes the request's
     * (iomap_dio_set_error(), -EFAULT); but for btrfs reads since 5.16. 0, or -errno the completion reports too.
     */
    public long submit(Mm mm, int handle, Inode file, boolean byDevice, long pos, long buf, long len, boolean read) {
        ctx.cost(CostModel.CALL_NS);
        copiedFile = null;
        refusalsBefore = secretmem.uncertainRefusals();
        onPrior = len > 0 && PriorMemory.touchesPrior(mm, buf & -MemMap.PAGE_SIZE, MemMap.pageAlign(buf + len))
                ? PRIOR : 0;
        if (len == 0) {
            // ext4_file_read_iter(), xfs_file_dio_read(): "if (!iov_iter_count(to)) return 0"; generic_write_checks_count()
            return settle(handle, 0, 0);
        }
        if (len < 0) {
            return -Errno.EINVAL;
        }
        if (file != null && !opensDirect(file, byDevice)) {
            file = null; // the number names another file, whose declaration the recording lost
        }
        if (file != null && !byDevice) {
            byNumber.put(handle, file);
        } else {
            byNumber.remove(handle);
        }
        long request = len;
        if (read && sized(file)) {
            // iomap_dio_rw(), filemap_read(), dax_iomap_rw(): a read at or past i_size is 0, one across it ends there
            if (pos >= file.size) {
                return settle(handle, 0, 0);
            }
            len = Math.min(len, file.size - pos);
        }
        if (cpuCopies(file, pos, buf, len, read)) {
            if (!byDevice) {
                copiedHandle = handle;
                copiedFile = file;
                copiedSize = file.size;
            }
            if (file.fs.type == FsType.BTRFS) {
                return settle(handle, throughPageCache(mm, file, pos, buf, len, read), copyStopBits(mm, buf, len));
            }
            long got = addressSpace.copyUser(mm, buf, len, read);
            long done = got;
            if (!read && got < len && profile.daxCopyWholeWords && file.isFsdax(profile.daxEnabled())) {
                done = Math.max(0, ((pos + got) & -8) - pos); // __copy_user_nocache() (6.4+): whole words written
            }
            if (!read && done > 0) {
                extend(file, pos + done);
            }
            // where the copy stopped nothing is mapped in the model: memory the recording may not have shown
            return settle(handle, done > 0 ? done : -Errno.EFAULT,
                    got < len ? (undescribed(mm, buf + got) ? HOLE : 0) | chargeStopBit() : 0);
        }
        if (!read && file != null && file.fs.type == FsType.XFS && ((pos | len) & (LOGICAL_BLOCK - 1)) != 0) {
            return fail(handle, -Errno.EINVAL, 0); // xfs_file_dio_write(): "(iocb->ki_pos | count) & bt_logical_sectormask"
        }
        if (file != null) {
            writeback.beforeDirectIo(file, pos, len); // before iomap_dio_bio_iter()'s alignment check
            if (!read) {
                truncate.invalidateInodePages2Range(file, pos, len); // kiocb_invalidate_pages(), after that writeback
            }
        }
        // iomap_dio_bio_iter() reads whole blocks: the one holding i_size too (iomap_dio_complete() then reports the
        // bytes up to i_size), so its alignment check sees the request up to that block's end, not up to i_size
        long eof = len;
        if (read && sized(file) && len < request && iomap(file)) {
            len = Math.min(request, MemMap.pageAlign(file.size) - pos);
        }
        if (misaligned(file, pos, buf, len)) {
            return fail(handle, -Errno.EINVAL, 0);
        }
        // a file never declared, or of a kind the recording does not show: ext4 and xfs would refuse a misaligned request
        boolean alignmentUnknown = (file == null || file.fs.type == FsType.OTHER) && ((pos | len | buf) & (LOGICAL_BLOCK - 1)) != 0;
        Attempt mine = attempts.get(ctx.pid);
        if (mine != null) {
            mine.mm = null; // this task's new request: its last one's attempt is over
        }
        if (!ctx.strictState && faultHandler.hugetlbPoolDecides(mm, buf & -MemMap.PAGE_SIZE, pagesSpanned(buf, len), read)) {
            pending.put(handle, new Pending(mm, file, pos, buf, len, request, eof, read, alignmentUnknown, onPrior));
            return 0;
        }
        return pin(handle, mm, file, pos, buf, len, request, eof, read, alignmentUnknown);
    }

    /**
     * The GUPs of request {@code handle} ({@link #submit}): btrfs's FOLL_NOFAULT attempt, then bio_iov_iter_get_pages()
     * of the buffer, and what the request then holds. 0, or -errno the completion reports too.
     */
    private long pin(int handle, Mm mm, Inode file, long pos, long buf, long len, long request, long eof, boolean read,
            boolean alignmentUnknown) {
        long n = pagesSpanned(buf, len);
        GupEntry e = profile.dioFollPin ? GupEntry.PIN_USER_PAGES_FAST : GupEntry.GET_USER_PAGES_FAST;
        if ((file == null || file.fs.type == FsType.BTRFS || file.fs.type == FsType.OTHER) && profile.btrfsDioNofault) {
            // a file the recording does not name may be btrfs's: its FOLL_NOFAULT attempt, if the recording shows one,
            // found the pages as they were before this request faulted them in
            tryNofault(handle, mm, e, buf & -MemMap.PAGE_SIZE, n, read);
        }
        batch.clear();
        long pinned = gup.call(e, mm, buf & -MemMap.PAGE_SIZE, n, read ? Foll.WRITE : 0, batch, 0);
        // a file of a kind the recording does not show may be btrfs's, which copies a request not aligned to its
        // sectorsize through the page cache (check_direct_IO() / check_direct_read(), 5.10-7.2): no GUP, the bytes the
        // CPU reaches
        boolean btrfsCopies = (file == null || file.fs.type == FsType.OTHER) && ((pos | len | buf) & (BTRFS_SECTOR - 1)) != 0;
        boolean btrfsRest = file != null && file.fs.type == FsType.BTRFS && profile.btrfsDioPartialRead && pinned < n
                && (pinned >= 0 || pinned == -Errno.EFAULT);
        if (btrfsRest && pinned <= 0) {
            return settle(handle, throughPageCache(mm, file, pos, buf, len, read), copyStopBits(mm, buf, len));
        }
        if (pinned <= 0) {
            // a file of a kind the recording does not show may be btrfs's, whose request a GUP refused at its first page
            // finishes through the page cache where the CPU reaches the buffer (5.16+: btrfs_direct_write()'s -ENOTBLK,
            // btrfs_direct_read()'s "ret = read" then filemap_read(), after no progress past the fault-in), as a
            // checksummed file's write does GUP or not (btrfs_direct_write(), 6.14+, 6.12.y)
            boolean kindUnknown = btrfsCopies || (file == null || file.fs.type == FsType.OTHER)
                    && (profile.btrfsDioPartialRead && (pinned == 0 || pinned == -Errno.EFAULT)
                    && cpuReaches(mm, buf, len, read) || !read && profile.btrfsDioWriteBuffered);
            return fail(handle, pinned == 0 ? -Errno.EFAULT : pinned, (undescribed(mm, buf) ? HOLE : 0)
                    | (alignmentUnknown ? ALIGNMENT_UNKNOWN : 0) | (kindUnknown ? BUFFERED_IF_BTRFS : 0));
        }
        long bytes = Math.min(len, (pinned << MemMap.PAGE_SHIFT) - (buf & (MemMap.PAGE_SIZE - 1)));
        long stop = (buf & -MemMap.PAGE_SIZE) + (pinned << MemMap.PAGE_SHIFT);
        if (btrfsRest) {
            // the bytes pinned go to the device; btrfs finishes the rest through the page cache
            long rest = throughPageCache(mm, file, pos + bytes, buf + bytes, len - bytes, read);
            keep(handle, rest >= 0 ? bytes + rest : read ? bytes : rest, copyStopBits(mm, buf + bytes, len - bytes));
        } else if (pinned < n) {
            // where GUP stopped nothing is mapped in the model: memory the recording may not have shown
            boolean kindUnknown = read && (file == null || file.fs.type == FsType.OTHER) && profile.btrfsDioPartialRead;
            keep(handle, -Errno.EFAULT, (undescribed(mm, stop) ? HOLE : 0) | (kindUnknown ? PARTIAL_IF_BTRFS : 0)
                    | (btrfsCopies ? BUFFERED_IF_BTRFS : 0));
        } else if (len < request && profile.dioZeroPastEof && iomap(file)
                && addressSpace.copyUser(mm, buf + len, request - len, true) < request - len) {
            // __iomap_dio_rw() (5.15+): iomap_iter() goes on past i_size, where iomap_dio_hole_iter() zeroes the
            // buffer (iov_iter_zero()); a page it cannot write is the request's -EFAULT
            keep(handle, -Errno.EFAULT, 0);
        } else if (eof < bytes) {
            keep(handle, eof, 0);
        }
        Registration r = register(Registration.Kind.DIO, handle, mm, e.pin, read, buf, 0, bytes, 0);
        r.dioRead = read;
        r.dioAlignmentUnknown = alignmentUnknown;
        r.dioSizeUnknown = read && !sized(file);
        r.dioOnPrior = onPrior != 0;
        if (!read && file != null) {
            r.dioFile = file;
            r.dioPos = pos;
            r.dioEnd = pos + bytes;
        }
        return 0;
    }

    /**
     * btrfs's buffered path for {@code len} bytes at {@code pos}: a read copies until the CPU faults (filemap_read():
     * the bytes copied, -EFAULT when none); a write is {@link #bufferedWrite}. No GUP. Sets {@link #copied}.
     */
    private long throughPageCache(Mm mm, Inode file, long pos, long buf, long len, boolean read) {
        if (read) {
            copied = addressSpace.copyUser(mm, buf, len, true);
            return copied > 0 ? copied : -Errno.EFAULT;
        }
        return bufferedWrite(mm, file, pos, buf, len);
    }

    /**
     * btrfs_direct_write()'s buffered path: btrfs_buffered_write() faults each chunk of the buffer in whole before it
     * copies it (fault_in_iov_iter_readable(): a chunk it cannot fault in ends the write, -EFAULT when it is the first;
     * the chunk is the profile's: nrptrs pages, or from 6.15 copy_one_range()'s folio), then btrfs_fdatawrite_range(),
     * filemap_fdatawait_range() and invalidate_mapping_pages() over what was written.
     */
    private long bufferedWrite(Mm mm, Inode file, long pos, long buf, long len) {
        copied = addressSpace.copyUser(mm, buf, len, false);
        long written = len;
        if (copied < len) {
            long chunk = profile.btrfsWriteChunk;
            long first = chunk - (pos & (profile.btrfsWriteChunkAlign - 1));
            written = copied < first ? 0 : first + (copied - first) / chunk * chunk;
        }
        if (written == 0) {
            return -Errno.EFAULT;
        }
        extend(file, pos + written);
        writeback.writebackRange(file, pos, written);
        truncate.invalidateMappingPages(file, pos, written);
        return written;
    }

    /** Nothing maps {@code addr} and the recording never unmapped it: memory it may not have shown. */
    /** Whether every page of {@code [buf, buf + len)} is in a VMA the CPU may write ({@code toUser}) or read. */
    private static boolean cpuReaches(Mm mm, long buf, long len, boolean toUser) {
        long need = toUser ? VmFlags.VM_WRITE : VmFlags.VM_READ;
        for (long p = buf & -MemMap.PAGE_SIZE; p < buf + len; ) {
            VmArea v = mm.vmaLookup(p);
            if (v == null || !v.has(need)) {
                return false;
            }
            p = v.end;
        }
        return true;
    }

    private static boolean undescribed(Mm mm, long addr) {
        return mm.vmaLookup(addr) == null && !mm.shownUnmapped(addr);
    }

    /** Where the last copy of {@code [buf, buf + len)} stopped nothing is mapped: memory the recording may not have shown. */
    private long copyStopBits(Mm mm, long buf, long len) {
        return copied < len ? (undescribed(mm, buf + copied) ? HOLE : 0) | chargeStopBit() : 0;
    }

    /** A copy that stopped where secretmem_fault() refused a charge on an unknown (the limit, the user's charges). */
    private long chargeStopBit() {
        return secretmem.uncertainRefusals() != refusalsBefore ? CHARGE_UNKNOWN : 0;
    }

    /** The recorded result of a request whose copy an uncertain secretmem charge stopped, where it differs. */
    private boolean chargeExplains(long[] known) {
        if ((known[1] & CHARGE_UNKNOWN) == 0 || !ctx.hasObserved || ctx.observedIs(known[0])) {
            return false;
        }
        ctx.assume("secretmem_fault()'s charge fitted: user->locked_vm lower, or RLIMIT_MEMLOCK higher, than the "
                + "model knows");
        return true;
    }

    /**
     * btrfs_direct_read(), btrfs_direct_write() (5.16+): the first attempt pins with page faults disabled and stops at
     * a page that needs one (not present, or write-protected for a read's write pin); btrfs then faults the rest in
     * (fault_in_iov_iter_writeable(), _readable()) and tries again, which {@link #submit}'s own GUP plays. The pages
     * the attempt got are released here: the retry's pins stand for both.
     */
    private void tryNofault(int handle, Mm mm, GupEntry e, long first, long n, boolean read) {
        batch.clear();
        long got = gup.call(e, mm, first, n, (read ? Foll.WRITE : 0) | Foll.NOFAULT, batch, 0);
        if (got > 0) {
            unpin.release(batch, 0, e.pin, false);
        }
        long stop = first + (Math.max(got, 0) << MemMap.PAGE_SHIFT);
        if (got < n && mm.vmaLookup(stop) != null) {
            Attempt a = attempts.computeIfAbsent(ctx.pid, p -> new Attempt());
            a.mm = mm;
            a.first = first;
            a.stop = stop;
            a.read = read;
            a.handle = handle;
        }
    }

    /**
     * A probed FOLL_NOFAULT pin by {@code mm} after the open btrfs request's marker is that request's first attempt,
     * which {@link #submit} already played: the pages it got from {@code start}, or -EFAULT at the page where it
     * stopped. {@link #NOT_AN_ATTEMPT} for any other call, which the model judges by its state.
     * <p>
     * The attempt may meet that page more than once: after a bio that got pages, bio_iov_iter_get_pages()' loop, the
     * next bio of iomap_dio_bio_iter() and the next iomap_iter() extent each try it again (fs/iomap/direct-io.c,
     * block/bio.c, 5.16-7.2). A read's attempt lasts until btrfs_direct_read() faults the rest in
     * (fault_in_iov_iter_writeable(): {@link #faultingIn}); a write's fault-in (fault_in_iov_iter_readable(), the CPU
     * reading the buffer) does not show, so a write's attempt lasts while the recording shows the stop refused: a call
     * there that the recording shows getting pages is btrfs_direct_write()'s retry, which the model's state judges;
     * without a recorded result the attempt ends at its first -EFAULT. A read's call there that the recording shows
     * getting pages before any fault-in found the page mapped (by a population the recording does not show, such as
     * mlockall(MCL_FUTURE)'s before it began): no attempt stopped there, and the model's state judges it too.
     */
    public long nofaultAttempt(Mm mm, long start, long nrPages, long foll, boolean observedKnown, long observed) {
        Attempt a = attempt(mm);
        if (a == null || (foll & Foll.NOFAULT) == 0 || start < a.first || start > a.stop) {
            return NOT_AN_ATTEMPT;
        }
        if (start == a.stop) {
            // btrfs_direct_read() faults in only after an attempt came back short (6.1 fs/btrfs/file.c:3830, 6.12
            // fs/btrfs/direct-io.c:1143, 7.2 :1141): pages got at the stop before that were mapped already
            if ((observedKnown || !a.read) && !(observedKnown && observed == -Errno.EFAULT)) {
                a.mm = null;
                if (observedKnown) {
                    return NOT_AN_ATTEMPT;
                }
            }
            return -Errno.EFAULT;
        }
        return Math.min(nrPages, (a.stop - start) >>> MemMap.PAGE_SHIFT);
    }

    /** The current task's open attempt in {@code mm}, or null. */
    private Attempt attempt(Mm mm) {
        Attempt a = attempts.get(ctx.pid);
        return a != null && a.mm == mm ? a : null;
    }

    /** The current task faults a page of {@code mm} in with fixup_user_fault(): its btrfs read's first attempt is over. */
    public void faultingIn(Mm mm) {
        Attempt a = attempt(mm);
        if (a != null) {
            a.mm = null;
        }
    }

    /**
     * Whether a probed GUP by {@code mm} at {@code start} is the open request's first attempt ({@link #nofaultAttempt})
     * at the page where it stopped: absent, or read-only for a read, before the request faulted it in.
     */
    public boolean attemptStopsAt(Mm mm, long start, long foll) {
        Attempt a = attempt(mm);
        return a != null && (foll & Foll.NOFAULT) != 0 && start == a.stop;
    }

    /**
     * do_dentry_open(): O_DIRECT needs the mapping's ->direct_IO (FMODE_CAN_ODIRECT): never hugetlbfs, memfd_secret()
     * or device-dax; tmpfs from 6.6 on. A tmpfs file named by its number alone is taken for another: memfd and tmpfs
     * inode numbers count from the bottom as disk filesystems' do, and O_DIRECT on tmpfs is rare.
     */
    private boolean opensDirect(Inode file, boolean byDevice) {
        return !(file.isHugetlbfs() || file.isSecretmem() || file.isDevdax()
                || file.isShmem() && !(profile.shmemDirectIo && byDevice));
    }

    /**
     * Whether the CPU copies instead of the device: dax_iomap_rw() for an IS_DAX() file (ext4_file_read_iter(),
     * xfs_file_read_iter() ignore IOCB_DIRECT there), or the page cache: btrfs for a request not aligned to its
     * sectorsize (btrfs_direct_read()/btrfs_direct_write(): check_direct_IO(), then the buffered path), a btrfs write
     * of checksummed data (6.14+, 6.12.y: btrfs_direct_write() falls back to buffered I/O; the model takes every btrfs
     * file as checksummed, as btrfs makes them unless mounted nodatasum or the file is NOCOW) and tmpfs
     * (shmem_file_read_iter(), generic_perform_write()). No GUP either way.
     */
    public boolean cpuCopies(Inode file, long pos, long buf, long len, boolean read) {
        if (file == null) {
            return false;
        }
        if (file.fs.type == FsType.BTRFS) {
            return ((pos | len | buf) & (BTRFS_SECTOR - 1)) != 0 || !read && profile.btrfsDioWriteBuffered;
        }
        return file.isFsdax(profile.daxEnabled()) || file.isShmem();
    }

    /**
     * iomap_dio_bio_iter() (ext4, xfs; 5.10 to 7.2): a position, length or buffer not aligned to the logical block
     * size is -EINVAL before any page is got (xfs_file_dio_write() checks the position and length first, alike).
     */
    private boolean misaligned(Inode file, long pos, long buf, long len) {
        return file != null && (file.fs.type == FsType.EXT4 || file.fs.type == FsType.XFS)
                && ((pos | len | buf) & (LOGICAL_BLOCK - 1)) != 0;
    }

    /** ext4 and xfs: O_DIRECT through iomap_dio_rw(), whose bios read whole blocks. */
    private static boolean iomap(Inode file) {
        return file != null && (file.fs.type == FsType.EXT4 || file.fs.type == FsType.XFS);
    }

    /** Whether i_size is known: a file declared with its size (one met only by a mapping has a lower bound). */
    private static boolean sized(Inode file) {
        return file != null && !file.sizeUnknown && !file.undescribed && file.fs.type != FsType.OTHER;
    }

    /** i_size_write() after a write past the end (iomap_dio_complete(), generic_write_end(), dax_iomap_rw()). */
    private static void extend(Inode file, long end) {
        if (sized(file) && end > file.size) {
            file.size = end;
        }
    }

    private long settle(int handle, long result, long bits) {
        keep(handle, result, bits);
        return 0;
    }

    private long fail(int handle, long err, long bits) {
        keep(handle, err, bits);
        return err;
    }

    private void keep(int handle, long result, long bits) {
        long[] e = spare != null ? spare : new long[2];
        spare = null;
        e[0] = result;
        e[1] = bits | onPrior;
        settled.put(handle, e);
    }

    /** Takes the settled entry of {@code handle} out; its values are read before the next {@link #keep}. */
    private void forget(int handle, long[] entry) {
        settled.remove(handle);
        spare = entry;
    }

    /**
     * Completion: the device transfers, then the pages are released (dirtied for a read). Returns bytes. A request whose
     * marker named its file by number alone was judged on the file declared with that number; a recorded result that
     * file cannot give says the number was another's (every ext4 numbers its first files 12, 13, ...), declared before
     * the recording: the result stands, and the number names two files from now on.
     */
    public long complete(int handle) {
        Inode named = byNumber.get(handle);
        long result = completeAsPlayed(handle);
        if (named == null) {
            return result;
        }
        byNumber.remove(handle);
        if (!ctx.hasObserved || ctx.observed == result) {
            return result;
        }
        if (ctx.strictState) {
            throw new PriorMemory.UndescribedMemory("the file " + name(handle) + " named by number alone"
                    + " was never described by a snapshot, a syscall or a native event");
        }
        ctx.assume(Inode.name(named.ino) + " of " + name(handle) + " is another file of that number, declared before the"
                + " recording (the model gave " + Errno.describe(result) + ")");
        files.numberedAgain(named.ino);
        return ctx.observed;
    }

    private long completeAsPlayed(int handle) {
        ctx.cost(CostModel.CALL_NS);
        pinPending(handle);
        Returned done = returned.get(handle);
        if (done != null) {
            returned.remove(handle);
            if (done.assumed != null) {
                ctx.assume(done.assumed);
            }
            ctx.onPriorMemory |= done.onPrior;
            return done.result;
        }
        Attempt mine = attempts.get(ctx.pid);
        if (mine != null && mine.handle == handle) {
            mine.mm = null; // the request completed: its attempt is over
        }
        Registration r = registrations.live(handle, Registration.Kind.DIO);
        long[] known = settled.get(handle);
        if (r == null && known != null) {
            // iomap_dio_rw() / __blockdev_direct_IO(): the pages could not be got, the request's result is that errno;
            // unless the buffer nobody described was, as the recorded result says, mapped before the recording
            forget(handle, known);
            ctx.onPriorMemory |= (known[1] & PRIOR) != 0;
            if ((known[1] & ALIGNMENT_UNKNOWN) != 0 && ctx.observedIs(-Errno.EINVAL)) {
                return alignedFilesystem(handle);
            }
            if (btrfsCopied(handle, known)) {
                return ctx.observed;
            }
            if (chargeExplains(known)) {
                return ctx.observed;
            }
            return (known[1] & HOLE) != 0 && !ctx.observedIs(known[0])
                    && ctx.assumeMadeBefore("the mapping of " + name(handle) + "'s buffer")
                    ? ctx.observed : known[0];
        }
        if (r == null && known == null && registrations.get(handle) == null && ctx.hasObserved && ctx.observed < 0
                && !ctx.strictState && !registrations.answersRefusal(handle, Registration.Kind.DIO, false)) {
            // a failed request whose submission is not in the recording (one that succeeded: unbalanced() assumes it)
            ctx.assume(name(handle) + " submitted before the recording");
            return ctx.observed;
        }
        if (r == null) {
            return unbalanced(handle, "dio_complete", Registration.Kind.DIO, false, Errno.EINVAL);
        }
        if (r.dioAlignmentUnknown && ctx.observedIs(-Errno.EINVAL)) {
            registrations.release(r, r.pin, false, !profile.daxWakeupMissed);
            if (known != null) {
                forget(handle, known);
            }
            return alignedFilesystem(handle);
        }
        ctx.onPriorMemory |= r.dioOnPrior;
        long bytes = r.bytes;
        if (r.dioSizeUnknown && known == null && ctx.hasObserved && ctx.observed >= 0 && ctx.observed < bytes) {
            // iomap_dio_rw(), filemap_read(): the read stopped at i_size, which the recording does not show
            ctx.assume("the file of " + name(handle) + " ends " + ctx.observed + " bytes into the read (its size is not in"
                    + " the recording)");
            bytes = ctx.observed;
        }
        dma.access(r, 0, bytes, r.dioRead);
        // bio_release_pages(): put_page() per page, or unpin_user_page() once pinned; 6.1.y's folio_put_refs()
        // skips the DAX wake-up
        registrations.release(r, r.pin, r.dioRead, !profile.daxWakeupMissed);
        if (known != null) {
            forget(handle, known); // the bios that got pages ran; iomap_dio_complete(): dio->error wins
            if ((known[1] & PARTIAL_IF_BTRFS) != 0 && ctx.observedIs(bytes)) {
                // btrfs_direct_read() (5.16+): IOMAP_DIO_PARTIAL keeps the bytes GUP got
                ctx.assume("the file of " + name(handle) + " is btrfs (its declaration is not in the recording)");
                return bytes;
            }
            if (btrfsCopied(handle, known)) {
                return ctx.observed;
            }
            if (chargeExplains(known)) {
                return ctx.observed;
            }
            return (known[1] & HOLE) != 0 && !ctx.observedIs(known[0])
                    && ctx.assumeMadeBefore("the rest of " + name(handle) + "'s buffer") ? ctx.observed
                    : known[0];
        }
        if (r.dioFile != null) {
            extend(r.dioFile, r.dioEnd);
            // iomap_dio_complete(): kiocb_invalidate_post_direct_write(), what CPU faults cached during the write
            truncate.invalidateInodePages2Range(r.dioFile, r.dioPos, r.dioEnd - r.dioPos);
        }
        return bytes;
    }

    /**
     * A probed short-term GUP inside the syscall that carries request {@code handle}: dax_iomap_rw(), shmem's read and
     * write and btrfs's buffered path copy with the CPU and take no page (5.10-7.2), so a request the model served that
     * way on the file its marker named by number alone went to another file of that number, declared before the
     * recording: the declared file keeps the size it had, and the number names two files from now on.
     */
    public void gupInside(int handle) {
        if (handle == 0 || handle != copiedHandle || copiedFile == null) {
            return;
        }
        if (ctx.strictState) {
            throw new PriorMemory.UndescribedMemory("the file " + name(handle) + " named by number alone"
                    + " was never described by a snapshot, a syscall or a native event");
        }
        ctx.assume(Inode.name(copiedFile.ino) + " of " + name(handle) + " is another file of that number, declared before"
                + " the recording (its request pinned its buffer)");
        copiedFile.size = copiedSize;
        files.numberedAgain(copiedFile.ino);
        copiedFile = null; // its completion takes a recorded result the declared file cannot give (complete())
    }

    /**
     * A probed short-term GUP of an O_DIRECT request in a raw recording (no markers), inside task {@code holder}'s read(),
     * write(), pread64(), pwrite64(), preadv(), pwritev(), preadv2() or pwritev2(), or issued for an io_uring request
     * ({@code holder} negative):
     * bio_iov_iter_get_pages() takes the buffer's pages for a bio (FOLL_GET until 6.1, FOLL_PIN through
     * iov_iter_extract_pages() from 6.2) and bio_release_pages() drops them when the bio completes, which the synchronous
     * syscall waits for and the io_uring request's CQE follows; so they are held until {@link #bioReturned}. The call's
     * result.
     */
    public long bioGetPages(long holder, GupEntry e, Mm mm, long start, long nrPages, long foll) {
        batch.clear();
        long got = gup.call(e, mm, start, nrPages, foll, batch, 0);
        if (got > 0) {
            boolean read = (foll & Foll.WRITE) != 0; // a read from the file writes the buffer
            Registration r = register(Registration.Kind.DIO, 0, mm, e.pin, read, start, 0, got << MemMap.PAGE_SHIFT, 0);
            r.dioRead = read;
            bios.computeIfAbsent(holder, p -> new ArrayList<>()).add(r);
        }
        return got;
    }

    /**
     * The O_DIRECT request of {@code holder} ({@link #bioGetPages}) ended with {@code ret}: its syscall returned, or its
     * io_uring CQE was posted. Its bios completed, in order: the device moved the bytes (all a bio holds when the request
     * failed: the bios submitted before the error ran), then bio_release_pages() dirtied a read's pages and dropped them
     * (5.10 to 7.2); 6.1.y's folio_put_refs() skips the DAX wake-up.
     */
    public void bioReturned(long holder, long ret) {
        ArrayList<Registration> held = bios.get(holder);
        if (held == null || held.isEmpty()) {
            return; // every syscall entry asks: no iterator for nothing held
        }
        long left = ret >= 0 ? ret : Long.MAX_VALUE;
        for (int i = 0; i < held.size(); i++) {
            Registration r = held.get(i);
            long bytes = Math.min(r.bytes, left);
            left -= bytes;
            if (bytes > 0) {
                dma.access(r, 0, bytes, r.dioRead);
            }
            registrations.release(r, r.pin, r.dioRead, !profile.daxWakeupMissed);
        }
        held.clear();
    }

    /** Whether request {@code handle} was submitted and has not completed. */
    public boolean inFlight(int handle) {
        return registrations.live(handle, Registration.Kind.DIO) != null || settled.get(handle) != null
                || pending.get(handle) != null;
    }

    /**
     * The GUPs of request {@code handle}, if they wait ({@link #pending}): the kernel's GUP inside its syscall is
     * replayed now, its recorded result known.
     */
    public void pinPending(int handle) {
        Pending p = pending.get(handle);
        if (p == null) {
            return;
        }
        pending.remove(handle);
        onPrior = p.onPrior;
        pin(handle, p.mm, p.file, p.pos, p.buf, p.len, p.request, p.eof, p.read, p.alignmentUnknown);
    }

    /**
     * The read or write syscall that carried request {@code handle} returned, its result in
     * {@link EventContext#observed}: a synchronous kiocb's iomap_dio_rw() (__blockdev_direct_IO() in 5.10) waits for the
     * bios and completes the request before the syscall returns (5.10 to 7.2), so its pins are dropped there, whenever
     * the program's dio_complete marker comes; that marker then reports this result.
     */
    public void syscallReturned(int handle) {
        String before = ctx.assumed;
        boolean wasOnPrior = ctx.onPriorMemory;
        ctx.assumed = null;
        ctx.onPriorMemory = false;
        long result = complete(handle);
        returned.put(handle, new Returned(result, ctx.assumed, ctx.onPriorMemory));
        ctx.assumed = before;
        ctx.onPriorMemory = wasOnPrior;
    }

    /**
     * Whether a recorded byte count says the file, never declared, is btrfs's, which copied the request through its page
     * cache ({@link #BUFFERED_IF_BTRFS}); the model says what it assumed.
     */
    private boolean btrfsCopied(int handle, long[] known) {
        if ((known[1] & BUFFERED_IF_BTRFS) == 0 || !ctx.hasObserved || ctx.observed <= 0) {
            return false;
        }
        ctx.assume("the file of " + name(handle) + " is btrfs (its declaration is not in the recording): the request "
                + "went through its page cache");
        return true;
    }

    /** iomap_dio_bio_iter(): the file, never declared, is on a filesystem that wants logical-block alignment. */
    private long alignedFilesystem(int handle) {
        ctx.assume("the file of " + name(handle) + " is on ext4, xfs or alike (its declaration is not in the recording)");
        return -Errno.EINVAL;
    }
}
