package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import pinreplay.replay.fault.FaultPoints;

/**
 * liburing's io_uring_register() through a registered ring (IORING_REGISTER_USE_REGISTERED_RING, bit 31 of the
 * opcode, 6.3+; io_uring/register.c masks it off and looks the ring up in tctx->registered_rings[fd]): the task's
 * only ring is judged as the fd form is.
 */
class RegisteredRingTest {
    private static final Pattern REGISTER = Pattern.compile("sys_io_uring_register\\(fd: 3, opcode: ([0-9a-f]+),");

    @Test
    void theRegisteredRingFormIsJudgedAsTheFdForm() throws IOException {
        String fdForm = Files.readString(Replays.trace("real/6.12/iouring-tables.txt"));
        Matcher m = REGISTER.matcher(fdForm);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, "sys_io_uring_register(fd: 0, opcode: "
                    + Long.toHexString(0x80000000L | Long.parseLong(m.group(1), 16)) + ",");
        }
        m.appendTail(sb);
        Replays byFd = Replays.text(fdForm, "6.12", FaultPoints.NONE);
        Replays byIndex = Replays.text(sb.toString(), "6.12", FaultPoints.NONE);
        assertEquals(byFd.jsonl(), byIndex.jsonl());
        assertEquals(35, byIndex.summary.calls, byIndex.jsonl());
        // before 6.3 such an opcode is past IORING_REGISTER_LAST (-EINVAL): no buffer table is judged by it
        Replays before = Replays.text(sb.toString(), "6.1", FaultPoints.NONE);
        assertEquals(false, before.jsonl().contains("\"event\":\"io_uring_unregister_buffers\""), before.jsonl());
    }
}
