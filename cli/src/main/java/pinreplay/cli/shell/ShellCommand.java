package pinreplay.cli.shell;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.jline.terminal.Terminal;
import picocli.CommandLine.Mixin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import pinreplay.cli.Main;
import pinreplay.cli.OutputException;
import pinreplay.cli.QueueOption;
import pinreplay.cli.RunOptions;
import pinreplay.cli.Subcommand;
import pinreplay.replay.run.TraceSource;

/**
 * {@code pinreplay shell}: an interactive session over the replayer (step, run to a breakpoint, go
 * back, inspect the model, change the kernel or inject faults, type events). With standard input not
 * a terminal it runs the same commands as a script ({@link ScriptRunner}).
 */
@Command(name = "shell",
        description = {"Explore a trace interactively, as in a debugger.",
                "Step, run until a violation, go back, show the model's state, type native events, change the kernel "
                        + "or policies and replay. Reads a script when standard input is not a terminal (exit code as "
                        + "replay's). 'help' inside lists the commands."})
public final class ShellCommand extends Subcommand {
    @Parameters(arity = "0..1", paramLabel = "TRACE", description = "Trace text to load.")
    String trace;

    @Mixin
    QueueOption queue;

    @Mixin
    RunOptions run;

    @Override
    public Integer call() throws IOException {
        if (trace != null && queue.queue != null) {
            throw new ParameterException(spec.commandLine(), "expected a TRACE or --queue DIR, not both");
        }
        if (isTerminal(main.stdin())) {
            try (Terminal t = Repl.terminal()) {
                boolean colour = Repl.colour(t, System.getenv("NO_COLOR"));
                t.writer().println(Repl.banner(trace != null || queue.queue != null));
                Session s = start(new ShellOut(t.writer(), colour));
                if (s.loaded()) {
                    t.writer().println(Listing.loaded(s));
                }
                Dispatcher d = new Dispatcher(s, cli(t.writer(), main.stdin()), t.writer());
                Path history = Path.of(System.getProperty("user.home"), Repl.HISTORY);
                return Repl.run(t, Repl.reader(t, new Completers(s, d), history), d, s, colour);
            }
        }
        PrintWriter err = spec.commandLine().getErr();
        Session s = start(new ShellOut(spec.commandLine().getOut(), false));
        BufferedReader script = new BufferedReader(new InputStreamReader(main.stdin(), StandardCharsets.UTF_8));
        // a CLI command reading "-" reads the rest of the script
        Dispatcher d = new Dispatcher(s, cli(err, new ScriptRest(script)), err);
        int code = ScriptRunner.run(script, d, s);
        if (spec.commandLine().getOut().checkError()) {
            throw new OutputException("cannot write the output");
        }
        return code;
    }

    private Session start(ShellOut out) {
        Session s = new Session(out);
        try {
            s.configure(run.kernel, run.policies, run.seed, run.injects);
        } catch (ShellException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        TraceSource source = queue.source(trace, null);
        if (source != null) {
            s.load(source);
        }
        return s;
    }

    /** The CLI's command tree for commands typed in the shell, on the same streams. */
    private CommandLine cli(PrintWriter err, InputStream stdin) {
        CommandLine cl = Main.commandLine(stdin, main.stdout());
        cl.setErr(err);
        return cl;
    }

    /** Whether {@code in} is the process's standard input and that is a terminal. */
    private static boolean isTerminal(InputStream in) throws IOException {
        if (!(in instanceof FileInputStream f) || f.getFD() != FileDescriptor.in) {
            return false;
        }
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // Java 22+ returns a Console for redirected streams too; isTerminal() tells them apart.
            Method m = java.io.Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
