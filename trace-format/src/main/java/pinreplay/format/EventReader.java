package pinreplay.format;

/**
 * Turns blocks back into events: defines symbols from {@link EventType#SYMBOL} records and hands
 * every other record to an {@link EventHandler} through one reused {@link EventView}. It is itself
 * a {@link BlockSink}, so a parser or synthesizer can feed a replayer directly, with no queue between.
 */
public final class EventReader implements BlockSink {
    private final SymbolTable symbols = new SymbolTable();
    private final SymbolTable keys = new SymbolTable();
    private final EventView view = new EventView(symbols, keys);
    private final EventHandler handler;

    public EventReader(EventHandler handler) {
        this.handler = handler;
    }

    public SymbolTable symbols() {
        return symbols;
    }

    public SymbolTable keys() {
        return keys;
    }

    @Override
    public void onBlock(byte[] buf, int length) {
        int o = 0;
        while (o + Record.HEADER <= length) {
            int size = Record.u16(buf, o + Record.SIZE);
            if (size < Record.HEADER || o + size > length) {
                throw new TraceFormatException("corrupt block: record at offset " + o + " has size " + size
                        + " in a block of " + length + " bytes");
            }
            view.wrap(buf, o);
            if (view.type() == EventType.SYMBOL) {
                define(view);
            } else {
                handler.onEvent(view);
            }
            o += size;
        }
    }

    @Override
    public void onEnd() {
        handler.onEnd();
    }

    private void define(EventView v) {
        SymbolTable t = v.bit(Record.B_KEYS) ? keys : symbols;
        long id = v.get(Field.SYMBOL_ID);
        if (id != t.size() + 1) {
            throw new TraceFormatException("corrupt stream: symbol " + id + " defined after " + t.size()
                    + " symbols (did reading start in the middle of a queue?)");
        }
        t.add(v.buffer(), v.rawOffset(), v.rawOffset() + v.rawLength());
    }
}
