package pinreplay.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command under {@code pinreplay}, with {@code --help} and {@code --version}: picocli hands it the command above
 * (whose standard streams it uses) and its own spec. It returns one of the {@link ExitCodes}.
 */
@Command(mixinStandardHelpOptions = true)
public abstract class Subcommand implements Callable<Integer> {
    @ParentCommand
    protected Main main;

    @Spec
    protected CommandSpec spec;
}
