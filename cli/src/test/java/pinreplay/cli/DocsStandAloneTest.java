package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The README, docs/, the bundled traces and campaign spec, and every command's help cite kernel sources,
 * commits and releases, never reference notes that users of the repository do not have.
 */
class DocsStandAloneTest {
    private static final Pattern PRIVATE = Pattern.compile(
            "KERNEL-NOTES|TRACE-FORMAT|KERNEL-RELEASES|KERNEL-LAB|TOOLCHAIN\\.md|STYLE\\.md|trace contract|shared/seeds");

    @Test
    void docsAndBundledFilesCiteNothingUsersDoNotHave() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("..", "README.md")));
        for (String dir : List.of("docs", "traces")) {
            try (Stream<Path> s = Files.walk(Path.of("..", dir))) {
                s.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                if (PRIVATE.matcher(lines.get(i)).find()) {
                    found.add(f + ":" + (i + 1) + ": " + lines.get(i));
                }
            }
        }
        assertTrue(files.size() > 15, files.toString());
        assertTrue(found.isEmpty(), String.join("\n", found));
    }

    @Test
    void helpTextsCiteNothingUsersDoNotHave() {
        List<String> found = new ArrayList<>();
        List<String> commands = new ArrayList<>(List.of(""));
        Main.commandLine().getSubcommands().keySet().forEach(commands::add);
        for (String c : commands) {
            Run r = c.isEmpty() ? Run.of("", "--help") : Run.of("", c, "--help");
            if (PRIVATE.matcher(r.out()).find()) {
                found.add(c + ": " + r.out());
            }
        }
        assertTrue(found.isEmpty(), String.join("\n", found));
    }
}
