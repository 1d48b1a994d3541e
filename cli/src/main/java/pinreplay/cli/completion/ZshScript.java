package pinreplay.cli.completion;

import static pinreplay.cli.completion.BashScript.q;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import pinreplay.format.synth.Params;
import pinreplay.inject.Catalog;

/**
 * The zsh completion script, native: one {@code _arguments} call per command (options with their descriptions,
 * both {@code --opt value} and {@code --opt=value}, repeatable ones marked), {@code _files} for files and
 * directories, and helper functions for releases, policies, injectors (name, then keys after {@code :} or
 * {@code ,}, then fixed values after {@code =}) and scenarios with their parameters, all from {@link Vocabulary}.
 * It works autoloaded from {@code $fpath} and sourced after {@code compinit}.
 */
public final class ZshScript {
    private final StringBuilder sb = new StringBuilder();

    private ZshScript() {
    }

    public static String of(CommandLine root) {
        ZshScript z = new ZshScript();
        z.write(Commands.byPath(root));
        return z.sb.toString();
    }

    private void write(Map<String, CommandSpec> commands) {
        line("#compdef pinreplay");
        line("# zsh completion for pinreplay. Save it as _pinreplay in a directory of $fpath before compinit runs:");
        line("#   pinreplay completion zsh > ~/.zfunc/_pinreplay   # with fpath=(~/.zfunc $fpath) in ~/.zshrc");
        line("# or, after compinit, source <(pinreplay completion zsh). Written by this build: kernel releases,");
        line("# policies, injectors and scenarios are the ones it models.");
        line("");
        helpers();
        for (Map.Entry<String, CommandSpec> e : commands.entrySet()) {
            command(e.getKey(), e.getValue());
        }
        line("if [[ $funcstack[1] == _pinreplay ]]; then");
        line("    _pinreplay \"$@\"");
        line("else");
        line("    compdef _pinreplay pinreplay");
        line("fi");
    }

    private void helpers() {
        line("_pinreplay_release() {");
        line("    local -a r; r=(" + words(Vocabulary.releases()) + ")");
        line("    _wanted releases expl 'kernel release' compadd -a r");
        line("}");
        line("");
        line("_pinreplay_policy() {");
        line("    local -a p; p=(" + words(Vocabulary.policyValues()) + ")");
        line("    [[ $1 == none ]] && p+=(none)");
        line("    _wanted policies expl 'policy NAME=VALUE' compadd -a p");
        line("}");
        line("");
        line("_pinreplay_scenario() {");
        List<String> sc = new ArrayList<>();
        Vocabulary.scenarios().forEach((name, d) -> sc.add(q(name.replace(":", "\\:") + ":" + d)));
        line("    local -a s; s=(" + String.join(" ", sc) + ")");
        line("    _describe -t scenarios 'scenario' s");
        line("}");
        line("");
        inject();
        param();
    }

    /** Injector names; after {@code NAME:} or {@code ,} the keys not given; after {@code KEY=} its fixed values. */
    private void inject() {
        line("_pinreplay_inject() {");
        line("    local -a n; n=(" + words(Vocabulary.injectors()) + ")");
        line("    if [[ $PREFIX != *:* ]]; then");
        line("        [[ $1 == none ]] && n+=(none)");
        line("        _wanted injectors expl 'injector' compadd -q -S : -a n");
        line("        return");
        line("    fi");
        line("    local name=${PREFIX%%:*}");
        line("    compset -P '*[:,]'");
        line("    if [[ $PREFIX == *=* ]]; then");
        line("        local key=${PREFIX%%=*}");
        line("        compset -P '*='");
        line("        case $name:$key in");
        List<String> values = new ArrayList<>();
        StringBuilder keys = new StringBuilder();
        for (String name : Vocabulary.injectors()) {
            List<String> described = new ArrayList<>();
            for (Catalog.Key k : Vocabulary.injectorKeys(name)) {
                described.add(q(k.name() + ":" + k.meaning()));
                List<String> fixed = Vocabulary.fixedValues(k);
                if (!fixed.isEmpty()) {
                    values.add("            (" + name + ":" + k.name() + ") compadd -- " + words(fixed) + " ;;");
                }
            }
            keys.append("            (").append(name).append(") k=(").append(String.join(" ", described))
                    .append(") ;;\n");
        }
        values.forEach(this::line);
        line("        esac");
        line("        return");
        line("    fi");
        line("    local -a k");
        line("    case $name in");
        sb.append(keys);
        line("    esac");
        line("    _describe -t keys 'injector key' k -S =");
        line("}");
        line("");
    }

    /** {@code -p KEY=VALUE} of {@code synth}: the parameters of the scenario on the line, then fixed values. */
    private void param() {
        line("_pinreplay_param() {");
        line("    local -a names; names=(" + words(new ArrayList<>(Vocabulary.scenarios().keySet())) + ")");
        line("    local s w");
        line("    for w in $words; do (( ${names[(Ie)$w]} )) && s=$w; done");
        line("    if [[ $PREFIX == *=* ]]; then");
        line("        local key=${PREFIX%%=*}");
        line("        compset -P '*='");
        line("        case $s:$key in");
        for (String sc : Vocabulary.scenarios().keySet()) {
            for (Params.Spec p : Vocabulary.params(sc)) {
                if (!p.choices().isEmpty()) {
                    line("            (" + sc + ":" + p.name() + ") compadd -- " + words(p.choices()) + " ;;");
                }
            }
        }
        for (Params.Spec p : Vocabulary.params(null)) {
            if (!p.choices().isEmpty()) {
                line("            (*:" + p.name() + ") compadd -- " + words(p.choices()) + " ;;");
            }
        }
        line("        esac");
        line("        return");
        line("    fi");
        line("    local -a p");
        line("    case $s in");
        for (String sc : Vocabulary.scenarios().keySet()) {
            line("        (" + sc + ") p=(" + described(Vocabulary.params(sc)) + ") ;;");
        }
        line("        (*) p=(" + described(Vocabulary.params(null)) + ") ;;");
        line("    esac");
        line("    _describe -t parameters 'scenario parameter' p -S =");
        line("}");
        line("");
    }

    private static String described(List<Params.Spec> specs) {
        return specs.stream().map(p -> q(p.name() + ":" + p.help())).collect(Collectors.joining(" "));
    }

    /** {@code _pinreplay_PATH}: this command's options and positions, then its subcommands if any. */
    private void command(String path, CommandSpec c) {
        line(function(path) + "() {");
        List<String> subs = Commands.subcommands(c);
        for (String s : path.isEmpty() ? List.<String>of() : subs) {
            line("    if (( CURRENT > 2 )) && [[ $words[2] == " + s + " ]]; then");
            line("        shift words; (( CURRENT-- )); curcontext=${curcontext%:*}-" + s + ":");
            line("        " + function(path.isEmpty() ? s : path + " " + s));
            line("        return");
            line("    fi");
        }
        List<String> specs = new ArrayList<>();
        for (OptionSpec o : Commands.options(c)) {
            specs.add(option(c, o));
        }
        boolean positional = false;
        for (PositionalParamSpec p : c.positionalParameters()) {
            if (p.hidden()) {
                continue;
            }
            String action = action(ArgCompletion.of(c, p));
            String message = message(p.paramLabel());
            if (ArgCompletion.unbounded(p)) {
                specs.add(q("*:" + message + ":" + action));
            } else {
                for (int i : ArgCompletion.positions(p, Integer.MAX_VALUE - 1)) {
                    specs.add(q((i + 1) + ":" + message + ":" + action));
                }
            }
            positional = true;
        }
        if (!subs.isEmpty()) {
            String commands = subcommandList(c, subs);
            if (!positional) {
                specs.add(q("1:command:" + commands));
            } else {
                // A positional parameter or a subcommand at the first position (campaign SPEC | merge).
                String alternative = q("1: :_alternative " + q2("commands:command:(" + String.join(" ", subs) + ")")
                        + " " + q2("files:file:_files"));
                specs.replaceAll(s -> s.startsWith("'1:") ? alternative : s);
            }
        }
        if (path.isEmpty()) {
            line("    local curcontext=$curcontext ret=1");
            line("    if (( CURRENT > 2 )); then");
            line("        local cmd=$words[2]");
            line("        shift words; (( CURRENT-- )); curcontext=${curcontext%:*:*}:pinreplay-$cmd:");
            line("        (( $+functions[_pinreplay_${cmd//-/_}] )) && _pinreplay_${cmd//-/_}");
            line("        return");
            line("    fi");
        }
        line("    _arguments -s -S \\");
        for (int i = 0; i < specs.size(); i++) {
            line("        " + specs.get(i) + (i + 1 < specs.size() ? " \\" : ""));
        }
        line("}");
        line("");
    }

    /** {@code ((name\:"summary" ...))}: the subcommands with their summaries, as _arguments lists them. */
    private static String subcommandList(CommandSpec c, List<String> subs) {
        List<String> out = new ArrayList<>();
        for (String s : subs) {
            String d = Commands.summary(c.subcommands().get(s).getCommandSpec().usageMessage().description());
            out.add(s + "\\:\"" + d.replace("\\", "\\\\").replace("\"", "\\\"").replace(":", "\\:") + "\"");
        }
        return "((" + String.join(" ", out) + "))";
    }

    /** One _arguments spec: exclusive names, repeatable with *, the description, the value's message and action. */
    private static String option(CommandSpec c, OptionSpec o) {
        String[] names = o.names();
        boolean valued = Commands.valued(o);
        boolean repeatable = o.isMultiValue();
        boolean exits = o.usageHelp() || o.versionHelp();
        String description = "[" + Commands.summary(o.description()).replace("\\", "\\\\").replace("[", "\\[")
                .replace("]", "\\]") + "]";
        String value = valued ? ":" + message(o.paramLabel()) + ":" + action(ArgCompletion.of(c, o)) : "";
        String exclusive = exits ? "(- *)" : repeatable ? "*" : names.length > 1 ? "(" + String.join(" ", names) + ")"
                : "";
        List<String> out = new ArrayList<>();
        for (String n : names) {
            String form = !valued ? n : n.startsWith("--") ? n + "=" : n + "+";
            out.add(q(exclusive + form + description + value));
        }
        return String.join(" ", out);
    }

    /** The action completing an argument of that kind. */
    private static String action(ArgCompletion a) {
        String none = a.words().contains("none") ? " none" : "";
        return switch (a.kind()) {
            case NONE -> " ";
            case FILE -> "_files";
            case DIR -> "_files -/";
            case RELEASE -> "_pinreplay_release";
            case POLICY -> "_pinreplay_policy" + none;
            case INJECT -> "_pinreplay_inject" + none;
            case SCENARIO -> "_pinreplay_scenario";
            case PARAM -> "_pinreplay_param";
            case WORDS -> "(" + String.join(" ", a.words()) + ")";
        };
    }

    /** A label as _arguments shows it: colons escaped. */
    private static String message(String label) {
        return label.replaceAll("^<|>$", "").replace(":", "\\:");
    }

    private static String function(String path) {
        return "_pinreplay" + (path.isEmpty() ? "" : "_" + path.replace(' ', '_').replace('-', '_'));
    }

    private static String words(List<String> words) {
        return words.stream().map(w -> q(w)).collect(Collectors.joining(" "));
    }

    /** Double-quoted, for a word inside a single-quoted spec. */
    private static String q2(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private void line(String s) {
        sb.append(s).append('\n');
    }
}
