package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.format.Errno;
import pinreplay.format.EventType;
import pinreplay.format.ValueType;

/** Syscall events in ftrace's and libtraceevent's printings, sched_process_exec, and a snapshot's vma lines. */
class RawKernelLinesTest {
    private static final String TRACE = """
            # pinreplay record: release=6.1.0-27-amd64 machine=x86_64
                    snapshot-0       [000] .....     0.000000: vma: mm=42 start=0x7ffd1000 end=0x7ffd3000 prot=rw flags=private
                    snapshot-0       [000] .....     0.000000: file: ino=12 fs=ext4 dax=1 size=8192 dev=259:0
                 scenario-42      (     42) [001] .....    10.000100: sys_mmap(addr: 0, len: 2000, prot: 3, flags: 1, fd: 3, off: 0)
                 scenario-42      (     42) [001] .....    10.000200: sys_mmap -> 0x7f0000000000
                 scenario-42      (     42) [001] .....    10.000300: sys_munmap -> 0xffffffffffffffea
                 scenario-42 [001]  10.000400: sys_enter_mmap:       addr: 0x00000000, len: 0x00002000, prot: 0x00000003, flags: 0x00000022, fd: 0xffffffff, off: 0x00000000
                 scenario-42 [001]  10.000500: sys_exit_mmap:        0x7f0000002000
                 scenario-42      (     42) [001] .....    10.000600: sched_process_exec: filename=/bin/my prog pid=42 old_pid=42
                 scenario-43      (     42) [001] .....    10.000700: sched_process_exit: comm=scenario pid=43 prio=120 group_dead=false
                 scenario-42      (     42) [001] .....    10.000800: sched_process_exit: comm=scenario pid=42 prio=120 group_dead=true
                 scenario-44      (     44) [001] .....    10.000900: sched_process_exit: comm=scenario pid=44 prio=120
            """;

    @Test
    void syscallEntriesCarryTheirNameAndArgumentsInOrder() {
        Parsed p = Parsed.of(TRACE);
        Parsed.Ev enter = p.atLine(4);
        assertEquals(EventType.SYSCALL_ENTER, enter.type());
        assertEquals("mmap", enter.sym("syscall"));
        assertEquals(0x2000, enter.f("len").value());
        assertEquals(3, enter.f("fd").value());
        Parsed.Ev named = p.atLine(7);
        assertEquals(EventType.SYSCALL_ENTER, named.type());
        assertEquals("mmap", named.sym("syscall"));
        assertEquals(0x22, named.f("flags").value());
    }

    @Test
    void syscallReturnsAreSignedLongs() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(0x7f0000000000L, p.atLine(5).f("ret").value());
        assertEquals("munmap", p.atLine(6).sym("syscall"));
        assertEquals(-Errno.EINVAL, p.atLine(6).f("ret").value(), "0xffffffffffffffea is -EINVAL");
        assertEquals(EventType.SYSCALL_EXIT, p.atLine(8).type());
        assertEquals(0x7f0000002000L, p.atLine(8).f("ret").value());
    }

    @Test
    void execAndSnapshotLines() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(EventType.SCHED_PROCESS_EXEC, p.atLine(9).type());
        assertEquals(42, p.atLine(9).f("pid").value());
        assertEquals(EventType.VMA, p.atLine(2).type());
        assertEquals(0x7ffd3000L, p.atLine(2).f("end").value());
        assertEquals(EventType.COMMENT, p.atLine(1).type());
    }

    /** sched_process_exit: {@code group_dead} (7.2) says whether the thread group's last task exited; older releases lack it. */
    @Test
    void processExitWithAndWithoutGroupDead() {
        Parsed p = Parsed.of(TRACE);
        assertEquals(EventType.SCHED_PROCESS_EXIT, p.atLine(10).type());
        assertEquals(new Parsed.Val(ValueType.BOOL, 0, null), p.atLine(10).f("group_dead"));
        assertEquals(new Parsed.Val(ValueType.BOOL, 1, null), p.atLine(11).f("group_dead"));
        assertEquals(44, p.atLine(12).f("pid").value());
        assertEquals(null, p.atLine(12).fields().get("group_dead"));
    }

    @Test
    void printsBackToTheSameRecords() {
        Parsed p = Parsed.of(TRACE);
        String printed = p.ftrace();
        assertEquals(java.util.Arrays.toString(p.blocks), java.util.Arrays.toString(Parsed.of(printed).blocks));
        assertEquals("sys_mmap(addr: 0, len: 2000, prot: 3, flags: 1, fd: 3, off: 0)",
                printed.lines().skip(3).findFirst().orElseThrow().replaceFirst("^.*?: ", ""));
    }
}
