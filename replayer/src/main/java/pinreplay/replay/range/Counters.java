package pinreplay.replay.range;

/** A map of one value per range: a count, flags or an order. */
public final class Counters extends RangeMap {
    public Counters() {
        super(0, false, 0);
    }

    public long value(int i) {
        return a(i);
    }

    public long valueOf(long k) {
        return aOf(k);
    }
}
