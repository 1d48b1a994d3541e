package pinreplay.cli;


import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import pinreplay.cli.completion.BashScript;
import pinreplay.cli.completion.ZshScript;

/** {@code pinreplay completion bash|zsh}: prints the completion script for that shell. */
@Command(name = "completion",
        description = {"Print a bash or zsh completion script for pinreplay.",
                "It completes commands, options, file names, kernel releases, policies and their values, injectors "
                        + "and their keys, scenarios and their parameters, as this build models them.",
                "  source <(pinreplay completion bash)",
                "  pinreplay completion zsh > ~/.zfunc/_pinreplay"})
public final class CompletionCommand extends Subcommand {
    @Parameters(arity = "0..1", paramLabel = "bash|zsh", defaultValue = "bash",
            description = "The shell (default: ${DEFAULT-VALUE}).")
    String shell;

    @Override
    public Integer call() {
        String script = switch (shell) {
            case "bash" -> BashScript.of(spec.root().commandLine());
            case "zsh" -> ZshScript.of(spec.root().commandLine());
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "expected bash or zsh, got '" + shell + "'");
        };
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
