package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import pinreplay.replay.fault.FaultPoints;

/** A native udmabuf_create line, as drivers/dma-buf/udmabuf.c of 6.12 and 7.2 orders its checks and keeps its seals. */
class UdmabufNativeCreateTest {
    /** udmabuf_create() checks each item's offset and size (-EINVAL) before fget() of its memfd (-EBADFD). */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "7.2"})
    void theArgumentsAreCheckedBeforeTheMemfd(String kernel) {
        Replays r = Replays.text(Replays.lines(
                "udmabuf_create: handle=ub1 ino=99 offset=0x64 size=0x10000 seals=0x2",
                "udmabuf_create: handle=ub2 ino=99 offset=0x0 size=0x0 seals=0x2",
                "udmabuf_create: handle=ub3 ino=99 offset=0x0 size=0x10000 seals=0x2"), kernel, FaultPoints.NONE);
        assertEquals("-EINVAL", r.result(1), r.jsonl());
        assertEquals("-EINVAL", r.result(2), r.jsonl());
        assertEquals("-EBADFD", r.result(3), r.jsonl());
    }

    /** A create that succeeded shows the memfd's seals (F_SEAL_SHRINK at least): shmem_setattr() refuses a shrink. */
    @ParameterizedTest
    @ValueSource(strings = {"6.12", "7.2"})
    void theSealsItReadStayTheMemfds(String kernel) {
        Replays r = Replays.text(Replays.lines(
                "file: ino=10 fs=tmpfs dax=0 size=1048576",
                "udmabuf_create: handle=ub1 ino=10 offset=0x0 size=0x10000 seals=0x2 ret=5",
                "ftruncate: ino=10 size=0"), kernel, FaultPoints.NONE);
        assertEquals("-EPERM", r.result(3), r.jsonl());
    }
}
