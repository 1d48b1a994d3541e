package pinreplay.replay.explore;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import pinreplay.format.EventView;
import pinreplay.format.Record;
import pinreplay.format.print.FtracePrinter;

/**
 * Writes an outcome class's order as a trace that {@code pinreplay replay} reproduces: the recorded trace's header
 * comments, comment lines saying what was explored, then the events in the new order with their timestamps raised
 * where needed to stay monotonic (as the explorer replayed them). A window (an event racing inside another's
 * mmap_lock window) is re-created by the replay command: the mmap-unlock injector at the line of that event.
 */
public final class Reproducer {
    /** A window to re-create: the 1-based line of its event in the written file, where it opened, the race. */
    public record Window(long line, String point, String race) {
    }

    private Reproducer() {
    }

    /** Writes {@code c}'s order; {@code comments} are written as {@code # } lines after the header. */
    public static List<Window> write(TraceEvents t, OutcomeClass c, List<String> comments, OutputStream out)
            throws IOException {
        byte[] scratch = new byte[Record.MAX_SIZE + 1];
        EventView view = t.view();
        FtracePrinter printer = new FtracePrinter(out);
        for (int i = 0; i < t.headerLines(); i++) {
            int off = t.headerOffset(i);
            int size = Record.u16(t.data(), off + Record.SIZE);
            System.arraycopy(t.data(), off, scratch, 0, size);
            Record.putI32(scratch, Record.LINE, 0); // no blank lines for gaps: the file is renumbered
            printer.onEvent(view.wrap(scratch, 0));
        }
        printer.flush();
        for (String line : comments) {
            out.write(("# " + line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        long lineNo = t.headerLines() + comments.size();
        long ts = Long.MIN_VALUE;
        List<Window> windows = new ArrayList<>();
        for (int k = 0; k < c.events.length; k++) {
            int e = c.events[k];
            int size = t.recordSize(e);
            System.arraycopy(t.data(), t.offset(e), scratch, 0, size);
            ts = Math.max(ts, t.ts(e));
            Record.putI64(scratch, Record.TS, ts);
            Record.putI32(scratch, Record.LINE, 0);
            printer.onEvent(view.wrap(scratch, 0));
            lineNo++;
            if (c.windows[k] >= 0) {
                windows.add(new Window(lineNo, c.windowPoints[k], raceName(t, c.windows[k])));
            }
        }
        printer.flush();
        return windows;
    }

    private static String raceName(TraceEvents t, int event) {
        return switch (t.eventName(event)) {
            case "munmap" -> "munmap";
            case "mmap" -> "remap";
            default -> "mprotect";
        };
    }
}
