package pinreplay.cli.shell;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import pinreplay.cli.Main;

/** A session driven line by line in-process, returning what each line printed. */
final class Harness {
    static final List<String> SUBJECTS = List.of("mm", "vmas", "pins", "handles", "lock", "iommu");

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final Session session;
    final Dispatcher dispatcher;

    Harness(String... options) {
        PrintWriter w = new PrintWriter(out, true);
        ShellOut so = new ShellOut(w, false);
        var cli = Main.commandLine(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        session = new Session(so);
        String kernel = options.length > 0 ? options[0] : null;
        session.configure(kernel, List.of(), 0, List.of());
        dispatcher = new Dispatcher(session, cli, new PrintWriter(err, true));
    }

    /** Runs one line and returns what it printed to the session's output. */
    String run(String line) {
        out.getBuffer().setLength(0);
        int code = dispatcher.execute(line, "");
        if (code >= 2) {
            throw new AssertionError("'" + line + "' failed with " + code + ": " + err);
        }
        return out.toString();
    }

    /** Everything {@code show} prints, subject by subject, plus the counters of {@code show stats}. */
    String state() {
        StringBuilder sb = new StringBuilder();
        for (String s : SUBJECTS) {
            sb.append(run("show " + s));
        }
        String stats = run("show stats");
        return sb.append(stats.substring(stats.indexOf('\n') + 1)).toString();
    }
}
