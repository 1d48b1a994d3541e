package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys in, screen out: the shell and the completion scripts on a real terminal (tmux), typed as a user types.
 * Skipped, with the reason, where tmux (or zsh) is not installed.
 */
class TerminalSessionTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theShellWithDebuggerHabits(@TempDir Path home) throws Exception {
        TmuxPane.assumeTmux();
        Path bin = TmuxPane.launcher(home);
        try (TmuxPane t = TmuxPane.start(home, bin, ROOT,
                "sh -c 'pinreplay shell --kernel 4.14; echo \"shell exited $?\"; exec sleep 3600'")) {
            t.waitFor("pinreplay shell: 'help' lists the commands, 'load FILE' opens a trace");
            t.waitFor("pinreplay[4.14]> ");
            t.type("load traces/qemu-vfio-fsdax.txt");
            t.press("Enter");
            t.waitFor("loaded traces/qemu-vfio-fsdax.txt: 7 events, kernel 4.14");

            // Tab completes a unique word in place, and lists candidates with their descriptions.
            t.type("b event dma_w");
            t.press("Tab");
            t.waitFor("> b event dma_write");
            t.type("handle=vfio0");
            t.press("Enter");
            t.waitFor("breakpoint 1: event dma_write handle=vfio0");
            t.type("watch ");
            t.press("Tab");
            String listing = t.waitFor("START-END [PID]: mapped and pinned pages, frames");
            assertTrue(listing.contains("INO: size, mappings, page cache, blocks, pins"), listing);
            t.press("C-u");

            t.type("c");
            t.press("Enter");
            t.waitFor("stopped before line 23 (breakpoint 1: event dma_write handle=vfio0)");
            t.type("s");
            t.press("Enter");
            t.waitFor("!! violation dma-into-reallocated-block [vfio0]");
            // Enter on an empty line steps again.
            t.press("Enter");
            t.waitFor("24: qemu-kvm-4242    [001] .....   101.000000: vfio_dma_unmap");
            t.type("reverse-continue");
            t.press("Enter");
            t.waitFor("stopped before line 23 (breakpoint 1: event dma_write handle=vfio0); next: 23:", 2);
            t.type("bt");
            t.press("Enter");
            String where = t.waitFor("traces/qemu-vfio-fsdax.txt: event 5 of 7 (line 21, 100.600000), kernel 4.14");
            assertFalse(where.contains("# tracer: nop"), "no ftrace header was printed");
            t.type("q");
            t.press("Enter");
            String end = t.waitFor("shell exited ");
            assertTrue(end.contains("shell exited 0"), "no violation at the position it left: " + end);
        }
    }

    @Test
    void zshCompletesFromTheGeneratedScript(@TempDir Path home) throws Exception {
        TmuxPane.assumeTmux();
        assumeTrue(TmuxPane.onPath("zsh"), "zsh is not installed: the zsh completion test needs it (apt-get install zsh)");
        Path bin = TmuxPane.launcher(home);
        try (TmuxPane t = TmuxPane.start(home, bin, ROOT, "zsh -f")) {
            t.type("autoload -Uz compinit && compinit -u && source <(pinreplay completion zsh) && echo RE''ADY");
            t.press("Enter");
            t.waitFor("\nREADY");
            complete(t, "pinreplay replay --kernel 6.1", "6.11  6.12  6.13  6.14  6.15");
            complete(t, "pinreplay replay --inject mmap-unlock:race=", "mprotect  munmap    none      remap");
            complete(t, "pinreplay replay --inject mmap-unlock:fail-nth=1,", "race         -- what another thread");
            complete(t, "pinreplay replay --policy longterm-fsdax=", "longterm-fsdax=reject");
            complete(t, "pinreplay synth rdma", "pinreplay synth rdma-mr ");
            complete(t, "pinreplay synth rdma-mr -p ", "mr-size");
            complete(t, "pinreplay replay traces/qemu-vfio-f", "pinreplay replay traces/qemu-vfio-fsdax.txt");
            complete(t, "pinreplay di", "pinreplay diff ");
        }
    }

    @Test
    void bashCompletesFromTheGeneratedScript(@TempDir Path home) throws Exception {
        TmuxPane.assumeTmux();
        Path bin = TmuxPane.launcher(home);
        try (TmuxPane t = TmuxPane.start(home, bin, ROOT, "bash --norc --noprofile")) {
            t.type("source <(pinreplay completion bash) && echo RE''ADY");
            t.press("Enter");
            t.waitFor("\nREADY");
            complete(t, "pinreplay replay --inject mmap-unlock:ra", "pinreplay replay --inject mmap-unlock:race=");
            complete(t, "pinreplay replay --kernel=6.1", "6.11  6.12  6.13  6.14  6.15");
            complete(t, "pinreplay replay traces/qemu-vfio-f", "pinreplay replay traces/qemu-vfio-fsdax.txt");
            complete(t, "pinreplay synth qemu-vfio -p fs=xf", "-p fs=xfs ");
        }
    }

    /** Types {@code line}, presses Tab (twice: bash lists on the second), waits for {@code shown}, clears the line. */
    private static void complete(TmuxPane t, String line, String shown) throws Exception {
        int before = TmuxPane.count(t.screen(), shown);
        t.type(line);
        t.press("Tab");
        t.press("Tab");
        t.waitFor(shown, before + 1);
        t.press("C-u");
    }
}
