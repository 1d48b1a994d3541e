package pinreplay.replay.kernel;

/** Which GUP call ib_umem_get() uses for an RDMA memory registration. */
public enum RdmaPin {
    /** Before 4.15: get_user_pages(), no long-term semantics. */
    GET_USER_PAGES,
    /** 4.15-5.1: get_user_pages_longterm(). */
    GET_USER_PAGES_LONGTERM,
    /** 5.2-5.5: get_user_pages(FOLL_LONGTERM) references. */
    FOLL_LONGTERM_GET,
    /** 5.6+: pin_user_pages_fast(FOLL_LONGTERM). */
    PIN_USER_PAGES_FAST
}
