package pinreplay.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class EventWriterReaderTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void recordsSurviveBlockRoundTripWithSymbolsDefinedBeforeUse() {
        List<String> seen = new ArrayList<>();
        EventReader reader = new EventReader(ev -> seen.add(ev.type().eventName() + " line=" + ev.line()
                + " pid=" + ev.pid() + " comm=" + ev.symbols().string(ev.comm())
                + " handle=" + ev.symbols().string(ev.symbol(Field.HANDLE))
                + " iova=" + ev.get(Field.IOVA, -1) + " extra=" + ev.keyName(ev.fieldKey(ev.fieldCount() - 1))));
        EventWriter w = new EventWriter(reader);
        byte[] comm = b("qemu-kvm");
        byte[] handle = b("vfio0");
        byte[] extra = b("colour");
        for (int i = 1; i <= 3; i++) {
            w.begin(EventType.VFIO_DMA_MAP, 10 + i).pid(4242).cpu(1).ts(100_000_100_000L, 0)
                    .comm(comm, 0, comm.length)
                    .symbolField(Field.HANDLE, handle, 0, handle.length)
                    .field(Field.IOVA, ValueType.HEX, 0x1000L * i)
                    .unknownField(extra, 0, extra.length, ValueType.DEC, 7);
            assertTrue(w.commit());
        }
        w.finish();
        assertEquals(3, seen.size());
        assertEquals("vfio_dma_map line=12 pid=4242 comm=qemu-kvm handle=vfio0 iova=8192 extra=colour", seen.get(1));
        assertEquals(3, w.count(EventType.VFIO_DMA_MAP));
        assertEquals(3, w.count(EventType.SYMBOL), "comm, handle and the unknown key, each once");
    }

    @Test
    void abortForgetsSymbolsOfTheDiscardedRecord() {
        List<String> seen = new ArrayList<>();
        EventReader reader = new EventReader(ev -> seen.add(ev.symbols().string(ev.symbol(Field.HANDLE))));
        EventWriter w = new EventWriter(reader);
        byte[] bad = b("never");
        byte[] good = b("kept");
        w.begin(EventType.PUT_PAGE, 1).symbolField(Field.HANDLE, bad, 0, bad.length);
        w.abort();
        w.begin(EventType.PUT_PAGE, 2).symbolField(Field.HANDLE, good, 0, good.length);
        w.commit();
        w.finish();
        assertEquals(List.of("kept"), seen);
        assertEquals(1, reader.symbols().size());
        assertFalse(reader.symbols().is(1, "never"));
    }

    @Test
    void oversizedRecordIsRefused() {
        EventWriter w = new EventWriter((buf, len) -> { });
        w.begin(EventType.UNKNOWN, 1);
        byte[] chunk = new byte[60_000];
        assertTrue(w.raw(chunk, 0, chunk.length));
        assertFalse(w.raw(chunk, 0, chunk.length), "raw payload beyond a record's size is refused");
        assertTrue(w.commit());
    }
}
