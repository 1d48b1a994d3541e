package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * Long-term pins a kprobe'd call took without a handle are released by the unpins the recording shows in a
 * device user's release path (io_uring_register(), ioctl(), close()), not by a bio's unpins elsewhere.
 */
class RecordedUnpinTest {
    private static final String HEAD = "# tracer: nop\n"
            + " t-9 [000] .....  1.000000: sys_mmap(addr: 0, len: 10000, prot: 3, flags: 22, fd: ffffffffffffffff, off: 0)\n"
            + " t-9 [000] .....  1.000001: sys_mmap -> 0x7f0000000000\n"
            + " t-9 [000] .....  1.000002: sys_io_uring_register(fd: 3, opcode: 0, arg: 7ffd0000, nr_args: 1)\n"
            + " t-9 [000] .....  1.000003: p_pin_user_pages_0: (pin_user_pages+0x0/0x50) start=0x7f0000000000 nr_pages=16 gup_flags=0x10001\n"
            + " t-9 [000] .....  1.000004: r_pin_user_pages_0: (io_pin_pages+0xba/0x220 <- pin_user_pages) ret=16\n";

    private static long rawPins(Replays r) {
        return r.replayer.kernel().registrations.live().stream().filter(x -> x.handle == 0 && !x.released).count();
    }

    @Test
    void anUnpinInTheRegisteringSyscallReleasesThePins() {
        Replays r = Replays.text(HEAD
                + " t-9 [000] .....  1.000005: p_unpin_user_pages_0: (unpin_user_pages+0x0/0x120) pages=0xffff8edf7ff69180 npages=16\n"
                + " t-9 [000] .....  1.000006: sys_io_uring_register -> 0xffffffffffffffa1\n", "6.1", FaultPoints.NONE);
        assertEquals(0, rawPins(r));
    }

    @Test
    void unpinsOnePageAtATimeReleaseAtTheLast() {
        StringBuilder t = new StringBuilder(HEAD).append(" t-9 [000] .....  1.000005: sys_io_uring_register -> 0x0\n")
                .append(" t-9 [000] .....  2.000000: sys_io_uring_register(fd: 3, opcode: 1, arg: 0, nr_args: 0)\n");
        for (int i = 0; i < 15; i++) {
            t.append(" t-9 [000] .....  2.00001").append(i % 10).append(": p_unpin_user_page_0: (unpin_user_page+0x0/0x40) page=0xffffea0001\n");
        }
        Replays partial = Replays.text(t.toString(), "6.1", FaultPoints.NONE);
        assertEquals(1, rawPins(partial), "15 of 16 pages unpinned: still held");
        t.append(" t-9 [000] .....  2.000020: p_unpin_user_page_0: (unpin_user_page+0x0/0x40) page=0xffffea0001\n");
        assertEquals(0, rawPins(Replays.text(t.toString(), "6.1", FaultPoints.NONE)));
    }

    @Test
    void anUnpinOutsideADeviceUsersReleasePathReleasesNothing() {
        Replays r = Replays.text(HEAD + " t-9 [000] .....  1.000005: sys_io_uring_register -> 0x0\n"
                + " t-9 [000] .....  1.000006: p_unpin_user_pages_0: (unpin_user_pages+0x0/0x120) pages=0xffff8edf7ff69180 npages=16\n",
                "6.1", FaultPoints.NONE);
        assertEquals(1, rawPins(r));
    }
}
