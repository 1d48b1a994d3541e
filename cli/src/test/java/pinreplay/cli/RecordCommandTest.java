package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pinreplay record}: the dry-run script, the probe choice from a kernel's lists, refusals and their codes. */
class RecordCommandTest {
    @TempDir
    Path tmp;

    @Test
    void dryRunForAnUnknownKernelListsEveryCandidateGuardedOnTheTarget() {
        Run r = Run.of("", "record", "--dry-run", "--tracefs", tmp.resolve("none").toString(), "-o", "/tmp/t", "--", "/bin/true");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().startsWith("#!/bin/sh\n"), r.out());
        assertTrue(r.out().contains("\nprobe pin_user_pages_fast 'p:pinreplay/p_pin_user_pages_fast_0 pin_user_pages_fast"
                + " start=$arg1:x64 nr_pages=$arg2:s32 gup_flags=$arg3:x32' 'r:pinreplay/r_pin_user_pages_fast_0"
                + " pin_user_pages_fast ret=$retval:s64'\n"), r.out());
        assertTrue(r.out().contains("\nenable writeback/writeback_dirty_page\n") && r.out().contains("\nenable writeback/writeback_dirty_folio\n"));
        assertTrue(r.out().contains("\nsh -c 'exec \"$@\"' sh '/bin/true'\n"), r.out());
    }

    @Test
    void theProbesAreTheOnesTheKernelOffers() throws IOException {
        Path fs = Files.createDirectories(tmp.resolve("tracing")); // or a copy of another machine's lists
        Files.write(fs.resolve("available_filter_functions"), List.of("pin_user_pages_fast", "gup_fast_fallback",
                "memfd_pin_folios", "io_pin_pages"));
        Files.write(fs.resolve("available_events"), List.of("writeback:writeback_dirty_folio", "syscalls:sys_enter_mmap",
                "syscalls:sys_exit_mmap", "mmap_lock:mmap_lock_released"));
        Run r = Run.of("", "record", "--dry-run", "--tracefs", fs.toString(), "--release", "6.12.0", "-o", "/t", "--pid", "1");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        List<String> probes = r.out().lines().filter(l -> l.startsWith("probe ")).map(l -> l.split(" ")[1]).toList();
        assertEquals(List.of("pin_user_pages_fast", "memfd_pin_folios", "io_pin_pages"), probes);
        List<String> events = r.out().lines().filter(l -> l.startsWith("enable ")).map(l -> l.substring(7)).toList();
        assertEquals(List.of("syscalls/sys_enter_mmap", "syscalls/sys_exit_mmap", "mmap_lock/mmap_lock_released",
                "writeback/writeback_dirty_folio"), events);
    }

    /** hugetlbfs_file_mmap() in every release; shmem_mmap() until the f_op->mmap_prepare conversion, shmem_mmap_prepare() after. */
    @Test
    void theFilesystemsMmapHooksAreProbedUnderTheReleasesNames() throws IOException {
        Path old = tmp.resolve("kallsyms-6.12");
        Files.writeString(old, "0 t hugetlbfs_file_mmap\n0 t shmem_mmap\n0 t shmem_mmap.cold\n0 T pin_user_pages_fast\n");
        Path now = tmp.resolve("kallsyms-7.2");
        Files.writeString(now, "0 t shmem_mmap_prepare\n0 t hugetlbfs_file_mmap\n0 T pin_user_pages_fast\n");
        assertEquals(List.of("probe hugetlbfs_file_mmap 'p:pinreplay/p_hugetlbfs_file_mmap_0 hugetlbfs_file_mmap'",
                "probe shmem_mmap 'p:pinreplay/p_shmem_mmap_0 shmem_mmap'"), hookProbes(old));
        assertEquals(List.of("probe hugetlbfs_file_mmap 'p:pinreplay/p_hugetlbfs_file_mmap_0 hugetlbfs_file_mmap'",
                "probe shmem_mmap_prepare 'p:pinreplay/p_shmem_mmap_prepare_0 shmem_mmap_prepare'"), hookProbes(now));
    }

    /**
     * ext4's hook, a module function ("ADDR t NAME\t[ext4]" in /proc/kallsyms), with the inode's i_mode and i_flags at
     * the offsets each release's own ext4_file_mmap() / ext4_file_mmap_prepare() reads; a release whose layout was
     * not read gets the bare hook.
     */
    @Test
    void ext4sModuleHookFetchesTheInodeFlagsWhereTheReleasesLayoutIsKnown() throws IOException {
        Path mmap = tmp.resolve("kallsyms-mmap");
        Files.writeString(mmap, "ffffffffc0537ea0 t ext4_file_mmap\t[ext4]\n0 T pin_user_pages_fast\n");
        Path prepare = tmp.resolve("kallsyms-prepare");
        Files.writeString(prepare, "ffffffffc064d9e0 t ext4_file_mmap_prepare\t[ext4]\n0 T pin_user_pages_fast\n");
        assertEquals(List.of("probe ext4_file_mmap 'p:pinreplay/p_ext4_file_mmap_0 ext4_file_mmap"
                + " i_mode=+0(+32($arg1)):x16 i_flags=+12(+32($arg1)):x32'"), hookProbes(mmap, "6.1.0-50-amd64"));
        assertEquals(List.of("probe ext4_file_mmap 'p:pinreplay/p_ext4_file_mmap_0 ext4_file_mmap"
                + " i_mode=+0(+40($arg1)):x16 i_flags=+12(+40($arg1)):x32'"), hookProbes(mmap, "6.12.117+deb13-amd64"));
        assertEquals(List.of("probe ext4_file_mmap_prepare 'p:pinreplay/p_ext4_file_mmap_prepare_0 ext4_file_mmap_prepare"
                + " i_mode=+0(+32(+8($arg1))):x16 i_flags=+4(+32(+8($arg1))):x32'"), hookProbes(prepare, "7.2.13+deb14-amd64"));
        assertEquals(List.of("probe ext4_file_mmap 'p:pinreplay/p_ext4_file_mmap_0 ext4_file_mmap'"),
                hookProbes(mmap, "6.6.87"));
    }

    private static List<String> hookProbes(Path symbols) {
        return hookProbes(symbols, "6.12.117+deb13-amd64");
    }

    private static List<String> hookProbes(Path symbols, String release) {
        Run r = Run.of("", "record", "--dry-run", "--symbols", symbols.toString(), "--release", release, "-o", "/t",
                "--", "/bin/true");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        return r.out().lines().filter(l -> l.startsWith("probe ") && l.contains("mmap")).toList();
    }

    @Test
    void withoutTheKernelsListsALiveRecordingIsRefused() {
        Run r = Run.of("", "record", "--tracefs", tmp.resolve("none").toString(), "-o", tmp.resolve("t").toString(), "--", "/bin/true");
        assertEquals(ExitCodes.SYSTEM_REFUSED, r.code(), r.err());
        assertTrue(r.err().contains("available_events is not readable: run as root"), r.err());
    }

    /** An empty /sys/kernel/tracing is sysfs's mount point with no tracefs on it: the line says how to mount it. */
    @Test
    void anEmptyTracefsDirectoryIsNamedAsNotMounted() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("tracing"));
        Run r = Run.of("", "record", "--tracefs", empty.toString(), "-o", tmp.resolve("t").toString(), "--", "/bin/true");
        assertEquals(ExitCodes.SYSTEM_REFUSED, r.code(), r.err());
        assertEquals("pinreplay: record: " + empty + " is empty: tracefs is not mounted there (as root: mount -t tracefs"
                + " nodev " + empty + ")", r.err().strip());
    }

    /** A tracefs that refuses to be read (a sandbox: EPERM for root) is one that offers nothing. */
    @Test
    void aTracefsThatCannotBeReadIsRefusedLiveAndIgnoredByADryRun() throws java.io.IOException {
        java.nio.file.Path fs = tmp.resolve("refusing");
        java.nio.file.Files.createDirectories(fs.resolve("available_events")); // readable, yet read() fails
        Run live = Run.of("", "record", "--tracefs", fs.toString(), "-o", tmp.resolve("t").toString(), "--", "/bin/true");
        assertEquals(ExitCodes.SYSTEM_REFUSED, live.code(), live.err());
        assertTrue(live.err().contains("available_events cannot be read ("), live.err());
        Run dry = Run.of("", "record", "--tracefs", fs.toString(), "--dry-run", "-o", "/t", "--", "/bin/true");
        assertEquals(ExitCodes.OK, dry.code(), dry.err());
    }

    /**
     * A kernel that takes no kprobes (built without CONFIG_KPROBE_EVENTS, or whose function list refuses even root, as
     * lockdown and sandboxes do) is recorded from its events alone: the script defines no probe, and the note says what
     * goes unjudged.
     */
    @Test
    void aKernelWithoutKprobesIsRecordedFromItsEventsAlone() throws java.io.IOException {
        // no function list; one refused; one refused by a kernel without kprobe_events (this reason first, as the script's)
        for (String kind : new String[] {"no-functions", "refused-functions", "refused-no-kprobe-events"}) {
            java.nio.file.Path fs = java.nio.file.Files.createDirectories(tmp.resolve(kind));
            java.nio.file.Files.writeString(fs.resolve("available_events"), "syscalls:sys_enter_mmap\nsyscalls:sys_exit_mmap\n");
            if (!kind.equals("refused-no-kprobe-events")) {
                java.nio.file.Files.writeString(fs.resolve("kprobe_events"), "");
            }
            if (kind.startsWith("refused")) {
                java.nio.file.Files.createDirectories(fs.resolve("available_filter_functions")); // read() fails
            }
            Run dry = Run.of("", "record", "--tracefs", fs.toString(), "--dry-run", "-o", "/t", "--", "/bin/true");
            assertEquals(ExitCodes.OK, dry.code(), kind + ": " + dry.err());
            assertTrue(dry.err().contains("pinreplay: record: note: no kprobes: the pinning calls themselves"), kind + ": " + dry.err());
            String reason = switch (kind) {
                case "no-functions" -> "(no " + fs.resolve("available_filter_functions") + ")";
                case "refused-functions" -> "available_filter_functions cannot be read (";
                default -> "(the kernel has no kprobe events (CONFIG_KPROBE_EVENTS))";
            };
            assertTrue(dry.err().contains(reason), kind + ": " + dry.err());
            assertTrue(dry.out().contains("\nenable syscalls/sys_enter_mmap\n"), dry.out());
            assertTrue(dry.out().lines().noneMatch(l -> l.startsWith("probe ")), dry.out());
        }
    }

    @Test
    void theCommandKeepsItsArgumentsAndOptions() {
        Run r = Run.of("", "record", "--dry-run", "-o", "/t", "--", "./prog", "-v", "--size", "4");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("\nsh -c 'exec \"$@\"' sh './prog' '-v' '--size' '4'\n"), r.out());
    }

    @Test
    void aSymbolMapWithoutFunctionsIsRefused() throws IOException {
        Path map = tmp.resolve("System.map");
        Files.writeString(map, "ffffffffffffffff B The real System.map is in the linux-image-<version>-dbg package\n");
        Run r = Run.of("", "record", "--dry-run", "--symbols", map.toString(), "-o", "/t", "--", "/bin/true");
        assertEquals(ExitCodes.BAD_INPUT, r.code());
        assertTrue(r.err().contains("lists no kernel function (Debian's System.map is a placeholder"), r.err());
    }

    @Test
    void tracepointsTypedAsTextInKallsymsAreEvents() throws IOException {
        Path map = tmp.resolve("kallsyms");
        Files.writeString(map, "0000000000000000 T pin_user_pages_fast\n0000000000000000 T __tracepoint_mmap_lock_released\n"
                + "0000000000000000 t __syscall_meta__mmap\n");
        Run r = Run.of("", "record", "--dry-run", "--symbols", map.toString(), "-o", "/t", "--", "/bin/true");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertEquals(List.of("enable syscalls/sys_enter_mmap", "enable syscalls/sys_exit_mmap", "enable mmap_lock/mmap_lock_released"),
                r.out().lines().filter(l -> l.startsWith("enable ")).toList());
    }

    @Test
    void usageErrors() {
        assertEquals(ExitCodes.USAGE, Run.of("", "record", "--dry-run", "-o", "/t").code(), "a target is required");
        assertEquals(ExitCodes.USAGE, Run.of("", "record", "--dry-run", "--instance", "../x", "-o", "/t", "--pid", "1").code());
    }
}
