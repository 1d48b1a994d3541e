package pinreplay.replay.kernel;

/** How FOLL_PIN is counted in a folio (KERNEL-NOTES 1.3). */
public enum PinCounting {
    /** Before 5.6 there is no FOLL_PIN at all. */
    NO_PIN_API,
    /** 5.6: a pin is an ordinary reference. */
    REFERENCE,
    /** 5.7+: GUP_PIN_COUNTING_BIAS for small folios, _pincount for large ones. */
    BIAS
}
