package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A recording without task_newtask (e.g. trace-cmd's {@code -e sched}) shows every clone by sched_process_fork,
 * threads too; with the TGID column the child's own first line says which it was: a thread shares the mm (its munmap
 * is the parent's), a process has a copy.
 */
class ForkWithoutNewtaskTest {
    /** The child munmaps the buffer, then the parent pins it. */
    private static final List<String> TRACE = List.of(
            "               a-100     (    100) [000] .....     1.000000: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 22, fd: ffffffff, off: 0)",
            "               a-100     (    100) [000] .....     1.000001: sys_mmap -> 0x7f0000000000",
            "               a-100     (    100) [000] .....     1.000003: sched_process_fork: comm=a pid=100 child_comm=a child_pid=101",
            "               a-101     (    100) [001] .....     1.000010: sys_munmap(addr: 7f0000000000, len: 4000)",
            "               a-101     (    100) [001] .....     1.000011: sys_munmap -> 0x0",
            "               a-100     (    100) [000] .....     1.000020: sys_ioctl(fd: 7, cmd: 1234, arg: 0)",
            "               a-100     (    100) [000] .....     1.000021: p_pin_user_pages_0: (pin_user_pages+0x4/0x60) start=0x7f0000000000 nr_pages=4 gup_flags=0x1",
            "               a-100     (    100) [000] .....     1.000022: r_pin_user_pages_0: (foo+0x128/0xce0 <- pin_user_pages) ret=-14",
            "               a-100     (    100) [000] .....     1.000023: sys_ioctl -> 0xfffffffffffffff2");

    @ParameterizedTest
    @CsvSource({"(    100), -EFAULT", "(    101), 4"})
    void theChildsTgidColumnSaysThreadOrProcess(String childTgid, String pinResult) {
        String trace = TRACE.stream().map(l -> l.contains("a-101") ? l.replace("(    100)", childTgid) : l)
                .collect(Collectors.joining("\n")) + "\n";
        Replays r = Replays.text(trace, "6.1", FaultPoints.NONE);
        assertEquals(pinResult, r.result(7), r.jsonl());
    }
}
