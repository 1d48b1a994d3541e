package pinreplay.diff;

import java.io.BufferedReader;
import java.io.IOException;

import pinreplay.cli.InputException;

/**
 * Two recorded runs ({@code replay --format jsonl} output) read in step, record by record from whichever file is
 * behind in trace lines, so the {@link Aligner} holds only calls one file has not finished.
 */
public final class OutcomeFiles {
    private final BufferedReader[] in;
    private final String[] names;
    private final long[] lineNo = new long[2];
    /** The trace line of each file's last record; Long.MAX_VALUE once the file ended. */
    private final long[] at = new long[2];

    public OutcomeFiles(BufferedReader a, String nameA, BufferedReader b, String nameB) {
        this.in = new BufferedReader[] {a, b};
        this.names = new String[] {nameA, nameB};
    }

    /**
     * Feeds every record of both files to {@code aligner} and ends it; a line that is not an outcome record
     * is an {@link InputException} naming the file and line.
     */
    public DiffSummary readTo(Aligner aligner) {
        while (at[0] != Long.MAX_VALUE || at[1] != Long.MAX_VALUE) {
            int side = at[0] <= at[1] ? 0 : 1;
            String text = next(side);
            if (text == null) {
                at[side] = Long.MAX_VALUE;
            } else if (!text.isBlank()) {
                try {
                    at[side] = Math.max(at[side], aligner.add(side, text));
                } catch (IllegalArgumentException e) {
                    throw new InputException(names[side] + ":" + lineNo[side] + ": expected an outcome record of "
                            + "'replay --format jsonl', got '" + (text.length() > 60 ? text.substring(0, 60) + "..." : text)
                            + "' (" + e.getMessage() + ")");
                }
            }
        }
        return aligner.end();
    }

    private String next(int side) {
        try {
            lineNo[side]++;
            return in[side].readLine();
        } catch (IOException e) {
            throw new InputException(names[side] + ": cannot read: " + e.getMessage());
        }
    }
}
