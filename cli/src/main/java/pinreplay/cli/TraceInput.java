package pinreplay.cli;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Opens a trace argument: a file, or {@code -} for standard input; failures are {@link InputException}s. */
public final class TraceInput {
    private TraceInput() {
    }

    /** The name used in {@code FILE:LINE:} messages. */
    public static String sourceName(String input) {
        return "-".equals(input) ? "<stdin>" : input;
    }

    public static ReadableByteChannel open(Main main, String input) {
        if ("-".equals(input)) {
            InputStream in = main.stdin();
            return in instanceof FileInputStream f ? f.getChannel() : Channels.newChannel(in);
        }
        Path p = Path.of(input);
        if (Files.isDirectory(p)) {
            throw new InputException(input + ": is a directory, expected a trace file");
        }
        try {
            return FileChannel.open(p);
        } catch (NoSuchFileException e) {
            throw new InputException(input + ": no such file");
        } catch (AccessDeniedException e) {
            throw new InputException(input + ": permission denied");
        } catch (IOException e) {
            throw new InputException(input + ": cannot open: " + e.getMessage());
        }
    }
}
