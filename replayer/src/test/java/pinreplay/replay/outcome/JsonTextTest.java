package pinreplay.replay.outcome;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void stringsEscapeQuotesBackslashesEveryControlCharacterAndNonAscii() {
        assertEquals("\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u001fh\\u00e9\\u20ac\"",
                JsonText.quote("a\"b\\c\nd\re\tf\u0001g\u001fh\u00e9\u20ac"));
        assertEquals("null", JsonText.quote(null));
    }

    @Test
    void outcomeRecordsAndTreesEscapeAlike() {
        Outcome o = new Outcome().reset(Outcome.Kind.VIOLATION);
        o.violation = ViolationKind.STALE_VMA.id();
        o.handle = "h\u0007";
        o.detail = "two\nlines";
        assertEquals("{\"line\":0,\"ts\":0.000000,\"pid\":0,\"event\":null,\"violation\":\"stale-vma\",\"handle\":"
                + "\"h\\u0007\",\"detail\":\"two\\nlines\"}", JsonlWriter.format(o));
    }

    @Test
    void treesKeepKeyOrderAndIndentTwoSpaces() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", 1L);
        m.put("a", List.of(new BigDecimal("0.500"), true));
        m.put("e", Map.of());
        m.put("n", null);
        assertEquals("{\n  \"b\": 1,\n  \"a\": [\n    0.500,\n    true\n  ],\n  \"e\": {},\n  \"n\": null\n}",
                JsonText.write(m));
        assertEquals("{\"b\":1,\"a\":[0.500,true],\"e\":{},\"n\":null}", JsonText.writeCompact(m));
    }
}
