package pinreplay.format.parse;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * x86-64 system call numbers to names (arch/x86/entry/syscalls/syscall_64.tbl), for raw_syscalls' {@code NR %ld}:
 * the name a {@code syscalls:sys_enter_NAME} event would carry. The table is 7.2's; no release renumbers a call.
 */
final class SyscallTable {
    /** arch/x86/include/uapi/asm/unistd.h __X32_SYSCALL_BIT: an x32 task's numbers carry it. */
    private static final long X32_SYSCALL_BIT = 0x40000000L;
    private static final byte[][] NAMES = load();

    private SyscallTable() {
    }

    /** The name of call {@code nr}, or null when the table has none (a 32-bit task's numbers are another table's). */
    static byte[] name(long nr) {
        long n = nr & ~X32_SYSCALL_BIT;
        return n >= 0 && n < NAMES.length ? NAMES[(int) n] : null;
    }

    private static byte[][] load() {
        byte[][] names = new byte[1024][];
        int max = 0;
        try (InputStream in = SyscallTable.class.getResourceAsStream("syscall_64.tbl");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("#")) {
                    continue;
                }
                int sp = line.indexOf(' ');
                int nr = Integer.parseInt(line.substring(0, sp));
                names[nr] = Bytes.ascii(line.substring(sp + 1));
                max = Math.max(max, nr + 1);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return java.util.Arrays.copyOf(names, max);
    }
}
