package pinreplay.campaign;

/**
 * One violation, stall or divergence from an outcome record.
 *
 * @param line   the trace line it points at (0 when the record has none)
 * @param what   the violation kind, the stalled event, or the diverging call
 * @param handle the registration(s) involved, or ""
 * @param detail the record's explanation ({@code detail}, or built from the stall or divergence fields)
 */
public record Finding(long line, String what, String handle, String detail) {
}
