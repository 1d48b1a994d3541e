package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * io_buffer_validate() (io_validate_user_buf_range() in 7.2) as io_uring of the 5.10.262 to 7.2.13 trees checks one
 * buffer before its pin: a length of 0 is -EFAULT, one above the limit -EFAULT (1 GiB) or, in 7.2, -EINVAL (1 TiB,
 * compared unsigned), and a buffer whose pages run past the top of the address space -EOVERFLOW.
 */
class IoUringBufferValidateTest {
    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "5.10, 0xfffffffffffff000, 0x1000, -EOVERFLOW",
        "6.1,  0xfffffffffffff000, 0x1000, -EOVERFLOW",
        "7.2,  0xfffffffffffff000, 0x1000, -EOVERFLOW",
        "6.12, 0x10000000, 0, -EFAULT",
        "6.12, 0x10000000, 0x40001000, -EFAULT",
        "7.2,  0x10000000, 0x8000000000000000, -EINVAL",
    })
    void theBufferIsCheckedBeforeItsPin(String kernel, String addr, String len, String expected) {
        Replays r = Replays.text(Replays.lines("mmap: addr=0x10000000 len=0x10000 prot=rw flags=private",
                "io_uring_register_buffers: handle=b addr=" + addr + " len=" + len), kernel, FaultPoints.NONE);
        assertEquals(expected, r.result(2), r.jsonl());
    }
}
