package pinreplay.format.print;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import pinreplay.format.EventReader;
import pinreplay.format.EventWriter;
import pinreplay.format.parse.TraceParser;

/** {@code cat --format jsonl} of text that is not valid UTF-8 still writes valid JSON (U+FFFD, as replay does). */
class JsonUtf8Test {
    private static byte[] jsonString(byte[] raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TextBuffer t = new TextBuffer(out);
        t.jsonString(raw, 0, raw.length);
        t.flush();
        return out.toByteArray();
    }

    /** Strict UTF-8 decoding: throws on any ill-formed byte. */
    private static String strictUtf8(byte[] b) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
    }

    /** The JSON string literal's value (escapes of the printer only: \" \\ \n \t \r \\u00XX). */
    private static String unquote(String json) {
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < json.length() - 1; i++) {
            char c = json.charAt(i);
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 't' -> sb.append('\t');
                case 'r' -> sb.append('\r');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> sb.append(e);
            }
        }
        return sb.toString();
    }

    @Test
    void invalidUtf8InAPayloadBecomesReplacementCharacters() throws IOException {
        byte[] line = "  fio-900 [000] ..... 2.000000: my_event: name=caf\u00e9 bad=\u00ff\u00fe cut=\u00e2\u0082 end\n"
                .getBytes(StandardCharsets.ISO_8859_1); // é and the rest as single bytes: ill-formed UTF-8
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventWriter w = new EventWriter(new EventReader(new JsonlPrinter(out)));
        new TraceParser("t.txt", w, false).parse(Channels.newChannel(new java.io.ByteArrayInputStream(line)));
        w.finish();
        String json = strictUtf8(out.toByteArray()); // fails on the raw bytes written before
        assertEquals("{\"line\":1,\"ts\":2.000000,\"comm\":\"fio\",\"pid\":900,\"cpu\":0,\"event\":\"my_event\","
                + "\"payload\":\"name=caf\ufffd bad=\ufffd\ufffd cut=\ufffd end\"}\n", json);
    }

    @Test
    void validUtf8PassesThrough() throws CharacterCodingException {
        byte[] raw = "caf\u00e9 \u20ac \ud83d\ude00 \"q\" \\".getBytes(StandardCharsets.UTF_8);
        assertEquals("\"caf\u00e9 \u20ac \ud83d\ude00 \\\"q\\\" \\\\\"", strictUtf8(jsonString(raw)));
    }

    @Test
    void everyByteStringReadsAsJavasDecoderReadsIt() throws CharacterCodingException {
        SplittableRandom r = new SplittableRandom(7);
        for (int n = 0; n < 20_000; n++) {
            byte[] raw = new byte[r.nextInt(12)];
            for (int i = 0; i < raw.length; i++) {
                // mostly bytes around the UTF-8 boundaries, some ASCII
                raw[i] = (byte) (r.nextInt(4) == 0 ? r.nextInt(0x80) : 0x80 + r.nextInt(0x80));
            }
            String json = strictUtf8(jsonString(raw));
            assertEquals(new String(raw, StandardCharsets.UTF_8), unquote(json), () -> java.util.HexFormat.of().formatHex(raw));
        }
    }
}
