package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * memfd_secret() in a raw recording (mm/secretmem.c, 5.14): its fd is a secretmem file, so a shared mapping of it
 * is a secretmem VMA that check_vma_flags() refuses to every GUP with -EFAULT, known from the trace rather than
 * assumed from the result.
 */
class SecretmemRawTest {
    private static Replays pinSecret(String release, String ret) {
        return Replays.text("# tracer: nop\n"
                + " t-9 [000] .....  1.000000: sys_memfd_secret(flags: 0)\n"
                + " t-9 [000] .....  1.000001: sys_memfd_secret -> 0x3\n"
                + " t-9 [000] .....  1.000002: sys_ftruncate(fd: 3, length: 4000)\n"
                + " t-9 [000] .....  1.000003: sys_ftruncate -> 0x0\n"
                + " t-9 [000] .....  1.000004: sys_mmap(addr: 0, len: 4000, prot: 3, flags: 1, fd: 3, off: 0)\n"
                + " t-9 [000] .....  1.000005: sys_mmap -> 0x7f0000000000\n"
                + " t-9 [000] .....  1.000006: p_pin_user_pages_fast_0: (pin_user_pages_fast+0x0/0x30) "
                + "start=0x7f0000000000 nr_pages=4 gup_flags=0x1\n"
                + " t-9 [000] .....  1.000007: r_pin_user_pages_fast_0: (iov_iter_extract_pages+0x9d/0x2f0 <- "
                + "pin_user_pages_fast) ret=" + ret + "\n", release, FaultPoints.NONE);
    }

    @ParameterizedTest
    @CsvSource({"6.1", "6.12", "7.2"})
    void everyPinOfSecretMemoryFails(String release) {
        Replays r = pinSecret(release, "-14");
        assertEquals("-EFAULT", r.result(8), r.jsonl());
        assertNull(r.call(8).assumed, "the memfd_secret() fd, not a file assumed from the result");
    }
}
