package pinreplay.cli.shell;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import pinreplay.cli.Main;

/**
 * Help that reads whole: every command's summary (its first description line, shown by {@code --help} and the
 * shell's {@code help}) is one whole sentence, and no description, of a command or an option, breaks a sentence
 * across lines: each line ends a sentence, or is an example, indented and short enough not to wrap.
 */
class HelpTextTest {
    private static final int WIDTH = 80;
    /** A row of the shell's help: two spaces, the command, its summary. */
    private static final Pattern ROW = Pattern.compile("  (\\S+) +(.*)");

    private static List<CommandSpec> commands() {
        List<CommandSpec> all = new ArrayList<>();
        collect(Main.commandLine(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()), all);
        collect(SessionCommands.tree(new Session(new ShellOut(new java.io.PrintWriter(new java.io.StringWriter()),
                false))), all);
        return all;
    }

    private static void collect(CommandLine c, List<CommandSpec> into) {
        into.add(c.getCommandSpec());
        c.getSubcommands().values().forEach(s -> collect(s, into));
    }

    /** A sentence: a capital first, a full stop last, brackets closed. */
    private static boolean whole(String s) {
        return !s.isEmpty() && Character.isUpperCase(s.charAt(0)) && s.endsWith(".") && balanced(s);
    }

    private static boolean balanced(String s) {
        int depth = 0;
        for (char c : s.toCharArray()) {
            depth += c == '(' || c == '[' ? 1 : c == ')' || c == ']' ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    @Test
    void everyCommandsSummaryIsOneWholeSentence() {
        List<String> bad = new ArrayList<>();
        for (CommandSpec c : commands()) {
            String[] d = c.usageMessage().description();
            if (c.qualifiedName().equals("session")) {
                continue; // the session tree's root is never shown
            }
            if (d.length == 0 || !whole(d[0])) {
                bad.add(c.qualifiedName() + ": " + (d.length == 0 ? "(none)" : d[0]));
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    @Test
    void noDescriptionBreaksASentenceAcrossLines() {
        List<String> bad = new ArrayList<>();
        for (CommandSpec c : commands()) {
            check(c.qualifiedName(), c.usageMessage().description(), bad);
            for (ArgSpec a : c.args()) {
                String name = a.isOption() ? ((CommandLine.Model.OptionSpec) a).longestName() : a.paramLabel();
                check(c.qualifiedName() + " " + name, a.description(), bad);
            }
        }
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }

    /** Each line ends a sentence, or introduces examples with a colon, or is an example that fits the width. */
    private static void check(String where, String[] lines, List<String> bad) {
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            boolean example = l.startsWith("  ");
            boolean introducesExample = l.endsWith(":") && List.of(lines).subList(i + 1, lines.length).stream()
                    .filter(x -> !x.isEmpty()).findFirst().map(x -> x.startsWith("  ")).orElse(false);
            if (example ? l.length() > WIDTH : !l.isEmpty() && !((l.endsWith(".") || introducesExample) && balanced(l))) {
                bad.add(where + ": " + l);
            }
        }
    }

    @Test
    void theShellsHelpListsOneWholeSentencePerCommand() {
        Harness h = new Harness();
        String help = h.run("help");
        List<String> bad = new ArrayList<>();
        int rows = 0;
        for (String row : help.split("\n")) {
            Matcher m = ROW.matcher(row);
            if (m.matches()) {
                rows++;
                if (!whole(m.group(2))) {
                    bad.add(row);
                }
            }
        }
        assertTrue(rows > 15, help);
        assertTrue(bad.isEmpty(), String.join("\n", bad));
    }
}
