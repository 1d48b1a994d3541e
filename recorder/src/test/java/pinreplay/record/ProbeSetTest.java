package pinreplay.record;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each probe fetches its arguments where the recorded release's signature and kprobe syntax put them: the _remote
 * variants took a task until 5.9; before $argN (4.20) the argument registers are fetched; a release without a number
 * gets the newest layout.
 */
class ProbeSetTest {
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "5.10.0-35-amd64   | get_user_pages_remote | start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32",
        "6.1.0-50-amd64    | pin_user_pages_remote | start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32",
        "5.4.0-150-generic | get_user_pages_remote | start=$arg3:x64 nr_pages=$arg4:u64 gup_flags=$arg5:x32",
        "5.8.18            | pin_user_pages_remote | start=$arg3:x64 nr_pages=$arg4:u64 gup_flags=$arg5:x32",
        "5.4.0-150-generic | get_user_pages        | start=$arg1:x64 nr_pages=$arg2:u64 gup_flags=$arg3:x32",
        "4.19.0-27-amd64   | get_user_pages_remote | start=%dx:x64 nr_pages=%cx:u64 gup_flags=%r8:x32",
        "4.19.0-27-amd64   | get_user_pages_fast   | start=%di:x64 nr_pages=%si:s32 gup_flags=%dx:x32",
        "4.19.0-27-amd64   | do_prlimit            | resource=%si:u32 new=%dx:x64 cur=+0(%dx):u64 max=+8(%dx):u64",
        "4.20.0            | get_user_pages_fast   | start=$arg1:x64 nr_pages=$arg2:s32 gup_flags=$arg3:x32",
        "unknown           | get_user_pages_remote | start=$arg2:x64 nr_pages=$arg3:u64 gup_flags=$arg4:x32",
        "7.2.13+deb14-amd64 | udmabuf_create | flags=+0($arg2):x32 items=+4($arg2):u32 memfd=+0($arg3):s32 offset=+8($arg3):u64 size=+16($arg3):u64",
        "6.12.117+deb13-amd64 | release_udmabuf | dmabuf=$arg1:x64",
        "5.10.0-32-amd64   | __x64_sys_truncate | path=+0(+112($arg1)):ustring",
    })
    void fetchesWhereTheReleasePutsTheArguments(String release, String symbol, String args) {
        assertEquals(args, ProbeSet.choose(KernelOffer.everything(release)).probes().stream()
                .filter(p -> p.symbol().equals(symbol)).findFirst().orElseThrow().args());
    }

    /** vfio's container ioctl with the user's struct read at the call, where the release can read user memory (5.2+). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1.0-50-amd64,true", "5.10.0-35-amd64,true", "unknown,true", "4.19.0-27-amd64,false"})
    void theVfioIoctlIsProbedWhereUserMemoryCanBeFetched(String release, boolean probed) {
        var vfio = ProbeSet.choose(KernelOffer.everything(release)).probes().stream()
                .filter(p -> p.symbol().equals("vfio_iommu_type1_ioctl")).findFirst();
        assertEquals(probed, vfio.isPresent());
        vfio.ifPresent(p -> assertEquals(
                "cmd=$arg2:u32 flags=+u4($arg3):x32 at8=+u8($arg3):x64 at16=+u16($arg3):x64 at24=+u24($arg3):x64",
                p.args()));
    }

    /** The path openat() and truncate() were given, read as a user string where kprobes have one (5.5+). */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"6.1.0-50-amd64,true", "5.10.0-35-amd64,true", "unknown,true", "5.4.0-150-generic,false"})
    void thePathTakersAreProbedWhereAUserStringCanBeFetched(String release, boolean probed) {
        var truncate = ProbeSet.choose(KernelOffer.everything(release)).probes().stream()
                .filter(p -> p.symbol().equals("__x64_sys_truncate")).findFirst();
        assertEquals(probed, truncate.isPresent());
        truncate.ifPresent(p -> assertEquals("path=+0(+112($arg1)):ustring", p.args()));
    }

    /** With vfio present but vfio_iommu_type1 not loaded, the recording says its maps go unjudged. */
    @org.junit.jupiter.api.Test
    void aMissingVfioType1IsNoted(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
        java.nio.file.Path map = tmp.resolve("kallsyms");
        java.nio.file.Files.writeString(map, "ffffffff81000000 T pin_user_pages_remote\n");
        ProbeSet without = ProbeSet.choose(KernelOffer.fromSymbols(map, "6.1.0-50-amd64"));
        assertEquals(1, without.notes(true).size());
        assertEquals(java.util.List.of(), without.notes(false));
        java.nio.file.Files.writeString(map, "ffffffff81000000 T pin_user_pages_remote\n"
                + "ffffffffc0a00000 t vfio_iommu_type1_ioctl\t[vfio_iommu_type1]\n");
        assertEquals(java.util.List.of(), ProbeSet.choose(KernelOffer.fromSymbols(map, "6.1.0-50-amd64")).notes(true));
    }

    /** fcntl(), whose F_ADD_SEALS sets the seals udmabuf asks of a memfd, is traced wherever offered. */
    @org.junit.jupiter.api.Test
    void fcntlIsTracedForAMemfdsSeals() {
        var events = ProbeSet.choose(KernelOffer.everything("6.12.117+deb13-amd64")).events();
        assertEquals(2, events.stream().filter(e -> e.name().endsWith("_fcntl")).count());
    }

    /** read() and write() only of a logical block or more: the O_DIRECT ones, not a pipe's or an eventfd's few bytes. */
    @org.junit.jupiter.api.Test
    void readAndWriteAreKeptOnlyWhenBlockSized() {
        var events = ProbeSet.choose(KernelOffer.everything("6.1.0-50-amd64")).events();
        assertEquals("count >= 512", events.stream().filter(e -> e.name().equals("sys_enter_read")).findFirst()
                .orElseThrow().filter());
        assertEquals("ret >= 512 || ret < 0", events.stream().filter(e -> e.name().equals("sys_exit_write")).findFirst()
                .orElseThrow().filter());
        assertEquals(null, events.stream().filter(e -> e.name().equals("sys_enter_pread64")).findFirst()
                .orElseThrow().filter());
    }

    /**
     * io_uring's submissions only of reads and writes (IORING_OP_READV, _WRITEV, _READ, _WRITE), under either name, every
     * completion, and io_uring_enter(), inside which the submissions are issued.
     */
    @org.junit.jupiter.api.Test
    void ioUringReadsAndWritesAreFollowedFromSubmissionToCompletion() {
        var events = ProbeSet.choose(KernelOffer.everything("7.2.13+deb14-amd64")).events();
        for (String name : new String[] {"io_uring_submit_sqe", "io_uring_submit_req"}) {
            assertEquals("opcode == 1 || opcode == 2 || opcode == 22 || opcode == 23", events.stream()
                    .filter(e -> e.name().equals(name)).findFirst().orElseThrow().filter());
        }
        assertEquals(null, events.stream().filter(e -> e.name().equals("io_uring_complete")).findFirst().orElseThrow()
                .filter());
        assertEquals(2, events.stream().filter(e -> e.name().endsWith("_io_uring_enter")).count());
    }
}
