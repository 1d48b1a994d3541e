package pinreplay.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import picocli.CommandLine;

/** Runs a pinreplay command in-process with the given stdin, capturing exit code, stdout and stderr. */
record Run(int code, String out, String err) {
    static Run of(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return of(stdin, out, args).withOut(out.toString(StandardCharsets.UTF_8));
    }

    static Run of(String stdin, OutputStream out, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out);
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, "", err.toString());
    }

    private Run withOut(String o) {
        return new Run(code, o, err);
    }
}
