package pinreplay.replay.kernel;

/** How FOLL_PIN is counted in a folio (mm/gup.c try_grab_folio(), gup_put_folio(); include/linux/mm.h GUP_PIN_COUNTING_BIAS). */
public enum PinCounting {
    /** Before 5.6 there is no FOLL_PIN at all. */
    NO_PIN_API,
    /** 5.6: a pin is an ordinary reference. */
    REFERENCE,
    /** 5.7+: GUP_PIN_COUNTING_BIAS for small folios, _pincount for large ones. */
    BIAS
}
