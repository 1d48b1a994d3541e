package pinreplay.replay.kernel;

/**
 * What truncate and punch-hole do to DAX blocks that are still pinned: the four options of Dan Williams'
 * 2017 mail (seed 001) plus the pre-4.18 behaviour.
 */
public enum DaxTruncate {
    /** Pre-4.18: the blocks are freed under DMA and may be reallocated to another file. */
    NONE,
    /** Option 1: fail with -EBUSY while any block may be under DMA. */
    FAIL,
    /** Option 2, what merged (xfs 4.18, ext4 4.19): sleep until the pins drop. */
    WAIT,
    /** Option 3: move the blocks to a lost+found-like inode until the pins drop. */
    REMAP,
    /** Option 4: the file is not DAX; page cache semantics. */
    NODAX;
}
