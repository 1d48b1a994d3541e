package pinreplay.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import pinreplay.format.EventType;
import pinreplay.replay.outcome.Outcome;

/**
 * The lab's udmabuf on real 6.12 and 7.2 (drivers/dma-buf/udmabuf.c): creates refused by udmabuf_create()'s own
 * checks and check_memfd_seals(), one past i_size refused by memfd_pin_folios(), dma-bufs over shmem and hugetlbfs
 * memfds, a MADV_REMOVE that punches pages a dma-buf holds pinned, releases at the last close and at exit.
 */
class RealKernelUdmabufTest {
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"6.12,udmabuf", "6.12,udmabuf-hugetlb", "7.2,udmabuf", "7.2,udmabuf-hugetlb"})
    void everyCreateTheRecordingShowsIsJudgedAndThePunchUnderTheDmaBufIsReported(String release, String name) {
        Replays r = Replays.file("real/" + release + "/" + name + ".txt", release);
        List<Outcome> creates = creates(r);
        // refused: no seals, F_SEAL_SEAL only, misaligned, empty, over 64 MiB, past i_size, F_SEAL_WRITE; made: three
        // (the ext4 file and the closed fd name files the recording never described; the two-item list is not judged)
        assertEquals("-EINVAL x7, fd x3", summary(creates), r.jsonl());
        assertTrue(creates.stream().allMatch(Outcome::agrees));
        List<Outcome> v = r.violations();
        assertEquals(1, v.size(), r.jsonl());
        assertEquals("pinned-page-discarded", v.get(0).violation);
        assertTrue(v.get(0).detail.startsWith("MADV_REMOVE of "), v.get(0).detail);
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && !o.agrees()));
        assertTrue(r.replayer.kernel().registrations.live().isEmpty(), "every dma-buf was released, the last at exit");
    }

    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({"6.12,udmabuf-markers", "6.12,udmabuf-hugetlb-markers", "7.2,udmabuf-markers",
            "7.2,udmabuf-hugetlb-markers"})
    void theProgramsMarkersTakeTheRecordedCalls(String release, String name) {
        Replays r = Replays.file("real/" + release + "/" + name + ".txt", release);
        assertTrue(r.outcomes.stream().noneMatch(o -> o.kind == Outcome.Kind.CALL && o.hasObserved && !o.agrees()),
                r.jsonl());
        // ten markers adopt the raw call judged before them; the ext4 file's and the closed fd's are native (-EBADFD)
        assertEquals(22, creates(r).size());
        // the program's file line names the memfd the raw calls know by fd: its mmap marker maps that one file
        assertEquals(List.of("pinned-page-discarded"), r.violationKinds(), "a marker's release after the raw one is no "
                + "unbalanced unpin, and the MADV_REMOVE punches the pages the dma-buf pinned");
    }

    private static List<Outcome> creates(Replays r) {
        return r.outcomes.stream().filter(o -> o.kind == Outcome.Kind.CALL && o.event == EventType.UDMABUF_CREATE)
                .toList();
    }

    /** "-EINVAL x7, fd x3": the results, an fd counted as "fd". */
    private static String summary(List<Outcome> creates) {
        return creates.stream().map(o -> o.result >= 0 ? "fd" : pinreplay.format.Errno.describe(o.result))
                .collect(Collectors.groupingBy(s -> s, java.util.TreeMap::new, Collectors.counting())).entrySet().stream()
                .map(e -> e.getKey() + " x" + e.getValue()).collect(Collectors.joining(", "));
    }
}
