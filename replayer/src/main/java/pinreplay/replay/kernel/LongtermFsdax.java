package pinreplay.replay.kernel;

/** How a FOLL_LONGTERM pin treats an fsdax VMA. */
public enum LongtermFsdax {
    /** Before 4.15 (or {@code longterm-fsdax=allow}): pinned like any page. */
    ALLOW,
    /** 4.15-5.10: get_user_pages_longterm() / check_dax_vmas() pin, then release all and fail. */
    AFTER_PIN,
    /** 5.11+: check_vma_flags() fails before pinning. */
    BEFORE_PIN
}
