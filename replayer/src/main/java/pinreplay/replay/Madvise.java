package pinreplay.replay;

import pinreplay.format.Errno;
import pinreplay.format.Foll;
import pinreplay.format.Madv;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Memfd;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.gup.VmaChecks;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Mm;
import pinreplay.replay.mm.PageTable;
import pinreplay.replay.mm.Pte;
import pinreplay.replay.mm.VmArea;
import pinreplay.replay.mm.VmFlags;
import pinreplay.replay.outcome.ViolationKind;

/**
 * madvise(2) as mm/madvise.c does it (5.10, 6.1, 6.12, 7.2): do_madvise()'s argument checks, madvise_walk_vmas()
 * over the VMAs of the range (a hole is -ENOMEM once the mapped parts were advised), madvise_vma_behavior() per
 * VMA, and madvise_populate() for MADV_POPULATE_*. Release differences come from the {@link Profile}.
 */
final class Madvise {
    /** A result the model cannot know (MADV_COLLAPSE, memory-failure injection, a file of unknown kind). */
    static final long UNDECIDED = Syscalls.UNJUDGED;
    /** include/linux/mm.h VM_SPECIAL. */
    private static final long VM_SPECIAL = VmFlags.VM_IO | VmFlags.VM_DONTEXPAND | VmFlags.VM_PFNMAP
            | VmFlags.VM_MIXEDMAP;

    private final Profile profile;
    private final EventContext ctx;
    private final AddressSpace addressSpace;
    private final FaultHandler faultHandler;
    private final VmaChecks checks;
    private final Registrations registrations;
    private final Truncate truncate;

    Madvise(Kernel k) {
        this.profile = k.profile;
        this.ctx = k.ctx;
        this.addressSpace = k.addressSpace;
        this.faultHandler = k.faultHandler;
        this.checks = k.gup.checks;
        this.registrations = k.registrations;
        this.truncate = k.truncate;
    }

    /**
     * {@link #doMadvise} of a recorded call: a recorded -EINVAL of an advice VM_LOCKED refuses
     * (madvise_dontneed_free_valid_vma(), can_madv_lru_vma(), madvise_remove(), is_valid_guard_vma()) over mappings
     * the recording made while the def_flags of an mm older than it were unknown says mlockall(MCL_FUTURE) came
     * before the recording ({@link AddressSpace#lockFutureBeforeRecording}), or that an mlock() failed at a gap rather
     * than at its limit ({@link AddressSpace#mlockMaybeLocked}), and the model says what it assumed.
     */
    long judged(Mm mm, long start, long lenIn, int behavior) {
        long end = start + MemMap.pageAlign(lenIn);
        if (ctx.observedIs(-Errno.EINVAL) && refusesLocked(behavior)
                && madviseBehaviorValid(behavior) && (start & (MemMap.PAGE_SIZE - 1)) == 0
                && appliesButForVmLocked(mm, start, end, behavior)) {
            // a failed mlock() over the range is the nearer explanation than def_flags from before the recording
            if (addressSpace.mlockMaybeLocked(mm, start, end)) {
                ctx.assume("the mlock() that failed with -ENOMEM had locked the range (up to a gap, or before its "
                        + "population failed): its task had CAP_IPC_LOCK or the room under RLIMIT_MEMLOCK");
            } else if (addressSpace.lockFutureBeforeRecording(mm, start, end)) {
                ctx.assume("mlockall(MCL_FUTURE) before the recording: mm->def_flags VM_LOCKED, so the mappings made "
                        + "since are locked");
            }
        }
        return doMadvise(mm, start, lenIn, behavior);
    }

    /**
     * Whether no VMA under {@code [start, end)}, as the model holds it (none VM_LOCKED), refuses {@code behavior} with an
     * -EINVAL of its own, so that VM_LOCKED alone explains a recorded one.
     */
    private boolean appliesButForVmLocked(Mm mm, long start, long end, int behavior) {
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            VmArea v = mm.vmas.get(i);
            boolean takes = switch (behavior) {
                case Madv.DONTNEED -> !v.has(VmFlags.VM_PFNMAP | VmFlags.VM_HUGETLB | VmFlags.VM_LOCKED);
                case Madv.FREE -> !v.has(VmFlags.VM_PFNMAP | VmFlags.VM_HUGETLB | VmFlags.VM_LOCKED) && v.isAnonymous();
                case Madv.COLD, Madv.PAGEOUT -> canMadvLruVma(v);
                // madvise_remove() (5.10 mm/madvise.c:842, 6.1 :974, 6.12 :1004, 7.2 :1020): VM_LOCKED, then no file
                // (-EINVAL both), then a mapping not shared-writable (-EACCES), which VM_LOCKED's -EINVAL comes before
                case Madv.REMOVE -> !v.has(VmFlags.VM_LOCKED | VmFlags.VM_PFNMAP) && hasFile(v);
                default -> isValidGuardVma(v, false);
            };
            if (!takes) {
                return false;
            }
        }
        return true;
    }

    /** The advices a VM_LOCKED VMA refuses with -EINVAL (5.10-7.2; MADV_GUARD_INSTALL from 6.13). */
    private static boolean refusesLocked(int behavior) {
        return switch (behavior) {
            case Madv.DONTNEED, Madv.FREE, Madv.COLD, Madv.PAGEOUT, Madv.REMOVE, Madv.GUARD_INSTALL -> true;
            default -> false;
        };
    }

    /** do_madvise(): the advice, then the range, then the walk (5.10 to 7.2 check in this order). */
    long doMadvise(Mm mm, long start, long lenIn, int behavior) {
        ctx.cost(CostModel.CALL_NS);
        if (!madviseBehaviorValid(behavior)) {
            return -Errno.EINVAL;
        }
        // check_input_range() (inline before 6.15): page-aligned start, a length that neither rounds to 0 nor wraps
        if ((start & (MemMap.PAGE_SIZE - 1)) != 0) {
            return -Errno.EINVAL;
        }
        long len = MemMap.pageAlign(lenIn);
        if (lenIn != 0 && len == 0 || Long.compareUnsigned(start + len, start) < 0) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        if (behavior == Madv.HWPOISON || behavior == Madv.SOFT_OFFLINE || behavior == Madv.COLLAPSE) {
            return UNDECIDED; // CAP_SYS_ADMIN and memory_failure(); khugepaged's scan of THP settings and memory
        }
        long end = start + len;
        if ((behavior == Madv.POPULATE_READ || behavior == Madv.POPULATE_WRITE) && profile.madvPopulateStopsAtHole) {
            return madvisePopulate(mm, start, end, behavior == Madv.POPULATE_WRITE);
        }
        return madviseWalkVmas(mm, start, end, behavior);
    }

    /** is_madv_discard() (6.10-6.12) / is_discard() (7.2, with MADV_GUARD_INSTALL, which 6.12 does not know). */
    private static boolean isDiscard(int behavior) {
        return switch (behavior) {
            case Madv.FREE, Madv.DONTNEED, Madv.DONTNEED_LOCKED, Madv.REMOVE, Madv.DONTFORK, Madv.WIPEONFORK,
                    Madv.GUARD_INSTALL -> true;
            default -> false;
        };
    }

    /** madvise_behavior_valid(): the advice this release knows (Debian's config: KSM, THP and MEMORY_FAILURE on). */
    boolean madviseBehaviorValid(int behavior) {
        return switch (behavior) {
            case Madv.NORMAL, Madv.RANDOM, Madv.SEQUENTIAL, Madv.WILLNEED, Madv.DONTNEED, Madv.FREE, Madv.REMOVE,
                    Madv.DONTFORK, Madv.DOFORK, Madv.MERGEABLE, Madv.UNMERGEABLE, Madv.HUGEPAGE, Madv.NOHUGEPAGE,
                    Madv.DONTDUMP, Madv.DODUMP, Madv.WIPEONFORK, Madv.KEEPONFORK, Madv.COLD, Madv.PAGEOUT,
                    Madv.HWPOISON, Madv.SOFT_OFFLINE -> true;
            case Madv.POPULATE_READ, Madv.POPULATE_WRITE -> profile.madvPopulate;
            case Madv.DONTNEED_LOCKED -> profile.madvDontneedLocked;
            case Madv.COLLAPSE -> profile.madvCollapse;
            case Madv.GUARD_INSTALL, Madv.GUARD_REMOVE -> profile.madvGuard;
            default -> false;
        };
    }

    /**
     * madvise_walk_vmas(): each VMA of {@code [start, end)} gets the advice for its part; the first error ends the
     * walk, and a hole anywhere is -ENOMEM once the walk got past it.
     */
    private long madviseWalkVmas(Mm mm, long start, long end, int behavior) {
        long unmapped = 0;
        while (true) {
            int i = mm.indexAfter(start);
            if (i >= mm.vmas.size()) {
                return -Errno.ENOMEM;
            }
            VmArea v = mm.vmas.get(i);
            if (start < v.start) {
                unmapped = -Errno.ENOMEM;
                start = v.start;
                if (Long.compareUnsigned(start, end) >= 0) {
                    return unmapped;
                }
            }
            long tmp = Math.min(v.end, end);
            long error = madviseVmaBehavior(mm, v, start, tmp, behavior);
            if (error != 0) {
                return error;
            }
            start = tmp;
            if (Long.compareUnsigned(start, end) >= 0) {
                return unmapped;
            }
        }
    }

    /** madvise_vma_behavior() (madvise_vma() and madvise_behavior() before 5.17): the advice on one VMA's part. */
    private long madviseVmaBehavior(Mm mm, VmArea v, long start, long end, int behavior) {
        long flags = v.vmFlags;
        if (v.has(VmFlags.VM_SEALED) && isDiscard(behavior) && v.file == null && !v.isShared() && !v.isHugetlb()
                && !v.has(VmFlags.VM_WRITE)) {
            // can_modify_vma_madv() (6.10-6.12) / can_madvise_modify() (7.2): no discarding from a sealed read-only
            // anonymous mapping (a hugetlb or shared anonymous one has its file)
            return -Errno.EPERM;
        }
        switch (behavior) {
            case Madv.REMOVE:
                return madviseRemove(v, start, end);
            case Madv.WILLNEED:
                return 0; // madvise_willneed(): read-ahead or swap-in, whose errors it drops
            case Madv.COLD, Madv.PAGEOUT:
                return canMadvLruVma(v) ? 0 : -Errno.EINVAL;
            case Madv.FREE, Madv.DONTNEED, Madv.DONTNEED_LOCKED:
                return madviseDontneedFree(mm, v, start, end, behavior);
            case Madv.POPULATE_READ, Madv.POPULATE_WRITE:
                return faultinVmaPageRange(v, start, end, behavior == Madv.POPULATE_WRITE);
            case Madv.GUARD_INSTALL:
                if (!isValidGuardVma(v, false)) {
                    return -Errno.EINVAL;
                }
                discard(mm, start, end, "MADV_GUARD_INSTALL");
                addressSpace.zap(mm, start >>> MemMap.PAGE_SHIFT, end >>> MemMap.PAGE_SHIFT);
                // madvise_guard_install() (6.13+): a guard marker in every PTE of the range
                mm.pageTable.set(start >>> MemMap.PAGE_SHIFT, end >>> MemMap.PAGE_SHIFT, Pte.GUARD, 0);
                return 0;
            case Madv.GUARD_REMOVE:
                if (!isValidGuardVma(v, true)) {
                    return -Errno.EINVAL;
                }
                addressSpace.clearGuards(mm, start >>> MemMap.PAGE_SHIFT, end >>> MemMap.PAGE_SHIFT); // madvise_guard_remove()
                return 0;
            case Madv.NORMAL:
                flags &= ~(VmFlags.VM_RAND_READ | VmFlags.VM_SEQ_READ);
                break;
            case Madv.SEQUENTIAL:
                flags = flags & ~VmFlags.VM_RAND_READ | VmFlags.VM_SEQ_READ;
                break;
            case Madv.RANDOM:
                flags = flags & ~VmFlags.VM_SEQ_READ | VmFlags.VM_RAND_READ;
                break;
            case Madv.DONTFORK:
                flags |= VmFlags.VM_DONTCOPY;
                break;
            case Madv.DOFORK:
                // 7.0+: !vma_can_merge(vma); 5.10 to 6.12: VM_IO
                if (profile.madvDoforkCanMerge ? special(v) != 0 || v.isHugetlb() : v.has(VmFlags.VM_IO)) {
                    return -Errno.EINVAL;
                }
                flags &= ~VmFlags.VM_DONTCOPY;
                break;
            case Madv.WIPEONFORK:
                // MADV_WIPEONFORK is only supported on anonymous memory (a hugetlb VMA has its hugetlbfs file).
                if (hasFile(v) || v.isShared()) {
                    return -Errno.EINVAL;
                }
                flags |= VmFlags.VM_WIPEONFORK;
                break;
            case Madv.KEEPONFORK:
                if (v.has(VmFlags.VM_DROPPABLE)) {
                    return -Errno.EINVAL; // madvise_vma_behavior() (6.12, 7.2): a droppable VMA stays wiped on fork
                }
                flags &= ~VmFlags.VM_WIPEONFORK;
                break;
            case Madv.DONTDUMP:
                flags |= VmFlags.VM_DONTDUMP;
                break;
            case Madv.DODUMP:
                // madvise_vma_behavior() (6.12, 7.2): "|| (new_flags & VM_DROPPABLE)" refuses too
                if (!v.isHugetlb() && (special(v) != 0) || v.has(VmFlags.VM_DROPPABLE)) {
                    return -Errno.EINVAL;
                }
                flags &= ~VmFlags.VM_DONTDUMP;
                break;
            case Madv.HUGEPAGE:
                flags = flags & ~VmFlags.VM_NOHUGEPAGE | VmFlags.VM_HUGEPAGE; // hugepage_madvise()
                break;
            case Madv.NOHUGEPAGE:
                flags = flags & ~VmFlags.VM_HUGEPAGE | VmFlags.VM_NOHUGEPAGE;
                break;
            default:
                break; // MADV_MERGEABLE/UNMERGEABLE: ksm_madvise() leaves incompatible VMAs alone and returns 0
        }
        return madviseUpdateVma(mm, v, start, end, flags);
    }

    /**
     * madvise_update_vma(): the part {@code [start, end)} of {@code v} becomes a VMA with {@code flags}; a hugetlb VMA
     * cut inside a huge page is -EINVAL (__split_vma() -> hugetlb_vm_op_split(), 5.10-7.2).
     */
    private static long madviseUpdateVma(Mm mm, VmArea v, long start, long end, long flags) {
        if (flags == v.vmFlags) {
            return 0;
        }
        if (AddressSpace.splitsHugetlb(mm, start) || AddressSpace.splitsHugetlb(mm, end)) {
            return -Errno.EINVAL;
        }
        mm.splitAt(start);
        mm.splitAt(end);
        for (int i = mm.indexAfter(start); i < mm.vmas.size() && mm.vmas.get(i).start < end; i++) {
            mm.vmas.get(i).vmFlags = flags;
        }
        return 0;
    }

    /** can_madv_lru_vma() (MADV_COLD, MADV_PAGEOUT): not VM_LOCKED, VM_HUGETLB or VM_PFNMAP. */
    private static boolean canMadvLruVma(VmArea v) {
        return !v.has(VmFlags.VM_LOCKED | VmFlags.VM_HUGETLB | VmFlags.VM_PFNMAP);
    }

    /**
     * madvise_dontneed_free() with madvise_dontneed_free_valid_vma(): VM_PFNMAP and (but for MADV_DONTNEED_LOCKED)
     * VM_LOCKED are -EINVAL; hugetlb only for MADV_DONTNEED(_LOCKED) from 5.18 with a huge-page aligned start;
     * MADV_FREE only on anonymous VMAs (madvise_free_single_vma()). MADV_DONTNEED zaps: a pinned page stays
     * allocated and pinned, the task's next touch faults in another one.
     */
    private long madviseDontneedFree(Mm mm, VmArea v, long start, long end, int behavior) {
        if (!v.isHugetlb()) {
            long forbidden = VmFlags.VM_PFNMAP | (behavior != Madv.DONTNEED_LOCKED ? VmFlags.VM_LOCKED : 0);
            if (v.has(forbidden)) {
                return -Errno.EINVAL;
            }
        } else if (behavior == Madv.FREE || !profile.madvDontneedHugetlb
                || v.hstateVma().unaligned(start)) {
            // madvise_dontneed_free_valid_vma() (5.18+): "if (start & ~huge_page_mask(hstate_vma(vma))) return false;"
            return -Errno.EINVAL;
        }
        if (behavior == Madv.FREE) {
            // MADV_FREE works for only anon vma; lazily freed pages go at reclaim, and never while pinned
            return v.isAnonymous() ? 0 : -Errno.EINVAL;
        }
        discard(mm, start, end, behavior == Madv.DONTNEED ? "MADV_DONTNEED" : "MADV_DONTNEED_LOCKED");
        addressSpace.zap(mm, start >>> MemMap.PAGE_SHIFT, end >>> MemMap.PAGE_SHIFT);
        return 0;
    }

    /**
     * madvise_remove(): VM_LOCKED or no file is -EINVAL, a mapping that may not write the file shared -EACCES (6.1+,
     * 5.10.241+: VM_SHARED|VM_MAYWRITE, vma_is_shared_maywrite(); before: VM_SHARED|VM_WRITE); then
     * vfs_fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE) on the file's range (-ENODEV for a device's, -EPERM
     * under a write seal), which on fs-DAX waits for pins.
     */
    private long madviseRemove(VmArea v, long start, long end) {
        if (v.has(VmFlags.VM_LOCKED) || !hasFile(v)) {
            return -Errno.EINVAL;
        }
        long needs = VmFlags.VM_SHARED | (profile.sharedMaywrite ? VmFlags.VM_MAYWRITE : VmFlags.VM_WRITE);
        if ((v.vmFlags & needs) != needs) {
            return -Errno.EACCES;
        }
        if (v.isPfnmap()) {
            // vfs_fallocate(): a device's file (vfio's anon inode, a char device) is neither S_ISREG nor S_ISBLK
            return -Errno.ENODEV;
        }
        if (v.file == null || v.file.undescribed || v.file.fs.type == FsType.OTHER) {
            return UNDECIDED; // whether the filesystem punches holes, and whether the fd was opened for writing
        }
        if (v.file.isSecretmem()) {
            // vfs_fallocate() (5.10-7.2, 6.1 fs/open.c:319, 7.2 :334): "if (!file->f_op->fallocate) return -EOPNOTSUPP;",
            // secretmem's file_operations have none (a fork child's copy of the VMA is not VM_LOCKED, so it gets here)
            return -Errno.EOPNOTSUPP;
        }
        long sealed = Memfd.fallocate(v.file, true, 0);
        if (sealed != 0) {
            return sealed;
        }
        if (Memfd.sealsUnknown(v.file) && ctx.observedIs(-Errno.EPERM)) {
            // shmem_fallocate() (5.10-7.2): a punch under F_SEAL_WRITE or F_SEAL_FUTURE_WRITE, seals the recording
            // does not show (a memfd from before it)
            return UNDECIDED;
        }
        if (!v.file.isFsdax(profile.daxEnabled())) {
            punched(v, start, end);
        }
        long offset = (start - v.start) + (v.pgoff << MemMap.PAGE_SHIFT);
        return truncate.punchHole(v.file, offset, end - start);
    }

    /**
     * faultin_vma_page_range() (5.14 to 6.8, per VMA of the walk): check_vma_flags() without FOLL_FORCE refused is
     * -EINVAL ("incompatible mappings / permissions"), then the pages are faulted in.
     */
    private long faultinVmaPageRange(VmArea v, long start, long end, boolean write) {
        if (checks.checkVmaFlags(v, write ? Foll.WRITE : 0) != 0) {
            return -Errno.EINVAL;
        }
        return faultIn(v, start, end, write);
    }

    /**
     * madvise_populate() through faultin_page_range() (6.9+): from {@code start} on, a hole is -ENOMEM and ends the
     * call, a VMA check_vma_flags() refuses -EINVAL, a fault that fails (SIGBUS, SIGSEGV) -EFAULT.
     */
    private long madvisePopulate(Mm mm, long start, long end, boolean write) {
        while (Long.compareUnsigned(start, end) < 0) {
            VmArea v = mm.vmaLookup(start);
            if (v == null) {
                return -Errno.ENOMEM;
            }
            long tmp = Math.min(end, v.end);
            long r = faultinVmaPageRange(v, start, tmp, write);
            if (r != 0) {
                return r;
            }
            start = tmp;
        }
        return 0;
    }

    /** handle_mm_fault() over {@code [start, end)} of {@code v}; a fault that fails is -EFAULT (madvise_populate()). */
    private long faultIn(VmArea v, long start, long end, boolean write) {
        long vpn = start >>> MemMap.PAGE_SHIFT;
        long last = end >>> MemMap.PAGE_SHIFT;
        PageTable pt = v.mm.pageTable;
        while (vpn < last) {
            int i = pt.indexOf(vpn);
            long e = Math.min(last, pt.end(i));
            long bits = pt.pte(i);
            if ((bits & Pte.PRESENT) == 0 || write && (bits & Pte.WRITE) == 0) {
                long r = faultHandler.handleMmFault(v, vpn, e - vpn, write, false);
                if (r < 0) {
                    return r == -Errno.ENOMEM ? r : -Errno.EFAULT;
                }
                e = vpn + Math.max(1, r);
            }
            vpn = e;
        }
        return 0;
    }

    /**
     * is_valid_guard_vma(): not VM_SPECIAL or hugetlb, not VM_LOCKED for an install; until 6.15 also anonymous
     * and VM_MAYWRITE.
     */
    private boolean isValidGuardVma(VmArea v, boolean allowLocked) {
        long disallowed = VM_SPECIAL | VmFlags.VM_HUGETLB | (allowLocked ? 0 : VmFlags.VM_LOCKED);
        if ((v.vmFlags & disallowed & ~VmFlags.VM_MIXEDMAP) != 0 || special(v) != 0) {
            return false;
        }
        return profile.madvGuardFile || v.isAnonymous() && v.has(VmFlags.VM_MAYWRITE);
    }

    /**
     * VM_SPECIAL of {@code v}: the model marks DAX mappings VM_MIXEDMAP to find their frames, which the kernel
     * stopped doing in 4.15 (e1fb4a086495), so that bit counts only for other mappings.
     */
    private static long special(VmArea v) {
        long s = v.vmFlags & VM_SPECIAL;
        return v.file != null && v.file.isDaxBacked(true) ? s & ~VmFlags.VM_MIXEDMAP : s;
    }

    /** vma->vm_file: a file mapping, shared anonymous memory (shmem) or hugetlb (hugetlbfs, even MAP_ANONYMOUS). */
    private static boolean hasFile(VmArea v) {
        return v.file != null || v.isHugetlb() || v.isPfnmap();
    }

    /**
     * The page-cache folios under {@code [start, end)} of {@code v} that a device user holds pinned while the punch takes
     * them out of the file (shmem_undo_range(), truncate_inode_pages_range(): pinned folios are detached, not waited
     * for), mapped by the task or not: the pin keeps them, the file and the task's next touch get new ones.
     */
    private void punched(VmArea v, long start, long end) {
        long from = v.fileIndex(start >>> MemMap.PAGE_SHIFT);
        long to = from + ((end - start) >>> MemMap.PAGE_SHIFT);
        if (v.file.isHugetlbfs()) {
            // hugetlbfs_punch_hole() (5.10-7.2): "hole_start = round_up(offset, hpage_size); hole_end = round_down(...)",
            // hpage_size = huge_page_size(hstate_inode(inode))
            long huge = v.file.hstate.pages();
            from = (from + huge - 1) & -huge;
            to &= -huge;
        }
        PageCache pc = v.file.pageCache;
        for (int i = pc.indexOf(from); i < pc.size() && pc.start(i) < to; i++) {
            if (!pc.cached(i)) {
                continue;
            }
            long s = Math.max(from, pc.start(i));
            long e = Math.min(to, pc.end(i));
            String holder = registrations.holderOf(pc.pfnAt(i, s), e - s);
            if (holder != null) {
                ctx.violation(ViolationKind.PINNED_PAGE_DISCARDED, holder, "MADV_REMOVE of 0x" + Long.toHexString(start)
                        + "-0x" + Long.toHexString(end) + " punched pages of the file that " + holder
                        + " holds pinned: the device keeps them, the file and the task's next touch get new ones");
                return;
            }
        }
    }

    /**
     * Pages of {@code [start, end)} that a device user holds pinned while the task's PTEs to them are zapped: the
     * pin keeps them, the task's next touch maps other pages, so device and task no longer share that memory. A
     * zap leaves page-cache pages where they are (a punch is {@link #punched}).
     */
    private void discard(Mm mm, long start, long end, String how) {
        PageTable pt = mm.pageTable;
        long from = start >>> MemMap.PAGE_SHIFT;
        long to = end >>> MemMap.PAGE_SHIFT;
        for (int i = pt.indexOf(from); i < pt.size() && pt.start(i) < to; i++) {
            long bits = pt.pte(i);
            if ((bits & Pte.PRESENT) == 0 || (bits & Pte.ANON) == 0) {
                continue; // a zapped page-cache page stays in the page cache: the task faults the same page back
            }
            long s = Math.max(from, pt.start(i));
            long e = Math.min(to, pt.end(i));
            String holder = registrations.holderOf(pt.pfnAt(i, s), e - s);
            if (holder != null) {
                ctx.violation(ViolationKind.PINNED_PAGE_DISCARDED, holder, how + " of 0x" + Long.toHexString(start)
                        + "-0x" + Long.toHexString(end) + " dropped the task's pages that " + holder
                        + " holds pinned: the device keeps them, the task's next touch faults in new ones");
                return;
            }
        }
    }
}
