package pinreplay.replay;

import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.Field;

/**
 * A kprobe'd GUP call between its kprobe and its kretprobe. It runs in the model at its return, when the
 * recorded result is known: memory nobody described is assumed from that result first
 * ({@link pinreplay.replay.PriorMemory}), and the two timestamps give the recording's own latency.
 * One per task, reused.
 */
final class ProbedCall {
    EventType type;
    long line;
    long ts;
    int tsBits;
    int pid;
    int handle;
    long mmPid;
    long start;
    long nrPages;
    /** Canonical FOLL_* flags. */
    long foll;
    boolean waiting;

    void fill(EventView v, long canonicalFoll) {
        type = v.type();
        line = v.line();
        ts = v.ts();
        tsBits = Replayer.tsBits(v);
        pid = v.pid();
        handle = v.symbol(Field.HANDLE);
        mmPid = v.get(Field.MM, -1);
        start = v.get(Field.START, 0);
        nrPages = v.get(Field.NR_PAGES, 0);
        foll = canonicalFoll;
        waiting = true;
    }
}
