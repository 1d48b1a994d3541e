package pinreplay.replay.kernel;

/** What a FOLL_LONGTERM pin does with pages in ZONE_MOVABLE or CMA. */
public enum LongtermMigration {
    /** Before ~5.1: nothing, they are pinned where they are. */
    NONE,
    /** ~5.1-5.12 check_and_migrate_cma_pages(): CMA pages migrated; a failure pins them anyway. */
    CMA_PIN_ON_FAILURE,
    /** 5.10.y from 5.10.38 check_and_migrate_cma_pages(): CMA pages migrated; a failure is -ENOMEM. */
    CMA_OR_ENOMEM,
    /** ~5.13+ check_and_migrate_movable_pages(): movable and CMA pages migrated; a failure is -ENOMEM. */
    MOVABLE_OR_ENOMEM
}
