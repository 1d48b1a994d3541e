package pinreplay.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The pinreplay command. Only wires subcommands together; each subcommand is a
 * {@code Callable<Integer>} returning one of the {@link ExitCodes}, and only {@link #main} exits.
 */
@Command(name = "pinreplay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Trace replayer and fault injector for Linux page pinning.",
        subcommands = {
                AutoComplete.GenerateCompletion.class,
                CampaignCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command tree; tests and the shell use the same tree as {@link #main}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setExecutionExceptionHandler(new Errors());
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
