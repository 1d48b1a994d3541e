package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.replay.fault.FaultPoints;

/**
 * A native {@code fallocate} or {@code ftruncate} naming its file by {@code ino} and {@code dev=} is that device's file:
 * a memfd and an ext4 file may have one inode number (the lab's fuzz-deep-204 on 5.10: an INSERT_RANGE of a memfd,
 * -EOPNOTSUPP from shmem_fallocate()'s mode test, was taken for the ext4 file's, -EINVAL from
 * ext4_insert_range()'s alignment check).
 */
class NativeLineDeviceTest {
    private static Replays replay(String release, String... events) {
        return Replays.text("# tracer: nop\n" + Replays.lines(events), release, FaultPoints.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "6.1", "6.12", "7.2"})
    void theDeviceNamesTheFile(String release) {
        Replays r = replay(release, "file: ino=14 fs=tmpfs dax=0 size=0xf000 dev=0:1",
                "file: ino=14 fs=ext4 dax=0 size=0x6000 dev=254:0",
                "fallocate: ino=14 mode=insert_range offset=0x3000 len=0xa00 dev=0:1",
                "fallocate: ino=14 mode=insert_range offset=0x3000 len=0xa00 dev=254:0",
                "fallocate: ino=14 mode=insert_range offset=0x3000 len=0xa00");
        assertEquals("-EOPNOTSUPP", r.result(4), r.jsonl());
        assertEquals("-EINVAL", r.result(5));
        assertEquals("-EINVAL", r.result(6), "without dev=, the file declared last");
    }

    /**
     * A file the trace never declared (made before the recording, or before a cut of it): a refused fallocate() or
     * ftruncate() marker keeps its recorded result, said as assumed, as add_seals does; before, -EBADF.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"5.10", "7.2"})
    void aRefusalOnAnUndeclaredFileStands(String release) {
        Replays r = replay(release, "fallocate: ino=14 mode=insert_range offset=0x3000 len=0xa00 ret=-95 dev=0:1",
                "ftruncate: ino=15 size=4096 ret=-1 dev=0:1");
        assertEquals("-EOPNOTSUPP", r.result(2), r.jsonl());
        assertEquals("-EPERM", r.result(3), r.jsonl());
    }
}
