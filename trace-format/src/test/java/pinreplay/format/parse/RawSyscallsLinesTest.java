package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventType;

/**
 * raw_syscalls' sys_enter and sys_exit (include/trace/events/syscalls.h: {@code NR %ld (%lx, ..)} and
 * {@code NR %ld = %ld}): the call named by the x86-64 table, its six arguments in order, its signed return.
 */
class RawSyscallsLinesTest {
    private static final String TRACE = """
            # tracer: nop
                        prog-300     [000] .....   100.000001: sys_enter: NR 9 (0, 10000, 3, 22, ffffffffffffffff, 0)
                        prog-300     [000] .....   100.000002: sys_exit: NR 9 = 139637976727552
                        prog-300     [000] .....   100.000003: sys_exit: NR 11 = -22
                        prog-300 [000]   100.000004: sys_enter:            NR 1073741825 (1, 7ffd0000, 4, 0, 0, 0)
                        prog-300 [000]   100.000005: sys_enter:            NR 999 (1, 2, 3, 4, 5, 6)
                        prog-300 [000]   100.000006: sys_enter:            NR 9 (0, 10000)
                        prog-300 [000]   100.000007: sys_exit:             NR -1 = -38
            """;

    @Test
    void anEntryCarriesTheCallsNameAndItsArgumentsInOrder() {
        Parsed p = Parsed.of(TRACE);
        Parsed.Ev enter = p.atLine(2);
        assertEquals(EventType.SYSCALL_ENTER, enter.type());
        assertEquals("mmap", enter.sym("syscall"));
        assertEquals(0x10000, enter.f("args[1]").value());
        assertEquals(-1, enter.f("args[4]").value());
        assertEquals(9, enter.f("id").value());
        assertEquals("write", p.atLine(5).sym("syscall"), "an x32 task's number carries __X32_SYSCALL_BIT");
    }

    @Test
    void anExitCarriesItsSignedReturn() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(EventType.SYSCALL_EXIT, p.atLine(3).type());
        assertEquals(0x7f0000000000L, p.atLine(3).f("ret").value());
        assertEquals("munmap", p.atLine(4).sym("syscall"));
        assertEquals(-22, p.atLine(4).f("ret").value());
        assertEquals(EventType.SYSCALL_EXIT, p.atLine(8).type());
        assertNull(p.atLine(8).fields().get("syscall"), "no call has number -1");
    }

    @Test
    void aNumberWithoutANameIsPassedThroughAndABadPayloadIsUnknown() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(EventType.SYSCALL_ENTER, p.atLine(6).type());
        assertNull(p.atLine(6).fields().get("syscall"));
        assertEquals(EventType.UNKNOWN, p.atLine(7).type(), "five arguments short");
    }

    @Test
    void printsBackToTheSameRecords() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(java.util.Arrays.toString(p.blocks), java.util.Arrays.toString(Parsed.of(p.ftrace()).blocks));
    }
}
