package pinreplay.replay.mm;

import pinreplay.replay.EventContext;
import pinreplay.format.EventType;
import pinreplay.replay.cred.Creds;
import pinreplay.replay.cred.TaskCreds;
import pinreplay.replay.cred.UserStruct;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.PageCache;
import pinreplay.replay.kernel.Profile;

/**
 * mm/secretmem.c's RLIMIT_MEMLOCK accounting where the profile has it ({@link Profile#secretmemAccountsFaults}):
 * secretmem_fault() charges each folio it allocates to the file creator's {@code user->locked_vm} against the faulting
 * task's limit, with no CAP_IPC_LOCK exemption, and secretmem_release() gives all of it back when the file's last
 * reference goes (its fds and the VMAs that map it).
 */
public final class Secretmem {
    private final Profile profile;
    private final EventContext ctx;
    private final TaskCreds creds;
    /** Refusals that rested on an unknown: the limit, or charges to the user that may not be there. */
    private long uncertainRefusals;

    public Secretmem(Profile profile, EventContext ctx, TaskCreds creds) {
        this.profile = profile;
        this.ctx = ctx;
        this.creds = creds;
    }

    /** secretmem_init_inode_priv() (6.12.117, 7.2): {@code state->user = get_uid(current_user())}. */
    public void fileCreate(Inode inode, int pid) {
        if (profile.secretmemAccountsFaults) {
            inode.secretmem = new SecretmemInodeState(creds.userOf(creds.of(pid)));
        }
    }

    /**
     * secretmem_fault() (6.12.117 mm/secretmem.c:137, 7.2 :136) over the file pages {@code [idx, idx + n)}: a page the
     * page cache lacks is a new folio charged by secretmem_account_folio(); __secretmem_account_pages() (:57) refuses
     * once {@code user->locked_vm + 1 > rlimit(RLIMIT_MEMLOCK)} and the fault is VM_FAULT_SIGBUS. Returns the pages
     * before the first refused one. A fault the recording shows done (the CPU's) was not refused: an unknown charge
     * or limit explains it, and the model says so.
     */
    public long account(Inode inode, long idx, long n) {
        if (!profile.secretmemAccountsFaults) {
            return n;
        }
        Creds current = creds.of(ctx.pid);
        SecretmemInodeState state = inode.secretmem;
        if (state == null) {
            // a file the recording showed only by its inode: its creator is taken to be the task that faults it
            state = inode.secretmem = new SecretmemInodeState(creds.userOf(current));
        }
        long missing = uncached(inode.pageCache, idx, n);
        if (missing == 0) {
            return n;
        }
        UserStruct user = state.user;
        long room = Math.max(0, current.limitPages() - user.lockedVm);
        long charged = Math.min(missing, room);
        if (charged < missing && ctx.event == EventType.FAULT) {
            ctx.assume("RLIMIT_MEMLOCK above the model's, or user->locked_vm lower (secretmem_fault() charged what "
                    + "the recording shows faulted)");
            charged = missing;
        } else if (charged < missing && (!current.rlimitKnown || user.chargesUncertain)) {
            uncertainRefusals++;
        }
        user.lockedVm += charged;
        state.nrPagesAccounted += charged;
        return charged == missing ? n : uncachedPrefix(inode.pageCache, idx, n, charged);
    }

    /** How many refusals rested on an unknown so far: a copy that saw this change stopped at an uncertain one. */
    public long uncertainRefusals() {
        return uncertainRefusals;
    }

    /** A file descriptor now refers to secretmem file {@code inode} (memfd_secret(), dup(), fork()). */
    public void fdGet(Inode inode) {
        if (inode.secretmem != null) {
            inode.secretmem.fdRefs++;
        }
    }

    /** A file descriptor of secretmem file {@code inode} closed (close(), exit_files()): fput(). */
    public void fdPut(Inode inode) {
        if (inode.secretmem != null) {
            inode.secretmem.fdRefs--;
            releaseIfUnused(inode);
        }
    }

    /** remove_vma() dropped a VMA of secretmem file {@code inode}: fput(vma->vm_file). */
    public void vmaClosed(Inode inode) {
        if (inode.secretmem != null) {
            releaseIfUnused(inode);
        }
    }

    /**
     * secretmem_release() → secretmem_destroy_inode_priv() (6.12.117 :190, 7.2 :188) at the last fput():
     * secretmem_unaccount_all_folios() gives back every page the file charged.
     */
    private static void releaseIfUnused(Inode inode) {
        SecretmemInodeState state = inode.secretmem;
        if (state.fdRefs <= 0 && inode.mappings.isEmpty() && state.nrPagesAccounted > 0) {
            state.user.lockedVm -= state.nrPagesAccounted;
            state.nrPagesAccounted = 0;
        }
    }

    /** The pages of {@code [idx, idx + n)} the page cache lacks. */
    private static long uncached(PageCache pc, long idx, long n) {
        long missing = 0;
        for (int i = pc.indexOf(idx); i < pc.size() && pc.start(i) < idx + n; i++) {
            if (!pc.cached(i)) {
                missing += Math.min(idx + n, pc.end(i)) - Math.max(idx, pc.start(i));
            }
        }
        return missing;
    }

    /** The length of the prefix of {@code [idx, idx + n)} that holds {@code charged} pages the page cache lacks. */
    private static long uncachedPrefix(PageCache pc, long idx, long n, long charged) {
        long left = charged;
        for (int i = pc.indexOf(idx); i < pc.size() && pc.start(i) < idx + n; i++) {
            long s = Math.max(idx, pc.start(i));
            long e = Math.min(idx + n, pc.end(i));
            if (!pc.cached(i)) {
                if (e - s > left) {
                    return s + left - idx;
                }
                left -= e - s;
            }
        }
        return n;
    }
}
