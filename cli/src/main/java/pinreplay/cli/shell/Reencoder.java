package pinreplay.cli.shell;

import pinreplay.format.EventHandler;
import pinreplay.format.EventView;
import pinreplay.format.EventWriter;
import pinreplay.format.Field;
import pinreplay.format.Record;
import pinreplay.format.ValueType;

/**
 * Writes events read from a queue into the session's writer, re-interning their symbols there, so that
 * a queue's events and typed ones share one symbol table.
 */
final class Reencoder implements EventHandler {
    private final EventWriter w;
    private final byte[] scratch = new byte[Record.MAX_SIZE];
    private final byte[] irq = new byte[5];

    Reencoder(EventWriter w) {
        this.w = w;
    }

    @Override
    public void onEvent(EventView v) {
        w.begin(v.type(), v.line()).ts(v.ts(), v.bits()).pid(v.pid()).cpu(v.cpu())
                .bit(v.bits() & (Record.B_MARKER | Record.B_PROBE));
        if (v.hasTgid()) {
            w.tgid(v.tgid());
        }
        int nirq = v.irqFlagCount();
        for (int i = 0; i < nirq; i++) {
            irq[i] = v.irqFlag(i);
        }
        w.irqFlags(irq, 0, nirq);
        if (v.comm() != 0) {
            w.comm(w.symbols().intern(v.symbols().string(v.comm())));
        }
        for (int i = 0, n = v.fieldCount(); i < n; i++) {
            int key = v.fieldKey(i);
            byte type = v.fieldType(i);
            long value = v.fieldValue(i);
            if (type == ValueType.SYM) {
                value = w.symbols().intern(v.symbols().string((int) value));
            }
            if (key < Field.COUNT) {
                w.field(key, type, value);
            } else {
                int len = v.keys().copy(key - Field.EXTRA_KEYS, scratch, 0);
                w.unknownField(scratch, 0, len, type, value);
            }
        }
        w.raw(v.buffer(), v.rawOffset(), v.rawOffset() + v.rawLength());
        w.commit();
    }
}
