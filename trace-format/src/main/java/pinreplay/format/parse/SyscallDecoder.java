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
 *
 * <p>7.2's printer adds to a user-memory argument its bytes ({@code buf: 0x7f.. (61:62:.., ...) "ab"...}) or its
 * string ({@code filename: 140736113834864 "/mnt/f"}), prints a value below 10 in decimal, and prints openat()
 * its own way (sys_enter_openat_print(): {@code dfd} and {@code filename} {@code %lu}, {@code flags} as O_ names,
 * {@code mode} octal); without {@code options/verbose}, as {@code pinreplay record} leaves it. Its print fmt
 * (__set_enter_print_fmt(), sys_enter_openat_print_fmt()) gives {@code trace-cmd report} the same pieces in
 * {@code 0x%08lx} ({@code dfd: 0xffffff9c, filename: 0x005b050f "/dev/null", flags: O_RDWR, mode: 0000}), and a user
 * buffer as {@code __print_dynamic_array()}, which libtraceevent 1.7 does not know: it prints such an event's fields
 * ({@code [FAILED TO PARSE] __syscall_nr=18 fd=4 buf=0x10cc6710 count=65536 pos=0 __buf_val=aaaa}).
 */
final class SyscallDecoder {
    private static final byte[] SYS = Bytes.ascii("sys_");
    private static final byte[] SYS_ENTER = Bytes.ascii("sys_enter_");
    private static final byte[] SYS_EXIT = Bytes.ascii("sys_exit_");
    private static final byte[] ARROW = Bytes.ascii(" -> ");
    private static final byte[] OPENAT = Bytes.ascii("openat");
    private static final byte[] FLAGS_NAMED = Bytes.ascii("flags: O_");
    private static final byte[] MODE = Bytes.ascii("mode");
    private static final byte[] EXTRA = Bytes.ascii("...");
    private static final byte[] ARGS_EXTRA = Bytes.ascii(", ...");
    private static final byte[] RAW_ENTER = Bytes.ascii("sys_enter");
    private static final byte[] RAW_EXIT = Bytes.ascii("sys_exit");
    private static final byte[] NR = Bytes.ascii("NR ");
    private static final byte[] EQUALS = Bytes.ascii(" = ");
    /** libtraceevent's pretty_print() of an event whose print fmt it could not parse: its fields follow. */
    private static final byte[] FAILED = Bytes.ascii("[FAILED TO PARSE] ");
    private static final byte[] SYSCALL_NR = Bytes.ascii("__syscall_nr");
    /** raw_syscalls' fields (include/trace/events/syscalls.h): {@code id}, {@code args[6]}. */
    private static final byte[] ID = Bytes.ascii("id");
    private static final byte[][] ARGS = {Bytes.ascii("args[0]"), Bytes.ascii("args[1]"), Bytes.ascii("args[2]"),
        Bytes.ascii("args[3]"), Bytes.ascii("args[4]"), Bytes.ascii("args[5]")};
    /** sys_enter_openat_print()'s __flags[], x86-64 values (include/uapi/asm-generic/fcntl.h), and O_RDONLY. */
    private static final byte[][] O_NAMES = {Bytes.ascii("O_RDONLY"), Bytes.ascii("O_TMPFILE"), Bytes.ascii("O_WRONLY"),
        Bytes.ascii("O_RDWR"), Bytes.ascii("O_CREAT"), Bytes.ascii("O_EXCL"), Bytes.ascii("O_NOCTTY"),
        Bytes.ascii("O_TRUNC"), Bytes.ascii("O_APPEND"), Bytes.ascii("O_NONBLOCK"), Bytes.ascii("O_DSYNC"),
        Bytes.ascii("O_DIRECT"), Bytes.ascii("O_LARGEFILE"), Bytes.ascii("O_DIRECTORY"), Bytes.ascii("O_NOFOLLOW"),
        Bytes.ascii("O_NOATIME"), Bytes.ascii("O_CLOEXEC")};
    private static final long[] O_VALUES = {0, 0x410000, 0x1, 0x2, 0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000,
        0x4000, 0x8000, 0x10000, 0x20000, 0x40000, 0x80000};

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

    /** The record type of raw_syscalls' {@code sys_enter}, {@code sys_exit} named {@code b[q, n)}, or null. */
    static EventType rawForm(byte[] b, int q, int n) {
        return Bytes.equals(b, q, n, RAW_ENTER) ? EventType.SYSCALL_ENTER
                : Bytes.equals(b, q, n, RAW_EXIT) ? EventType.SYSCALL_EXIT : null;
    }

    /**
     * Fills the open record from raw_syscalls' {@code NR %ld (%lx, %lx, %lx, %lx, %lx, %lx)} or {@code NR %ld = %ld}
     * (TP_printk of include/trace/events/syscalls.h, every release): the name the x86-64 table gives the number, the
     * event's name, the six arguments or the return, then {@code id}. A number without a name keeps no
     * {@link Field#SYSCALL}: a call the model passes through.
     */
    boolean raw(EventType t, byte[] b, int q, int n, int payload, int to) {
        if (!Bytes.startsWith(b, payload, to, NR)) {
            return false;
        }
        int p = payload + NR.length;
        int e = p < to && b[p] == '-' ? p + 1 : p;
        e = Bytes.skipDigits(b, e, to);
        if (!v.dec(b, p, e)) {
            return false;
        }
        long id = v.value;
        byte[] name = SyscallTable.name(id);
        if (name != null) {
            symbols.field(Field.SYSCALL, name, 0, name.length);
        }
        symbols.field(Field.EVENT_NAME, b, q, n);
        if (t == EventType.SYSCALL_ENTER) {
            if (e + 2 >= to || b[e] != ' ' || b[e + 1] != '(' || b[to - 1] != ')') {
                return false;
            }
            int i = e + 2;
            for (int a = 0; a < ARGS.length; a++) {
                int end = Bytes.indexOf(b, i, to - 1, a == ARGS.length - 1 ? (byte) ')' : (byte) ',');
                int vTo = end < 0 ? to - 1 : end;
                if (end < 0 && a < ARGS.length - 1 || !v.hexBare(b, i, vTo) || v.end != vTo) {
                    return false;
                }
                out.unknownField(ARGS[a], 0, ARGS[a].length, ValueType.HEX_BARE, v.value);
                i = Bytes.skipSpaces(b, vTo + 1, to);
            }
        } else {
            if (!Bytes.startsWith(b, e, to, EQUALS) || !v.dec(b, e + EQUALS.length, to) || v.end != to) {
                return false;
            }
            out.field(Field.RET, ValueType.DEC, v.value);
        }
        out.unknownField(ID, 0, ID.length, ValueType.DEC, id);
        return true;
    }

    /** Fills the open record from {@code sys_NAME(args)} or {@code sys_NAME -> 0xRET} at {@code b[q, to)}. */
    boolean ftrace(EventType t, byte[] b, int q, int to) {
        int n = Bytes.nameEnd(b, q, to);
        symbols.field(Field.SYSCALL, b, q + SYS.length, n);
        if (t == EventType.SYSCALL_ENTER) {
            return args(b, n + 1, to - 1, openat72(b, q + SYS.length, n, n + 1, to - 1));
        }
        return ret(b, n + ARROW.length, to);
    }

    /** Fills the open record from {@code sys_enter_NAME: arg: 0x.., ...} or {@code sys_exit_NAME: 0x..}. */
    boolean named(EventType t, byte[] b, int q, int n, int payload, int to) {
        int prefix = t == EventType.SYSCALL_ENTER ? SYS_ENTER.length : SYS_EXIT.length;
        symbols.field(Field.SYSCALL, b, q + prefix, n);
        symbols.field(Field.EVENT_NAME, b, q, n);
        if (t == EventType.SYSCALL_ENTER && Bytes.startsWith(b, payload, to, FAILED)) {
            return fields(b, payload + FAILED.length, to);
        }
        return t == EventType.SYSCALL_ENTER
                ? args(b, payload, to, openat72(b, q + prefix, n, payload, to)) : ret(b, payload, to);
    }

    /**
     * The fields libtraceevent prints of an event it could not format ({@code name=value}, a pointer {@code 0x%llx},
     * a number decimal): {@code __syscall_nr=} (skipped), the arguments in order,
     * then the user memory's {@code __ARG_val=} fields, whose text is the memory's and ends the record.
     */
    private boolean fields(byte[] b, int from, int to) {
        int i = Bytes.skipSpaces(b, from, to);
        while (i < to) {
            int eq = Bytes.indexOf(b, i, to, (byte) '=');
            if (eq <= i || out.fieldCount() == EventWriter.MAX_FIELDS) {
                return false;
            }
            int vTo = Bytes.tokenEnd(b, eq + 1, to);
            if (b[i] == '_' && eq > i + 1 && b[i + 1] == '_') {
                if (!Bytes.equals(b, i, eq, SYSCALL_NR)) {
                    return true;
                }
            } else if (v.hex0x(b, eq + 1, vTo) || v.dec(b, eq + 1, vTo)) {
                int k = FieldKeys.ordinal(b, i, eq);
                if (k >= 0) {
                    out.field(k, ValueType.HEX, v.value);
                } else {
                    out.unknownField(b, i, eq, ValueType.HEX, v.value);
                }
            } else {
                return false;
            }
            i = Bytes.skipSpaces(b, vTo, to);
        }
        return true;
    }

    /** Whether the call {@code b[q, n)} is openat() as 7.2 prints it by default: {@code flags} as O_ names. */
    private static boolean openat72(byte[] b, int q, int n, int from, int to) {
        if (n - q != OPENAT.length || !Bytes.startsWith(b, q, n, OPENAT)) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] == 'f' && Bytes.startsWith(b, i, to, FLAGS_NAMED)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code key: value, key: value}; values hex, with or without {@code 0x}, each maybe followed by its user memory;
     * with {@code openat72}, decimal, O_ names and an octal mode.
     */
    private boolean args(byte[] b, int from, int to, boolean openat72) {
        int i = Bytes.skipSpaces(b, from, to);
        while (i < to) {
            int colon = Bytes.indexOf(b, i, to, (byte) ':');
            if (colon <= i || colon + 1 >= to || b[colon + 1] != ' ' || out.fieldCount() == EventWriter.MAX_FIELDS) {
                return false;
            }
            int vFrom = colon + 2;
            int vTo = vFrom;
            while (vTo < to && b[vTo] != ',' && b[vTo] != ' ') {
                vTo++;
            }
            if (!(openat72 ? openatValue(b, i, colon, vFrom, vTo) : v.hex0x(b, vFrom, vTo) || v.hexBare(b, vFrom, vTo))) {
                return false;
            }
            int k = FieldKeys.ordinal(b, i, colon);
            if (k >= 0) {
                out.field(k, ValueType.HEX, v.value);
            } else {
                out.unknownField(b, i, colon, ValueType.HEX, v.value);
            }
            int e = userMemoryEnd(b, vTo, to);
            if (e < 0 || e < to && b[e] != ',') {
                return false;
            }
            i = e == to ? to : Bytes.skipSpaces(b, e + 1, to);
        }
        return true;
    }

    /** sys_enter_openat_print()'s {@code %lu}, {@code O_RDWR|O_DIRECT} (an unnamed rest as {@code 0x..}), {@code 0%03o}. */
    private boolean openatValue(byte[] b, int key, int keyEnd, int from, int to) {
        if (from < to && b[from] == 'O') {
            long bits = 0;
            for (int i = from; i < to; ) {
                int bar = Bytes.indexOf(b, i, to, (byte) '|');
                int e = bar < 0 ? to : bar;
                int name = oName(b, i, e);
                if (name >= 0) {
                    bits |= O_VALUES[name];
                } else if (v.hex0x(b, i, e)) {
                    bits |= v.value;
                } else {
                    return false;
                }
                i = e + 1;
            }
            v.value = bits;
            return true;
        }
        if (keyEnd - key == MODE.length && Bytes.startsWith(b, key, keyEnd, MODE)) {
            long mode = 0;
            for (int i = from; i < to; i++) {
                if (b[i] < '0' || b[i] > '7') {
                    return false;
                }
                mode = mode << 3 | (b[i] - '0');
            }
            v.value = mode;
            return to > from;
        }
        return v.dec(b, from, to) || v.hex0x(b, from, to); // the print fmt's 0x%08lx (trace-cmd report)
    }

    private static int oName(byte[] b, int from, int to) {
        for (int n = 0; n < O_NAMES.length; n++) {
            if (to - from == O_NAMES[n].length && Bytes.startsWith(b, from, to, O_NAMES[n])) {
                return n;
            }
        }
        return -1;
    }

    /**
     * Where an argument's user memory ends, as 7.2's print_syscall_enter() appends it: {@code " (61:62:..[, ...])"}
     * then, when a byte is printable, {@code " \"ab.\""} of exactly those bytes, maybe {@code "..."}; or a string
     * {@code " \"%.*s\""}, up to the quote before {@code ", "} or the end. {@code p} when there is none, -1 when
     * malformed.
     */
    private static int userMemoryEnd(byte[] b, int p, int to) {
        if (p + 1 >= to || b[p] != ' ') {
            return p;
        }
        if (b[p + 1] == '(') {
            int q = p + 2;
            int bytes = 0;
            while (q + 1 < to && Character.digit(b[q], 16) >= 0 && Character.digit(b[q + 1], 16) >= 0) {
                bytes++;
                q += 2;
                if (q < to && b[q] == ':') {
                    q++;
                }
            }
            if (Bytes.startsWith(b, q, to, ARGS_EXTRA)) {
                q += ARGS_EXTRA.length;
            }
            if (q >= to || b[q] != ')') {
                return -1;
            }
            q++;
            if (q + 1 < to && b[q] == ' ' && b[q + 1] == '"') {
                q += 2 + bytes;
                if (q >= to || b[q] != '"') {
                    return -1;
                }
                q++;
                if (Bytes.startsWith(b, q, to, EXTRA)) {
                    q += EXTRA.length;
                }
            }
            return q;
        }
        if (b[p + 1] == '"') {
            for (int q = p + 2; q < to; q++) {
                if (b[q] == '"' && (q + 1 == to || b[q + 1] == ',')) {
                    return q + 1;
                }
            }
            return -1;
        }
        return p;
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
