package pinreplay.replay.mm;

import pinreplay.replay.cred.UserStruct;

/** struct secretmem_inode_state (mm/secretmem.c, 6.12.117 and 7.2): the charge a secretmem file holds. */
public final class SecretmemInodeState {
    /** {@code state->user}: the creator's user_struct, whose locked_vm the faults charge. */
    final UserStruct user;
    /** {@code nr_pages_accounted}. */
    long nrPagesAccounted;
    /** The file descriptors referring to the file (with its VMAs, its f_count). */
    int fdRefs;

    SecretmemInodeState(UserStruct user) {
        this.user = user;
    }
}
