package pinreplay.format.parse;

import pinreplay.format.EventType;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.ValueType;

/**
 * The syscalls events ({@code syscalls:sys_enter_NAME}, {@code sys_exit_NAME}) in both printings:
 * ftrace's own (kernel/trace/trace_syscalls.c print_syscall_enter()/print_syscall_exit():
 * {@code sys_mmap(addr: 0, len: 2000, ...)} and {@code sys_mmap -> 0x7f0000000000}, hex without
 * or with {@code 0x}) and libtraceevent's, from the events' print fmt ({@code sys_enter_mmap: addr:
 * 0x00000000, len: 0x00002000, ...} and {@code sys_exit_mmap: 0x7f0000000000}). A record carries
 * {@link Field#SYSCALL} (the name without prefix), then the arguments in order, or {@link Field#RET}.
 */
final class SyscallDecoder {
    private static final byte[] SYS = Bytes.ascii("sys_");
    private static final byte[] SYS_ENTER = Bytes.ascii("sys_enter_");
    private static final byte[] SYS_EXIT = Bytes.ascii("sys_exit_");
    private static final byte[] ARROW = Bytes.ascii(" -> ");

    private final EventWriter out;
    private final SymbolCache symbols;
    private final Value v = new Value();

    SyscallDecoder(EventWriter out, SymbolCache symbols) {
        this.out = out;
        this.symbols = symbols;
    }

    /** The record type of an ftrace-printed syscall event {@code b[q, to)}, or null when it is none. */
    static EventType ftraceForm(byte[] b, int q, int to) {
        if (!Bytes.startsWith(b, q, to, SYS)) {
            return null;
        }
        int n = Bytes.nameEnd(b, q, to);
        if (n < to && b[n] == '(' && b[to - 1] == ')') {
            return EventType.SYSCALL_ENTER;
        }
        return Bytes.startsWith(b, n, to, ARROW) ? EventType.SYSCALL_EXIT : null;
    }

    /** The record type of a libtraceevent-printed event named {@code b[q, n)}, or null when it is no syscall event. */
    static EventType namedForm(byte[] b, int q, int n) {
        return Bytes.startsWith(b, q, n, SYS_ENTER) && n > q + SYS_ENTER.length ? EventType.SYSCALL_ENTER
                : Bytes.startsWith(b, q, n, SYS_EXIT) && n > q + SYS_EXIT.length ? EventType.SYSCALL_EXIT : null;
    }

    /** Fills the open record from {@code sys_NAME(args)} or {@code sys_NAME -> 0xRET} at {@code b[q, to)}. */
    boolean ftrace(EventType t, byte[] b, int q, int to) {
        int n = Bytes.nameEnd(b, q, to);
        symbols.field(Field.SYSCALL, b, q + SYS.length, n);
        if (t == EventType.SYSCALL_ENTER) {
            return args(b, n + 1, to - 1);
        }
        return ret(b, n + ARROW.length, to);
    }

    /** Fills the open record from {@code sys_enter_NAME: arg: 0x.., ...} or {@code sys_exit_NAME: 0x..}. */
    boolean named(EventType t, byte[] b, int q, int n, int payload, int to) {
        int prefix = t == EventType.SYSCALL_ENTER ? SYS_ENTER.length : SYS_EXIT.length;
        symbols.field(Field.SYSCALL, b, q + prefix, n);
        symbols.field(Field.EVENT_NAME, b, q, n);
        return t == EventType.SYSCALL_ENTER ? args(b, payload, to) : ret(b, payload, to);
    }

    /** {@code key: value, key: value}; values hex, with or without {@code 0x}. */
    private boolean args(byte[] b, int from, int to) {
        int i = Bytes.skipSpaces(b, from, to);
        while (i < to) {
            int colon = Bytes.indexOf(b, i, to, (byte) ':');
            if (colon <= i || colon + 1 >= to || b[colon + 1] != ' ' || out.fieldCount() == EventWriter.MAX_FIELDS) {
                return false;
            }
            int vFrom = colon + 2;
            int e = Bytes.indexOf(b, vFrom, to, (byte) ',');
            int vTo = e < 0 ? to : e;
            if (!(v.hex0x(b, vFrom, vTo) || v.hexBare(b, vFrom, vTo))) {
                return false;
            }
            int k = FieldKeys.ordinal(b, i, colon);
            if (k >= 0) {
                out.field(k, ValueType.HEX, v.value);
            } else {
                out.unknownField(b, i, colon, ValueType.HEX, v.value);
            }
            i = e < 0 ? to : Bytes.skipSpaces(b, e + 1, to);
        }
        return true;
    }

    /** The return value: {@code 0x%lx} of a long, so -14 prints as {@code 0xfffffffffffffff2}. */
    private boolean ret(byte[] b, int from, int to) {
        from = Bytes.skipSpaces(b, from, to);
        if (!(v.hex0x(b, from, to) || v.dec(b, from, to) || v.hexBare(b, from, to)) || v.end != to) {
            return false;
        }
        long r = v.value;
        out.field(Field.RET, r < 0 && r >= -4095 ? ValueType.DEC : ValueType.HEX, r);
        return true;
    }
}
