package pinreplay.format.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chronicle stays silent and offline with only the module-access flags on the command line: the
 * analytics and announcer switches are set in code. Runs in a fresh JVM so that Chronicle's classes
 * initialise there for the first time.
 */
class QuietTest {
    @TempDir
    Path tmp;

    @Test
    void chronicleWritesNothingToTheTerminalOrTheHomeDirectory() throws IOException, InterruptedException {
        Path home = Files.createDirectory(tmp.resolve("home"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
                "-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp,
                "-cp", System.getProperty("java.class.path"), QuietProbe.class.getName(), tmp.resolve("q").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertEquals("", output);
        try (Stream<Path> files = Files.walk(home)) {
            assertEquals(List.of(home), files.toList(), "no analytics id or JNA cache in the home directory");
        }
    }
}
