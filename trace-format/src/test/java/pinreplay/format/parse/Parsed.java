package pinreplay.format.parse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import pinreplay.format.EventHandler;
import pinreplay.format.EventReader;
import pinreplay.format.EventType;
import pinreplay.format.EventView;
import pinreplay.format.EventWriter;
import pinreplay.format.ValueType;
import pinreplay.format.print.FtracePrinter;
import pinreplay.format.print.JsonlPrinter;

/** A parsed trace for tests: the blocks exactly as written, the events decoded, and the stats. */
final class Parsed {
    /** One field as a test sees it. */
    record Val(byte type, long value, String text) {
    }

    /** One event, copied out of the flyweight. */
    record Ev(EventType type, long line, String comm, int pid, Integer tgid, int cpu, long ts, int bits,
              String flags, Map<String, Val> fields, String raw, String name) {
        Val f(String key) {
            Val v = fields.get(key);
            if (v == null) {
                throw new AssertionError("no field " + key + " in " + this);
            }
            return v;
        }

        long num(String key) {
            return f(key).value();
        }

        String sym(String key) {
            Val v = f(key);
            if (v.type() != ValueType.SYM) {
                throw new AssertionError(key + " is not a symbol in " + this);
            }
            return v.text();
        }

        boolean bit(int b) {
            return (bits & b) != 0;
        }
    }

    final byte[] blocks;
    final List<Integer> blockSizes;
    final List<Ev> events;
    final ParseStats stats;

    private Parsed(byte[] blocks, List<Integer> blockSizes, List<Ev> events, ParseStats stats) {
        this.blocks = blocks;
        this.blockSizes = blockSizes;
        this.events = events;
        this.stats = stats;
    }

    static Parsed of(String text) {
        return of(text, false);
    }

    static Parsed of(String text, boolean lenient) {
        return of(bytes(text), lenient, Integer.MAX_VALUE);
    }

    /** Parses, handing the parser at most {@code chunk} bytes per read (to split lines across refills). */
    static Parsed of(byte[] text, boolean lenient, int chunk) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        List<Integer> sizes = new ArrayList<>();
        List<Ev> events = new ArrayList<>();
        EventReader reader = new EventReader(view -> events.add(copy(view)));
        EventWriter w = new EventWriter((buf, len) -> {
            all.write(buf, 0, len);
            sizes.add(len);
            reader.onBlock(buf, len);
        });
        ParseStats stats;
        try {
            stats = new TraceParser("t.txt", w, lenient).parse(chunked(text, chunk));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Parsed(all.toByteArray(), sizes, events, stats);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String sample(String name) {
        try (InputStream in = Parsed.class.getResourceAsStream("/samples/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** These blocks printed by {@link FtracePrinter}. */
    String ftrace() {
        return print(new ByteArrayOutputStream(), true);
    }

    /** These blocks printed by {@link JsonlPrinter}. */
    String jsonl() {
        return print(new ByteArrayOutputStream(), false);
    }

    private String print(ByteArrayOutputStream out, boolean ftrace) {
        EventHandler h = ftrace ? new FtracePrinter(out) : new JsonlPrinter(out);
        EventReader reader = new EventReader(h);
        int off = 0;
        for (int size : blockSizes) {
            reader.onBlock(java.util.Arrays.copyOfRange(blocks, off, off + size), size);
            off += size;
        }
        reader.onEnd();
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Events of type {@code t}, in order. */
    List<Ev> of(EventType t) {
        List<Ev> r = new ArrayList<>();
        for (Ev e : events) {
            if (e.type() == t) {
                r.add(e);
            }
        }
        return r;
    }

    Ev atLine(long line) {
        for (Ev e : events) {
            if (e.line() == line) {
                return e;
            }
        }
        throw new AssertionError("no event at line " + line);
    }

    static ReadableByteChannel chunked(byte[] text, int chunk) {
        ReadableByteChannel whole = Channels.newChannel(new java.io.ByteArrayInputStream(text));
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                if (dst.remaining() <= chunk) {
                    return whole.read(dst);
                }
                ByteBuffer part = dst.duplicate();
                part.limit(part.position() + chunk);
                int n = whole.read(part);
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {
            }
        };
    }

    private static Ev copy(EventView v) {
        Map<String, Val> fields = new LinkedHashMap<>();
        for (int i = 0; i < v.fieldCount(); i++) {
            byte type = v.fieldType(i);
            long value = v.fieldValue(i);
            String text = type == ValueType.SYM ? v.symbols().string((int) value) : null;
            fields.putIfAbsent(v.keyName(v.fieldKey(i)), new Val(type, value, text));
        }
        StringBuilder flags = new StringBuilder();
        for (int i = 0; i < v.irqFlagCount(); i++) {
            flags.append((char) v.irqFlag(i));
        }
        return new Ev(v.type(), v.line(), v.comm() == 0 ? null : v.symbols().string(v.comm()), v.pid(),
                v.hasTgid() ? v.tgid() : null, v.cpu(), v.ts(), v.bits(), flags.toString(), fields,
                v.rawString(), v.eventName());
    }
}
