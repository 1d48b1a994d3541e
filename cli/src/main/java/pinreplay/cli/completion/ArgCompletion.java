package pinreplay.cli.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * What an option's value or a positional parameter completes to, read from its picocli label and type, so every
 * command that declares {@code --kernel X.Y[.Z]} or a {@code FILE} completes the same way without a list of its own.
 */
record ArgCompletion(Kind kind, List<String> words) {
    enum Kind {
        /** A number, a name: nothing to offer. */
        NONE,
        FILE,
        DIR,
        /** A kernel release the rules name. */
        RELEASE,
        /** {@code NAME=VALUE} of a policy; {@code words} holds {@code none} when that is accepted. */
        POLICY,
        /** {@code NAME[:KEY=VALUE,...]} of an injector; {@code words} holds {@code none} when that is accepted. */
        INJECT,
        SCENARIO,
        /** {@code KEY=VALUE} of the scenario given on the same command line. */
        PARAM,
        /** One of {@code words}. */
        WORDS
    }

    private static final ArgCompletion NONE = new ArgCompletion(Kind.NONE, List.of());

    static ArgCompletion of(CommandSpec command, ArgSpec a) {
        String label = a.paramLabel().replaceAll("^<|>$", "");
        List<String> orNone = label.endsWith("|none") ? List.of("none") : List.of();
        if (label.equals("X.Y[.Z]")) {
            return new ArgCompletion(Kind.RELEASE, List.of());
        }
        if (label.startsWith("NAME=VALUE")) {
            return new ArgCompletion(Kind.POLICY, orNone);
        }
        if (label.toUpperCase(java.util.Locale.ROOT).startsWith("NAME[:KEY=VALUE")) {
            return new ArgCompletion(Kind.INJECT, orNone);
        }
        if (label.equals("SCENARIO")) {
            return new ArgCompletion(Kind.SCENARIO, List.of());
        }
        if (label.equals("KEY=VALUE") && command.positionalParameters().stream()
                .anyMatch(p -> p.paramLabel().equals("SCENARIO"))) {
            return new ArgCompletion(Kind.PARAM, List.of());
        }
        if (label.contains("DIR")) {
            return new ArgCompletion(Kind.DIR, List.of());
        }
        Class<?> type = a.isMultiValue() && a.auxiliaryTypes().length > 0 ? a.auxiliaryTypes()[0] : a.type();
        if (label.contains("FILE") || label.contains("TRACE") || label.contains("SPEC")
                || type == java.nio.file.Path.class || type == java.io.File.class) {
            return new ArgCompletion(Kind.FILE, List.of());
        }
        if (label.matches("[a-z0-9-]+(\\|[a-z0-9-]+)+")) {
            return new ArgCompletion(Kind.WORDS, List.of(label.split("\\|")));
        }
        if (a.completionCandidates() != null) {
            List<String> words = new ArrayList<>();
            a.completionCandidates().forEach(words::add);
            return new ArgCompletion(Kind.WORDS, words);
        }
        return NONE;
    }

    /** The positions (from 0) a positional parameter takes, up to {@code limit}; unbounded ones stop there. */
    static List<Integer> positions(PositionalParamSpec p, int limit) {
        return IntStream.rangeClosed(p.index().min(), Math.min(p.index().max(), limit)).boxed().toList();
    }

    /** Whether the parameter takes any number of positions. */
    static boolean unbounded(PositionalParamSpec p) {
        return p.index().max() == Integer.MAX_VALUE || p.arity().max() == Integer.MAX_VALUE;
    }
}
