package pinreplay.cli.completion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import pinreplay.format.synth.Params;
import pinreplay.inject.Catalog;

/**
 * The bash completion script: command names, options, and their values by {@link ArgCompletion} (files and
 * directories through {@code compgen}, releases, policies, injectors with their keys and values, scenarios with
 * their parameters from {@link Vocabulary}). Words are taken from {@code COMP_LINE} split at blanks (so
 * {@code mmap-unlock:race=} is one word whatever {@code COMP_WORDBREAKS} holds), or from {@code COMP_WORDS}; the
 * candidates are then cut after the last word-break character, which is where readline replaces the text.
 */
public final class BashScript {
    /** Positions listed one by one before an unbounded parameter's catch-all. */
    private static final int POSITIONS = 4;

    private final StringBuilder sb = new StringBuilder();

    private BashScript() {
    }

    public static String of(CommandLine root) {
        BashScript b = new BashScript();
        b.write(Commands.byPath(root));
        return b.sb.toString();
    }

    private void write(Map<String, CommandSpec> commands) {
        line("# bash completion for pinreplay. Load it with");
        line("#   source <(pinreplay completion bash)");
        line("# or save it as ~/.local/share/bash-completion/completions/pinreplay. Written by this build:");
        line("# kernel releases, policies, injectors and scenarios are the ones it models.");
        line("");
        line("_pinreplay_releases=" + q(String.join(" ", Vocabulary.releases())));
        line("_pinreplay_policies=" + q(String.join(" ", Vocabulary.policyValues())));
        line("_pinreplay_injectors=" + q(String.join(" ", Vocabulary.injectors())));
        line("_pinreplay_scenarios=" + q(String.join(" ", Vocabulary.scenarios().keySet())));
        line("");
        injectors();
        params();
        tables(commands);
        line(FUNCTIONS);
    }

    /** {@code _pinreplay_inject_keys NAME} and {@code _pinreplay_inject_values NAME KEY}. */
    private void injectors() {
        line("# The keys injector $1 takes.");
        line("_pinreplay_inject_keys() {");
        line("    case $1 in");
        List<String> valueCases = new ArrayList<>();
        for (String name : Vocabulary.injectors()) {
            List<String> keys = new ArrayList<>();
            for (Catalog.Key k : Vocabulary.injectorKeys(name)) {
                keys.add(k.name());
                List<String> values = Vocabulary.fixedValues(k);
                if (!values.isEmpty()) {
                    valueCases.add("        " + q(name + ":" + k.name()) + ") echo " + q(String.join(" ", values))
                            + " ;;");
                }
            }
            line("        " + q(name) + ") echo " + q(String.join(" ", keys)) + " ;;");
        }
        line("    esac");
        line("}");
        line("");
        line("# The values key $2 of injector $1 takes, when they are a fixed set.");
        line("_pinreplay_inject_values() {");
        line("    case $1:$2 in");
        valueCases.forEach(this::line);
        line("    esac");
        line("}");
        line("");
    }

    /** {@code _pinreplay_param_keys SCENARIO} and {@code _pinreplay_param_values SCENARIO KEY}. */
    private void params() {
        line("# The parameters of scenario $1 (of every scenario when it is not known).");
        line("_pinreplay_param_keys() {");
        line("    case $1 in");
        List<String> valueCases = new ArrayList<>();
        for (String sc : Vocabulary.scenarios().keySet()) {
            List<String> keys = new ArrayList<>();
            for (Params.Spec p : Vocabulary.params(sc)) {
                keys.add(p.name());
                if (!p.choices().isEmpty()) {
                    valueCases.add("        " + q(sc + ":" + p.name()) + ") echo " + q(String.join(" ", p.choices()))
                            + " ;;");
                }
            }
            line("        " + q(sc) + ") echo " + q(String.join(" ", keys)) + " ;;");
        }
        line("        *) echo " + q(String.join(" ", Vocabulary.params(null).stream().map(Params.Spec::name).toList()))
                + " ;;");
        line("    esac");
        line("}");
        line("");
        line("# The values parameter $2 of scenario $1 takes, when they are a fixed set.");
        line("_pinreplay_param_values() {");
        line("    case $1:$2 in");
        valueCases.forEach(this::line);
        for (Params.Spec p : Vocabulary.params(null)) {
            if (!p.choices().isEmpty()) {
                line("        *:" + q(p.name()) + ") echo " + q(String.join(" ", p.choices())) + " ;;");
            }
        }
        line("    esac");
        line("}");
        line("");
    }

    /** Subcommands, options, options taking a value, and what each value or position completes to. */
    private void tables(Map<String, CommandSpec> commands) {
        StringBuilder subs = new StringBuilder();
        StringBuilder opts = new StringBuilder();
        StringBuilder valued = new StringBuilder();
        StringBuilder kinds = new StringBuilder();
        for (Map.Entry<String, CommandSpec> e : commands.entrySet()) {
            String path = e.getKey();
            CommandSpec c = e.getValue();
            List<String> sub = Commands.subcommands(c);
            if (!sub.isEmpty()) {
                subs.append("        ").append(q(path)).append(") echo ").append(q(String.join(" ", sub)))
                        .append(" ;;\n");
            }
            List<String> all = new ArrayList<>();
            List<String> withValue = new ArrayList<>();
            for (OptionSpec o : Commands.options(c)) {
                all.addAll(List.of(o.names()));
                if (Commands.valued(o)) {
                    withValue.addAll(List.of(o.names()));
                    String kind = kind(ArgCompletion.of(c, o));
                    if (!kind.isEmpty()) {
                        for (String n : o.names()) {
                            kinds.append("        ").append(q(path + " " + n)).append(") echo ").append(kind)
                                    .append(" ;;\n");
                        }
                    }
                }
            }
            opts.append("        ").append(q(path)).append(") echo ").append(q(String.join(" ", all))).append(" ;;\n");
            if (!withValue.isEmpty()) {
                valued.append("        ").append(q(path)).append(") echo ").append(q(String.join(" ", withValue)))
                        .append(" ;;\n");
            }
            StringBuilder catchAll = new StringBuilder();
            for (PositionalParamSpec p : c.positionalParameters()) {
                if (p.hidden()) {
                    continue;
                }
                String kind = kind(ArgCompletion.of(c, p));
                if (kind.isEmpty()) {
                    continue;
                }
                for (int i : ArgCompletion.positions(p, POSITIONS)) {
                    kinds.append("        ").append(q(path + " #" + i)).append(") echo ").append(kind).append(" ;;\n");
                }
                if (ArgCompletion.unbounded(p)) {
                    catchAll.append("        ").append(q(path + " #")).append("*) echo ").append(kind).append(" ;;\n");
                }
            }
            kinds.append(catchAll);
        }
        table("The subcommands of command $1.", "_pinreplay_subcommands", "$1", subs);
        table("The options of command $1.", "_pinreplay_options", "$1", opts);
        table("The options of command $1 that take a value.", "_pinreplay_valued", "$1", valued);
        table("What option $2 (or position #N) of command $1 takes: file, dir, release, policy, inject, scenario, "
                + "param or words:W1,W2...; a trailing +none accepts none too.", "_pinreplay_kind", "$1 $2", kinds);
    }

    private void table(String comment, String name, String subject, CharSequence cases) {
        line("# " + comment);
        line(name + "() {");
        line("    case \"" + subject + "\" in");
        sb.append(cases);
        line("    esac");
        line("}");
        line("");
    }

    /** The word {@code _pinreplay_kind} answers for {@code a}, or empty for nothing to offer. */
    private static String kind(ArgCompletion a) {
        String none = a.words().contains("none") ? "+none" : "";
        return switch (a.kind()) {
            case NONE -> "";
            case FILE -> "file";
            case DIR -> "dir";
            case RELEASE -> "release";
            case POLICY -> "policy" + none;
            case INJECT -> "inject" + none;
            case SCENARIO -> "scenario";
            case PARAM -> "param";
            case WORDS -> q("words:" + String.join(",", a.words()));
        };
    }

    /** {@code s} single-quoted for the shell. */
    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void line(String s) {
        sb.append(s).append('\n');
    }

    private static final String FUNCTIONS = """
            # Candidates of kind $1 for the word $2 (scenario $3 given on the line), one per line.
            _pinreplay_values() {
                local kind=${1%+none} cur=$2 scenario=$3 none= IFS=$' \t\n'
                [[ $1 == *+none ]] && none=none
                case $kind in
                    file) compgen -f -- "$cur" ;;
                    dir) compgen -d -- "$cur" ;;
                    release) compgen -W "$_pinreplay_releases" -- "$cur" ;;
                    policy) compgen -W "$_pinreplay_policies $none" -- "$cur" ;;
                    scenario) compgen -W "$_pinreplay_scenarios" -- "$cur" ;;
                    words:*) (IFS=', '; compgen -W "${kind#words:}" -- "$cur") ;;
                    inject)
                        if [[ $cur != *:* ]]; then
                            compgen -W "$_pinreplay_injectors $none" -- "$cur"
                            return
                        fi
                        local name=${cur%%:*} head=${cur%"${cur##*[:,]}"} last=${cur##*[:,]} k
                        if [[ $last == *=* ]]; then
                            compgen -P "$head${last%%=*}=" -W "$(_pinreplay_inject_values "$name" "${last%%=*}")" \\
                                -- "${last#*=}"
                        else
                            for k in $(_pinreplay_inject_keys "$name"); do
                                [[ ,${head#*:} == *",$k="* || $head$k= != "$cur"* ]] || echo "$head$k="
                            done
                        fi ;;
                    param)
                        if [[ $cur == *=* ]]; then
                            compgen -P "${cur%%=*}=" -W "$(_pinreplay_param_values "$scenario" "${cur%%=*}")" \\
                                -- "${cur#*=}"
                        else
                            compgen -S = -W "$(_pinreplay_param_keys "$scenario")" -- "$cur"
                        fi ;;
                esac
            }

            _pinreplay() {
                local line words=() n i w cmd= pos=0 scenario= kind= prefix=
                if [[ -n ${COMP_LINE+set} ]]; then
                    line=${COMP_LINE:0:COMP_POINT}
                    read -ra words <<< "$line"
                    [[ -z $line || $line == *[[:space:]] ]] && words+=('')
                else
                    words=("${COMP_WORDS[@]:0:COMP_CWORD+1}")
                fi
                n=${#words[@]}
                local cur=${words[n-1]} prev=${words[n-2]}
                for ((i = 1; i < n - 1; i++)); do
                    w=${words[i]}
                    if [[ $w == -- ]]; then
                        kind=file
                        break
                    elif [[ $w == -* ]]; then
                        [[ $w != *=* && " $(_pinreplay_valued "$cmd") " == *" $w "* ]] && ((i++))
                    elif [[ $pos -eq 0 && " $(_pinreplay_subcommands "$cmd") " == *" $w "* ]]; then
                        cmd=${cmd:+$cmd }$w
                    else
                        [[ $(_pinreplay_kind "$cmd" "#$pos") == scenario ]] && scenario=$w
                        ((pos++))
                    fi
                done
                COMPREPLY=()
                if [[ -n $kind ]]; then
                    :
                elif [[ $cur == -*=* ]]; then
                    kind=$(_pinreplay_kind "$cmd" "${cur%%=*}")
                    prefix=${cur%%=*}=
                    cur=${cur#*=}
                elif [[ $n -gt 2 && $prev == -* && $prev != *=* && " $(_pinreplay_valued "$cmd") " == *" $prev "* ]]; then
                    kind=$(_pinreplay_kind "$cmd" "$prev")
                elif [[ $cur == -* ]]; then
                    COMPREPLY=($(compgen -W "$(_pinreplay_options "$cmd")" -- "$cur"))
                    return 0
                else
                    [[ $pos -eq 0 ]] && COMPREPLY=($(compgen -W "$(_pinreplay_subcommands "$cmd")" -- "$cur"))
                    kind=$(_pinreplay_kind "$cmd" "#$pos")
                fi
                local IFS=$'\\n' c
                for c in $(_pinreplay_values "$kind" "$cur" "$scenario"); do
                    COMPREPLY+=("$prefix$c")
                done
                [[ $kind == file || $kind == dir ]] && compopt -o filenames 2>/dev/null
                [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[=:,] ]] && compopt -o nospace 2>/dev/null
                # Readline replaces the text after the last word-break character: cut the candidates there.
                local lead=$prefix$cur
                while [[ -n $lead && ${COMP_WORDBREAKS-} != *"${lead: -1}"* ]]; do
                    lead=${lead%?}
                done
                [[ -n $lead ]] && COMPREPLY=("${COMPREPLY[@]#"$lead"}")
                return 0
            }

            complete -F _pinreplay pinreplay ./pinreplay
            """;
}
