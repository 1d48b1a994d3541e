package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InjectSpecTest {
    @Test
    void parsesKnobsAndRace() throws Exception {
        InjectSpec s = InjectSpec.parse("mmap-unlock:probability=50,interval=2,times=3,fail-nth=1,race=munmap");
        assertEquals("mmap-unlock", s.name());
        assertEquals(50, s.probability());
        assertEquals(2, s.interval());
        assertEquals(3, s.times());
        assertEquals(1, s.failNth());
        assertEquals("munmap", s.race());
    }

    @Test
    void badValueNamesTheKeyAndExpectation() {
        InjectSpecException e = assertThrows(InjectSpecException.class,
                () -> InjectSpec.parse("eagain:probability=200"));
        assertTrue(e.getMessage().contains("probability expected an integer in [0, 100], got '200'"));
    }

    @Test
    void unknownInjectorIsRejected() {
        assertThrows(InjectSpecException.class, () -> InjectSpec.parse("nosuch"));
    }
}
