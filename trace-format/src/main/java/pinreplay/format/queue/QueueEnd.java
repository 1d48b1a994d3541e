package pinreplay.format.queue;

import java.nio.file.Path;

import pinreplay.format.parse.TraceParser;

/**
 * How a read of a queue ended and how far it got: every block delivered was whole and checked, so the
 * records read are an exact prefix of what the writer was given.
 *
 * @param state    why the read ended
 * @param blocks   blocks read
 * @param records  records read (symbol definitions not counted)
 * @param lastLine highest source line of a record read (0 when none)
 * @param detail   the stop reason ({@link State#STOPPED}), the writer ({@link State#WRITING}) or the queue's source
 *                 ({@link State#ABANDONED}: what can write it again)
 */
public record QueueEnd(Path dir, State state, long blocks, long records, long lastLine, String detail) {
    /** Why a read ended. */
    public enum State {
        /** At the end marker of a complete queue. */
        COMPLETE,
        /** At the end of a queue whose ingest stopped early (a malformed line, a read error, a full disk). */
        STOPPED,
        /** The writer is still appending (a read that does not follow). */
        WRITING,
        /** The writer is gone without finishing: killed, crashed or powered off. */
        ABANDONED,
        /** The reading thread was interrupted (Ctrl-C while following). */
        INTERRUPTED
    }

    /** Whether every block the writer was given was read. */
    public boolean complete() {
        return state == State.COMPLETE;
    }

    /** One line for stderr: why the queue ends here and how far it goes. */
    public String message() {
        String holds = blocks + (blocks == 1 ? " block, " : " blocks, ") + records
                + (records == 1 ? " record" : " records") + (lastLine > 0 ? " up to line " + lastLine : "");
        return switch (state) {
            case COMPLETE -> dir + ": complete: " + holds;
            case STOPPED -> dir + ": the ingest stopped early: " + detail + "; the queue holds its first " + holds;
            case WRITING -> dir + ": incomplete: still being written by " + detail + "; read " + holds
                    + " so far (cat --follow waits for the end)";
            case ABANDONED -> dir + ": incomplete: its writer is gone without finishing (killed or crashed); the"
                    + " queue holds " + holds + " (" + again() + ")";
            case INTERRUPTED -> dir + ": interrupted after " + holds;
        };
    }

    /** How an abandoned queue is written whole: resumed from its trace file, or written again from the start. */
    private String again() {
        if (detail.equals(TraceParser.STDIN)) {
            return "it was ingested from standard input, which cannot be read again: ingest FILE --queue " + dir
                    + " --force starts over";
        }
        if (detail.startsWith("synth ")) {
            return "pinreplay " + detail + " --queue " + dir + " --force writes it again";
        }
        return "ingest --resume " + detail + " --queue " + dir + " continues it";
    }

    /** The exception a reader that wants the whole queue throws for this end; null when complete. */
    public QueueException failure() {
        return switch (state) {
            case COMPLETE, INTERRUPTED -> null;
            case STOPPED -> new QueueException(QueueException.Reason.STOPPED, message());
            case WRITING, ABANDONED -> new QueueException(QueueException.Reason.INCOMPLETE, message());
        };
    }
}
