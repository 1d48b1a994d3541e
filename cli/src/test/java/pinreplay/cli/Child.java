package pinreplay.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts {@code pinreplay} as a real child process: this JVM's java, the JVM flags the launcher script
 * ({@code ./pinreplay}) always passes, read from the script itself, and the test class path.
 */
final class Child {
    /** Top-level {@code FLAGS="..."} lines of the launcher (not the conditional, indented ones). */
    private static final Pattern FLAGS = Pattern.compile("^FLAGS=\"(?:\\$FLAGS )?(.*)\"$");

    private Child() {
    }

    static ProcessBuilder pinreplay(Path workDir, String... args) throws IOException {
        return pinreplay(workDir, List.of(), args);
    }

    /** With more JVM options, as {@code PINREPLAY_JAVA_OPTS} gives them. */
    static ProcessBuilder pinreplay(Path workDir, List<String> jvmOptions, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcherFlags());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).directory(workDir.toFile());
    }

    static List<String> launcherFlags() throws IOException {
        List<String> flags = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("../pinreplay"))) {
            Matcher m = FLAGS.matcher(line);
            if (m.matches()) {
                flags.addAll(List.of(m.group(1).split(" ")));
            }
        }
        if (flags.isEmpty()) {
            throw new IllegalStateException("no FLAGS= lines in ../pinreplay");
        }
        return flags;
    }
}
