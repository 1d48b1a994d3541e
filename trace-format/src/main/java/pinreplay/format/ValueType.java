package pinreplay.format;

/**
 * How a field value is stored and printed back. Every value is a 64-bit long; the type says how
 * to read it, so formatting a record and parsing the text again gives the same bytes.
 */
public final class ValueType {
    /** Decimal integer ({@code 42}, {@code -3}). */
    public static final byte DEC = 0;
    /** Hexadecimal with {@code 0x} prefix. */
    public static final byte HEX = 1;
    /** Bare hexadecimal, as kprobe arguments and some tracepoints print ({@code ffff}). */
    public static final byte HEX_BARE = 2;
    /** A negative errno printed by name ({@code -EOPNOTSUPP}); the value is the negative number. */
    public static final byte ERRNO = 3;
    /** A word or token, stored as a symbol id ({@link SymbolTable}). */
    public static final byte SYM = 4;
    /** FOLL_* flags given by name, stored as a {@link Foll} canonical bit mask. */
    public static final byte FOLL = 5;
    /** {@code true} / {@code false}. */
    public static final byte BOOL = 6;
    /** A hashed kernel pointer ({@code %p}: 16 hex digits, no prefix); value is the number. */
    public static final byte PTR = 7;
    /** Major:minor device number ({@code 253:6}); value is {@code major << 32 | minor}. */
    public static final byte DEVNO = 8;

    private ValueType() {
    }
}
