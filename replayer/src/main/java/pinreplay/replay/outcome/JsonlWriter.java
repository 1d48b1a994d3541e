package pinreplay.replay.outcome;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Outcome records as JSON lines ({@code --format jsonl}), formatted into one reused buffer and written
 * in large chunks: nothing is allocated per outcome.
 */
public final class JsonlWriter implements OutcomeSink {
    private static final int FLUSH_AT = 1 << 16;

    private final OutputStream out;
    private final JsonText text = new JsonText();

    public JsonlWriter(OutputStream out) {
        this.out = out;
    }

    @Override
    public void accept(Outcome o) {
        text.outcome(o).raw('\n');
        if (text.n >= FLUSH_AT) {
            flush();
        }
    }

    @Override
    public void end(ReplaySummary summary) {
        flush();
    }

    private void flush() {
        try {
            out.write(text.buf, 0, text.n);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        text.reset();
    }

    /** One outcome as a JSON line, for tests and for reports that quote records. */
    public static String format(Outcome o) {
        return new JsonText().outcome(o).toString();
    }
}
