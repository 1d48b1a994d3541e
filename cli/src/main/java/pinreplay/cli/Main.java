package pinreplay.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import pinreplay.cli.shell.ShellCommand;

/**
 * The pinreplay command. Only wires subcommands together; each subcommand is a
 * {@code Callable<Integer>} returning one of the {@link ExitCodes}, and only {@link #main} exits.
 */
@Command(name = "pinreplay",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Trace replayer and fault injector for Linux page pinning.",
        subcommands = {
                RecordCommand.class,
                IngestCommand.class,
                CatCommand.class,
                CompletionCommand.class,
                SynthCommand.class,
                CampaignCommand.class,
                ReplayCommand.class,
                ExploreCommand.class,
                WatchCommand.class,
                DiffCommand.class,
                ProfilesCommand.class,
                FaultsCommand.class,
                ShellCommand.class,
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final InputStream stdin;
    private final OutputStream stdout;

    private Main(InputStream stdin, OutputStream stdout) {
        this.stdin = stdin;
        this.stdout = stdout;
    }

    /** Standard input as bytes, for commands that read {@code -}. */
    public InputStream stdin() {
        return stdin;
    }

    /**
     * Standard output as bytes, unbuffered (commands buffer it). On the real descriptor a closed pipe
     * surfaces as an IOException rather than being swallowed as by {@code System.out}.
     */
    public OutputStream stdout() {
        return stdout;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Builds the command tree on the process's standard streams; the shell uses the same tree. */
    public static CommandLine commandLine() {
        return tree(new Main(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out)));
    }

    /**
     * Builds the command tree reading {@code stdin} and writing all standard output, text and bytes,
     * to {@code stdout}: tests run commands in-process this way (with {@code setErr} for stderr).
     */
    public static CommandLine commandLine(InputStream stdin, OutputStream stdout) {
        CommandLine cl = tree(new Main(stdin, stdout));
        cl.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        return cl;
    }

    private static CommandLine tree(Main main) {
        CommandLine cl = new CommandLine(main);
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setExecutionStrategy(Errors::runCatchingErrors);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.getSubcommands().get("record").setStopAtPositional(true); // the command's own options are the command's
        return cl;
    }

    /**
     * A usage error says what was wrong and where to read more, as GNU tools do, rather than printing the whole
     * help (which would bury the one line that matters).
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        PrintWriter err = c.getErr();
        err.println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
        err.flush();
        return ExitCodes.forException(ex);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
