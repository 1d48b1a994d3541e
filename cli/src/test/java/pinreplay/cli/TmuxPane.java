package pinreplay.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A program on a real terminal: a detached tmux session on a private server (its own socket, so no user session is
 * touched), keys sent as a user types them, the screen read back with {@code capture-pane}. Waits poll the screen
 * (scrollback included, wrapped lines joined) until the text appears or a generous deadline passes: nothing
 * depends on how fast the machine is.
 */
final class TmuxPane implements AutoCloseable {
    private static final long DEADLINE_MS = 120_000;

    private final Path socket;

    private TmuxPane(Path socket) {
        this.socket = socket;
    }

    /** Skips the calling test, saying why, when tmux is not installed (CI machines may lack it). */
    static void assumeTmux() {
        assumeTrue(onPath("tmux"), "tmux is not installed: the terminal session test needs it (apt-get install tmux)");
    }

    static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts {@code command} (a shell command line) in {@code dir} on a 200x50 terminal, with {@code PATH} led by
     * {@code bin}, {@code HOME} in {@code home} and nothing else from this environment.
     */
    static TmuxPane start(Path home, Path bin, Path dir, String command) throws IOException, InterruptedException {
        TmuxPane p = new TmuxPane(home.resolve("tmux.sock"));
        p.tmux("new-session", "-d", "-s", "t", "-x", "200", "-y", "50", "-c", dir.toString(),
                "env -i HOME=" + home + " HISTFILE=/dev/null TERM=xterm-256color LANG=C.UTF-8 PATH=" + bin + ":/usr/local/bin:/usr/bin:/bin "
                        + command);
        p.tmux("set-option", "-t", "t", "history-limit", "10000");
        return p;
    }

    /** A {@code pinreplay} command on a PATH of its own: this JVM's java with the launcher's flags and class path. */
    static Path launcher(Path dir) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        StringBuilder cmd = new StringBuilder("#!/bin/sh\nexec");
        for (String w : Child.pinreplay(dir).command()) {
            cmd.append(" '").append(w.replace("'", "'\\''")).append('\'');
        }
        Path script = bin.resolve("pinreplay");
        Files.writeString(script, cmd.append(" \"$@\"\n").toString());
        script.toFile().setExecutable(true);
        return bin;
    }

    /** Types {@code keys} literally (no key names). */
    void type(String keys) throws IOException, InterruptedException {
        tmux("send-keys", "-t", "t", "-l", keys);
    }

    /** Presses named keys: {@code Enter}, {@code Tab}, {@code C-u}. */
    void press(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args.toArray(new String[0]));
    }

    /** The whole screen and its scrollback, wrapped lines joined. */
    String screen() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", "t");
    }

    /** Waits until {@code text} shows {@code times} times on the screen; returns the screen. */
    String waitFor(String text, int times) throws IOException, InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MS;
        String s = screen();
        while (count(s, text) < times) {
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("waited " + DEADLINE_MS / 1000 + " s for '" + text + "' (" + times
                        + " times); the screen:\n" + s);
            }
            Thread.sleep(100);
            s = screen();
        }
        return s;
    }

    String waitFor(String text) throws IOException, InterruptedException {
        return waitFor(text, 1);
    }

    static int count(String s, String text) {
        int n = 0;
        for (int i = s.indexOf(text); i >= 0; i = s.indexOf(text, i + text.length())) {
            n++;
        }
        return n;
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-S", socket.toString(), "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    /**
     * Stops the server and waits until the program in the pane has exited (a zombie counts: a container's init may
     * never reap it), then removes the socket the server leaves: nothing writes into the directories (a shell's
     * history on hang-up) once the test ends.
     */
    @Override
    public void close() throws IOException, InterruptedException {
        long pid = Long.parseLong(tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip());
        tmux("kill-server");
        long end = System.currentTimeMillis() + DEADLINE_MS;
        while (running(pid) && System.currentTimeMillis() < end) {
            Thread.sleep(50);
        }
        Files.deleteIfExists(socket);
    }

    /** Whether {@code pid} still runs: not gone, not a zombie (Linux's /proc; elsewhere, as Java sees it). */
    private static boolean running(long pid) {
        if (!Files.isDirectory(Path.of("/proc"))) {
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }
}
