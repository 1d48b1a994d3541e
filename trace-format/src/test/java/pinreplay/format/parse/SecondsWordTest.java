package pinreplay.format.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** {@link Words#digitsToDot}, the seconds of a timestamp read as one word, against a byte loop. */
class SecondsWordTest {
    private static long expected(byte[] b, int i, int to) {
        int d = 0;
        long v = 0;
        while (i + d < to && d < 8 && b[i + d] >= '0' && b[i + d] <= '9') {
            v = v * 10 + (b[i + d] - '0');
            d++;
        }
        boolean ok = d >= 1 && d <= 7 && i + 8 <= to && b[i + d] == '.';
        return ok ? v << 3 | d : -1;
    }

    @Test
    void oneToSevenDigitsBeforeADotAreSecondsAndNothingElseIs() {
        String[] cases = {"1.000000:", "100.000000: x", "9999999.1234567", "12345678.000000", ".000000:",
            "0000001.0000", "12a.000000:", "12/.000000:", "12:.00000000", "1234567.", "123.45", "1 .000000:",
            "5.5.5.5.5", "99999999", "0.000000:"};
        for (String c : cases) {
            byte[] b = c.getBytes(StandardCharsets.US_ASCII);
            assertEquals(expected(b, 0, b.length), Words.digitsToDot(b, 0, b.length), c);
        }
        for (int c = 0; c < 256; c++) { // every byte value in every position of a three-digit seconds field
            for (int pos = 0; pos < 4; pos++) {
                byte[] b = "123.000000: e".getBytes(StandardCharsets.US_ASCII);
                b[pos] = (byte) c;
                assertEquals(expected(b, 0, b.length), Words.digitsToDot(b, 0, b.length), c + " at " + pos);
            }
        }
    }
}
