package pinreplay.replay.range;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Every long is a key, Long.MIN_VALUE (the empty slot's marker) too: a trace may name inode 0x8000000000000000. */
class LongObjectMapTest {
    @Test
    void behavesAsATreeMapOverEveryKeyThroughGrowthAndRemoval() {
        LongObjectMap<String> m = new LongObjectMap<>();
        TreeMap<Long, String> ref = new TreeMap<>();
        java.util.Random rnd = new java.util.Random(7);
        long[] special = {Long.MIN_VALUE, Long.MAX_VALUE, 0, -1, 1};
        for (int i = 0; i < 20_000; i++) {
            long k = i % 7 == 0 ? special[rnd.nextInt(special.length)] : rnd.nextInt(500) - 250;
            if (rnd.nextInt(3) == 0) {
                m.remove(k);
                ref.remove(k);
            } else {
                m.put(k, "v" + i);
                ref.put(k, "v" + i);
            }
            assertEquals(ref.size(), m.size());
            assertEquals(ref.get(k), m.get(k));
        }
        for (long k : special) {
            assertEquals(ref.get(k), m.get(k), Long.toString(k));
        }
        assertArrayEquals(ref.keySet().stream().mapToLong(Long::longValue).toArray(), m.sortedKeys());
        m.remove(Long.MIN_VALUE);
        assertNull(m.get(Long.MIN_VALUE));
    }
}
