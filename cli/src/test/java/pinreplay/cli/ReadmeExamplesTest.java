package pinreplay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The README's examples, run as written: every {@code ./pinreplay} command of a {@code sh} block that a
 * {@code text} block of output follows must exit as its {@code # exit N} comment says and print that text
 * ({@code ...} lines stand for lines left out). Paths under {@code traces/} are taken from the repository root.
 */
class ReadmeExamplesTest {
    private static final Pattern EXIT = Pattern.compile("#.*\\bexit (\\d+)");

    @Test
    void everyExampleWithItsOutputShownPrintsThatOutput() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("..", "README.md"));
        List<String> commands = new ArrayList<>();
        int checked = 0;
        for (int i = 0; i < readme.size(); i++) {
            String fence = readme.get(i);
            if (!fence.equals("```sh") && !fence.equals("```text")) {
                continue;
            }
            List<String> block = new ArrayList<>();
            for (i++; !readme.get(i).equals("```"); i++) {
                block.add(readme.get(i));
            }
            if (fence.equals("```sh")) {
                commands = commands(block);
            } else {
                assertTrue(!commands.isEmpty(), "a text block at README line " + (i - block.size()) + " follows no command");
                for (String c : commands.subList(0, commands.size() - 1)) {
                    run(c);
                }
                assertShown(block, run(commands.get(commands.size() - 1)));
                commands = List.of();
                checked++;
            }
        }
        assertTrue(checked >= 5, "README examples checked: " + checked);
    }

    /** The {@code ./pinreplay} commands of a block, continuation lines joined. */
    private static List<String> commands(List<String> block) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : block) {
            cur.append(line.strip());
            if (line.endsWith("\\")) {
                cur.setLength(cur.length() - 1);
                continue;
            }
            if (cur.toString().startsWith("./pinreplay ")) {
                out.add(cur.toString());
            }
            cur.setLength(0);
        }
        return out;
    }

    /** Runs one command line in-process; returns its standard output with repository-root paths. */
    private static String run(String command) {
        Matcher exit = EXIT.matcher(command);
        assertTrue(exit.find(), "the README states no '# exit N' for: " + command);
        int hash = command.indexOf(" #");
        String[] words = command.substring("./pinreplay ".length(), hash).trim().split("\\s+");
        String[] args = Arrays.stream(words).map(w -> w.startsWith("traces/") ? "../" + w : w).toArray(String[]::new);
        Run r = Run.of("", args);
        assertEquals(Integer.parseInt(exit.group(1)), r.code(), command + "\n" + r.err() + r.out());
        return r.out().replace("../traces/", "traces/");
    }

    /**
     * The shown lines, in runs separated by {@code ...}, appear in the output in order, each run as consecutive
     * lines; without a leading or trailing {@code ...} the output starts or ends with them.
     */
    private static void assertShown(List<String> shown, String output) {
        List<String> out = Arrays.asList(output.split("\n", -1));
        out = out.subList(0, out.size() - (output.endsWith("\n") ? 1 : 0));
        List<List<String>> runs = new ArrayList<>();
        runs.add(new ArrayList<>());
        for (String s : shown) {
            if (s.equals("...")) {
                runs.add(new ArrayList<>());
            } else {
                runs.get(runs.size() - 1).add(s);
            }
        }
        int at = 0;
        for (int k = 0; k < runs.size(); k++) {
            List<String> want = runs.get(k);
            if (want.isEmpty()) {
                continue;
            }
            int found = -1;
            for (int p = at; p + want.size() <= out.size(); p++) {
                if (out.subList(p, p + want.size()).equals(want)) {
                    found = p;
                    break;
                }
                if (k == 0) {
                    break; // the first run starts the output
                }
            }
            if (found < 0) {
                fail("the README shows\n" + String.join("\n", want) + "\nbut the command printed\n" + output);
            }
            at = found + want.size();
        }
        if (!runs.get(runs.size() - 1).isEmpty()) {
            assertEquals(out.size(), at, "the README's output ends where the command's does not:\n" + output);
        }
    }
}
