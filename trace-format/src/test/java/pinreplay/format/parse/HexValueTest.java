package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Hex values read eight digits at a time give what reading them one by one gives. */
class HexValueTest {
    private static long word(String eight) {
        byte[] b = eight.getBytes(StandardCharsets.ISO_8859_1);
        long w = 0;
        for (int i = 7; i >= 0; i--) {
            w = w << 8 | (b[i] & 0xff);
        }
        return w;
    }

    @Test
    void everyByteValueIsAHexDigitExactlyWhenTheTableSaysSo() {
        for (int c = 0; c < 256; c++) {
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            String s = "0123abc" + (char) c;
            assertEquals(hex, Value.allHex(word(s)), "byte " + c);
            assertEquals(hex, Value.allHex(word((char) c + "Fe98765")), "first byte " + c);
        }
    }

    @Test
    void eightDigitsInMixedCaseGiveTheirValue() {
        assertEquals(0x0123abcdL, Value.hex8(word("0123abcd")));
        assertEquals(0xDEADBEEFL, Value.hex8(word("DeAdBeEf")));
        assertEquals(0xffffffffL, Value.hex8(word("ffffffff")));
        assertEquals(0L, Value.hex8(word("00000000")));
        assertFalse(Value.allHex(word("0123abc ")));
        assertTrue(Value.allHex(word("6515cb1f")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x7f0000200000", "0x6515cb1f", "0xffffffffffffffff", "0xFFFFFFFFFFFFFFFF", "0x1",
        "0x0123456789abcdef", "0x00000000000000001", "0x12345678g", "0x123456789", "0x12345678 ", "0x1234567890abcdef0"})
    void hexTokenReadsAsOneDigitAtATimeWould(String token) {
        byte[] b = token.getBytes(StandardCharsets.US_ASCII);
        String digits = token.substring(2).trim();
        boolean valid = !digits.isEmpty() && digits.length() <= 16 && digits.chars().allMatch(c -> Character.digit(c, 16) >= 0);
        Value v = new Value();
        assertEquals(valid, v.hex0x(b, 0, b.length), token);
        if (valid) {
            assertEquals(Long.parseUnsignedLong(digits, 16), v.value, token);
            assertEquals(2 + digits.length(), v.end, token);
        }
    }
}
