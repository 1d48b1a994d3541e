package pinreplay.cli.completion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The command tree as the scripts walk it: every visible command by path ({@code ""}, {@code "campaign merge"}). */
final class Commands {
    private Commands() {
    }

    static Map<String, CommandSpec> byPath(CommandLine root) {
        Map<String, CommandSpec> out = new LinkedHashMap<>();
        collect("", root, out);
        return out;
    }

    private static void collect(String path, CommandLine c, Map<String, CommandSpec> out) {
        out.put(path, c.getCommandSpec());
        for (String name : subcommands(c.getCommandSpec())) {
            collect(path.isEmpty() ? name : path + " " + name, c.getSubcommands().get(name), out);
        }
    }

    /** Names of the visible subcommands of {@code c}. */
    static List<String> subcommands(CommandSpec c) {
        List<String> out = new ArrayList<>();
        c.subcommands().forEach((name, sub) -> {
            if (!sub.getCommandSpec().usageMessage().hidden() && name.equals(sub.getCommandSpec().name())) {
                out.add(name);
            }
        });
        return out;
    }

    static List<OptionSpec> options(CommandSpec c) {
        return c.options().stream().filter(o -> !o.hidden()).toList();
    }

    /** Whether {@code o} takes a value. */
    static boolean valued(OptionSpec o) {
        return o.arity().max() > 0;
    }

    /** The first sentence of a description, for a listing. */
    static String summary(String[] description) {
        if (description.length == 0) {
            return "";
        }
        return Vocabulary.firstSentence(description[0].replace("${DEFAULT-VALUE}", "default"));
    }
}
