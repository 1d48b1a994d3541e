package pinreplay.replay.cred;

/**
 * A user_struct (kernel/user.c): one per uid, shared by every task of that real uid. io_uring charges its
 * {@code locked_vm}; other processes of the uid may hold charges the recording never shows, so its count is what the
 * model saw charged, on top of an unknown base unless a memlock line declared it ({@code user_locked_vm=}).
 */
public final class UserStruct {
    /** The user of tasks whose real uid is unknown. */
    public static final long UNKNOWN_UID = -1;
    public final long uid;
    /** Pages charged to {@code user->locked_vm} that the model knows of. */
    public long lockedVm;
    /** Whether {@link #lockedVm} is all of it. */
    public boolean known;
    /** Whether some of {@link #lockedVm} may not be there: io_uring charged it for a creator whose CAP_IPC_LOCK was unknown. */
    public boolean chargesUncertain;

    UserStruct(long uid) {
        this.uid = uid;
    }
}
