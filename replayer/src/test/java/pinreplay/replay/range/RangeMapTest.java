package pinreplay.replay.range;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RangeMapTest {
    @Test
    void pinningATebibyteCostsOneRange() {
        RangeMap m = new Counters();
        long pages = (1L << 40) >>> 12;
        m.add(1000, 1000 + pages, 1024);
        assertEquals(3, m.size());
        assertEquals(1024, m.aOf(1000 + pages - 1));
        assertEquals(0, m.aOf(1000 + pages));
    }

    @Test
    void addingAndRemovingCoalescesBackToOneRange() {
        RangeMap m = new Counters();
        m.add(10, 20, 1);
        m.add(15, 30, 1);
        assertEquals(2, m.aOf(17));
        assertEquals(1, m.aOf(25));
        m.add(10, 20, -1);
        m.add(15, 30, -1);
        assertEquals(1, m.size());
    }

    @Test
    void linearValuesSplitAndMergeByOffset() {
        RangeMap pt = new RangeMap(0, true, 16);
        pt.set(100, 200, 1, 5000);
        assertEquals(5050, pt.bOf(150));
        pt.set(120, 130, 3, 9000);
        assertEquals(5030, pt.bOf(130));
        pt.set(120, 130, 1, 5020);
        assertEquals(3, pt.size());
        assertEquals(5099, pt.bOf(199));
    }

    @Test
    void constantBitKeepsTheSameFrame() {
        RangeMap pt = new RangeMap(0, true, 16);
        pt.set(0, 100, 16 | 1, 1);
        assertEquals(1, pt.bOf(99));
    }

    @Test
    void bitsAndQueries() {
        RangeMap m = new Counters();
        m.setBits(5, 10, 8);
        assertTrue(m.any(0, 6, 8));
        assertFalse(m.any(10, 100, 8));
        m.clearBits(5, 10, 8);
        assertEquals(1, m.size());
        m.add(3, 4, 7);
        assertEquals(7, m.max(0, 100));
    }

    @Test
    void objectMapRemovesWithoutBreakingProbeChains() {
        LongObjectMap<String> m = new LongObjectMap<>();
        for (long k = 0; k < 1000; k++) {
            m.put(k * 64, "v" + k);
        }
        for (long k = 0; k < 1000; k += 2) {
            m.remove(k * 64);
        }
        for (long k = 1; k < 1000; k += 2) {
            assertEquals("v" + k, m.get(k * 64));
        }
        assertEquals(500, m.size());
    }
}
