package pinreplay.format.queue;

import pinreplay.format.EventType;
import pinreplay.format.Record;

/**
 * What the blocks of a queue hold, counted by walking their record headers: records by type, the last
 * source line, and timestamps that go back in time on one CPU (accepted, since a trace is replayed in
 * file order, but counted so an ingest can say so). The writer counts what it appended, so a queue
 * stopped by a full disk says exactly what it holds; a reader counts what it read, to say how far an
 * incomplete queue goes and to check the metadata's promises. A walk reads five header words per
 * record and allocates nothing.
 */
final class Tally {
    private final long[] byType = new long[256];
    private final long[] lastTs = new long[1 << 16]; // by CPU, a u16 in the record
    private long lastLine;
    private long backwards;
    private long firstBackwardsLine;

    /** Counts the records of one block. */
    void add(byte[] b, int length) {
        for (int o = 0; o + Record.HEADER <= length; ) {
            int size = Record.u16(b, o + Record.SIZE);
            if (size < Record.HEADER) {
                return; // not a record: the reader's checksum has already refused such a block
            }
            int type = b[o + Record.TYPE] & 0xff;
            byType[type]++;
            if (type != EventType.SYMBOL.code()) {
                long line = Record.u32(b, o + Record.LINE);
                lastLine = Math.max(lastLine, line);
                if (Record.i32(b, o + Record.COMM) != 0) { // a line with the context columns: task, CPU, time
                    timestamp(Record.u16(b, o + Record.CPU), Record.i64(b, o + Record.TS), line);
                }
            }
            o += size;
        }
    }

    private void timestamp(int cpu, long ts, long line) {
        if (ts < lastTs[cpu]) {
            if (backwards++ == 0) {
                firstBackwardsLine = line;
            }
        }
        lastTs[cpu] = ts;
    }

    long count(EventType t) {
        return byType[t.code()];
    }

    /** Records other than symbol definitions. */
    long records() {
        long n = 0;
        for (int i = 0; i < byType.length; i++) {
            if (i != EventType.SYMBOL.code()) {
                n += byType[i];
            }
        }
        return n;
    }

    /** Highest source line of a record (0 when none). */
    long lastLine() {
        return lastLine;
    }

    /** Records whose timestamp is earlier than the one before on the same CPU. */
    long backwards() {
        return backwards;
    }

    /** Source line of the first of those (0 when none). */
    long firstBackwardsLine() {
        return firstBackwardsLine;
    }
}
