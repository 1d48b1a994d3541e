package pinreplay.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

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
        description = "Trace replayer and fault injector for Linux page pinning.")
public final class Main implements Runnable {
    /** The subcommands, in the order help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RecordCommand.class, IngestCommand.class, CatCommand.class,
            CompletionCommand.class, SynthCommand.class, CampaignCommand.class, ReplayCommand.class, ExploreCommand.class,
            WatchCommand.class, DiffCommand.class, ProfilesCommand.class, FaultsCommand.class, ShellCommand.class);

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
        return tree(new Main(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out)), null);
    }

    /**
     * Builds the command tree reading {@code stdin} and writing all standard output, text and bytes,
     * to {@code stdout}: tests run commands in-process this way (with {@code setErr} for stderr).
     */
    public static CommandLine commandLine(InputStream stdin, OutputStream stdout) {
        CommandLine cl = tree(new Main(stdin, stdout), null);
        cl.setOut(new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), true));
        return cl;
    }

    /**
     * The command tree; with {@code only}, just that subcommand under the root: picocli reflects every option of every
     * subcommand it is given, a third of a one-liner's start-up, and a run needs the one it runs.
     */
    private static CommandLine tree(Main main, String only) {
        CommandLine cl = new CommandLine(main);
        for (Class<?> c : SUBCOMMANDS) {
            if (only == null || only.equals(c.getAnnotation(Command.class).name())) {
                cl.addSubcommand(c);
            }
        }
        cl.setExitCodeExceptionMapper(ExitCodes::forException);
        cl.setExecutionExceptionHandler(new Errors());
        cl.setExecutionStrategy(Errors::runCatchingErrors);
        cl.setParameterExceptionHandler(Main::usageError);
        CommandLine record = cl.getSubcommands().get("record");
        if (record != null) {
            record.setStopAtPositional(true); // the command's own options are the command's
        }
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
        Main main = new Main(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
        CommandLine cl = tree(main, runsOne(args) ? args[0] : null);
        int code = cl.execute(args);
        cl.getOut().flush();
        if (code == ExitCodes.OK && (cl.getOut().checkError() || System.out.checkError()) && !stdoutIsPipe()) {
            // text printed through picocli's writer (help, completion, profiles): a full disk must not pass as 0
            System.err.println("pinreplay: cannot write the output (a full disk or a failing device)");
            code = ExitCodes.OUTPUT_ERROR;
        }
        System.exit(code);
    }

    /** Standard output is a pipe: a write error there is its reader leaving (| head), which ends a command quietly. */
    private static boolean stdoutIsPipe() {
        try {
            return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/1")).toString()
                    .startsWith("pipe:");
        } catch (java.io.IOException e) {
            return true; // no /proc: do not turn a reader's leaving into an error
        }
    }

    /**
     * Whether {@code args} run one subcommand that needs no other: not help, version, a mistyped name (whose
     * suggestions list the others) nor completion (whose script lists them all).
     */
    private static boolean runsOne(String[] args) {
        if (args.length == 0 || args[0].equals("completion")) {
            return false;
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (args[0].equals(c.getAnnotation(Command.class).name())) {
                return true;
            }
        }
        return false;
    }
}
