package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;

/**
 * 7.2's syscall printer (kernel/trace/trace_syscalls.c): openat() by sys_enter_openat_print() ({@code %lu}, the path,
 * flags as O_ names, an octal mode), and a user buffer's bytes after its pointer, hex then text, whatever the text
 * holds (a colon, a comma, a quote).
 */
class Syscalls72LinesTest {
    private static final String P = "              sh-299     (    299) [001] .....    36.5193";
    private static final String TRACE = String.join("\n",
            P + "76: sys_openat(dfd: 4294967196, filename: 195597744 \"/sys/kernel/tracing/instances/pinreplay/events/"
                    + "syscalls/sys_exi...\", flags: O_WRONLY|O_CREAT|O_TRUNC, mode: 0666)",
            P + "77: sys_openat(dfd: 4294967196, filename: 140736113834864 \"/mnt/ext4/dioinv\", flags:"
                    + " O_RDWR|O_DIRECT|O_CLOEXEC)",
            P + "78: sys_openat(dfd: 3, filename: 140736113834864 \"a, b\", flags: O_RDONLY)",
            P + "79: sys_openat(dfd: 3, filename: 140736113834864 \"x\", flags: O_RDONLY|O_DIRECT|0x100000)",
            P + "80: sys_write(fd: 1, buf: 0x7d0f580 (31:32:3a:33:30:2c:20:22:61:22:3a, ...) \"12:30, \"a\":\"..., count: 0x1000)",
            P + "81: sys_write(fd: 5, buf: 0x7d0f580 (00:01), count: 2)",
            P + "82: sys_pwrite64(fd: 5, buf: 0x7d0f580 (61:62) \"ab\", count: 2, pos: 0x2000)",
            P + "83: sys_enter_openat: dfd: 4294967196, filename: 140736113834864 \"/mnt/f\", flags: O_RDWR|O_DIRECT",
            "");

    @Test
    void openatFlagsByName() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(EventType.SYSCALL_ENTER, p.atLine(1).type());
        assertEquals(0x241, p.atLine(1).f("flags").value());
        assertEquals(0666, p.atLine(1).f("mode").value());
        assertEquals(4294967196L, p.atLine(1).f("dfd").value());
        assertEquals(0x84002, p.atLine(2).f("flags").value());
        assertEquals(140736113834864L, p.atLine(2).f("filename").value());
        assertEquals(0, p.atLine(3).f("flags").value());
        assertEquals(0x104000, p.atLine(4).f("flags").value());
        assertEquals(0x4002, p.atLine(8).f("flags").value());
    }

    @Test
    void aUserBufferIsSkippedWhateverItsTextHolds() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(EventType.SYSCALL_ENTER, p.atLine(5).type());
        assertEquals(0x1000, p.atLine(5).f("count").value());
        assertEquals(2, p.atLine(6).f("count").value());
        assertEquals(0x2000, p.atLine(7).f("pos").value());
        assertEquals(0x7d0f580, p.atLine(7).f("buf").value());
    }
}
