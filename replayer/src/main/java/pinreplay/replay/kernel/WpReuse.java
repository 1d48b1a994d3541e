package pinreplay.replay.kernel;

/** When mm/memory.c do_wp_page() may reuse a write-protected anonymous page instead of copying it. */
public enum WpReuse {
    /** reuse_swap_page(): only one mm maps it, whatever else holds references (until 5.8). */
    MAPCOUNT,
    /** page_count() == 1: nothing else holds it, pins included (5.9 to 5.18, 09854ba94c6a). */
    REFCOUNT,
    /** PageAnonExclusive(), or a refcount of 1 (5.19+, 6c287605fd56). */
    EXCLUSIVE
}
