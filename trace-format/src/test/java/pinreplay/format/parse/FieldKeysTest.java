package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import pinreplay.format.Field;

/** Key lookup by the perfect hash of short keys and the name index of long ones. */
class FieldKeysTest {
    private static int ordinal(String text, int from, int to) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return FieldKeys.ordinal(b, from, to);
    }

    @Test
    void everyKeyFindsItsFieldInsideALineAndAtTheEndOfTheBuffer() {
        for (Field f : Field.values()) {
            String line = "x " + f.key() + "=1 y=2";
            assertEquals(f.ordinal(), ordinal(line, 2, 2 + f.key().length()), f.key());
            assertEquals(f.ordinal(), ordinal(f.key(), 0, f.key().length()), f.key());
        }
    }

    @Test
    void prefixesExtensionsAndOtherBytesAreNoKey() {
        assertEquals(-1, ordinal("handl=1", 0, 5));
        assertEquals(-1, ordinal("handlex=1", 0, 7));
        assertEquals(-1, ordinal("Handle=1", 0, 6));
        assertEquals(-1, ordinal("len\0=1 ", 0, 4)); // a zero byte does not shorten the key
        assertEquals(-1, ordinal("nr_pagesx=1 ", 0, 9));
        assertEquals(-1, ordinal("=1", 0, 0));
    }
}
