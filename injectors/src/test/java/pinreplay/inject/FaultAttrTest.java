package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FaultAttrTest {
    private static FaultAttr attr(int probability, long interval, long times, long space, long failNth) {
        return new FaultAttr(probability, interval, times, space, failNth, new SplittableRandom(1));
    }

    @Test
    void failNthFailsExactlyTheNthCallEvenWithProbabilityZero() {
        FaultAttr a = attr(0, 1, 1, 0, 3);
        assertFalse(a.shouldFail(1));
        assertFalse(a.shouldFail(1));
        assertTrue(a.shouldFail(1));
        assertFalse(a.shouldFail(1));
    }

    @Test
    void callsPassedAtOnceCountTowardsFailNthLikeCallsOneByOne() {
        FaultAttr a = attr(0, 1, 1, 0, 5);
        a.passed(3);
        assertFalse(a.shouldFail(1));
        assertTrue(a.shouldFail(1));
        FaultAttr b = attr(0, 1, 1, 0, 5);
        assertThrows(IllegalStateException.class, () -> b.passed(5), "the 5th call must be asked, not passed");
        assertThrows(IllegalStateException.class, () -> attr(100, 1, -1, 0, 0).passed(1), "draws cannot be skipped");
    }

    @Test
    void timesLimitsFailuresAndMinusOneIsUnlimited() {
        FaultAttr once = attr(100, 1, 1, 0, 0);
        assertTrue(once.shouldFail(1));
        assertFalse(once.shouldFail(1));
        FaultAttr always = attr(100, 1, -1, 0, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(always.shouldFail(1));
        }
        assertEquals(-1, always.times);
    }

    @Test
    void intervalFailsEveryNthEligibleCall() {
        FaultAttr a = attr(100, 3, -1, 0, 0);
        assertFalse(a.shouldFail(1));
        assertFalse(a.shouldFail(1));
        assertTrue(a.shouldFail(1));
    }

    @Test
    void spaceIsConsumedBeforeAnyFailure() {
        FaultAttr a = attr(100, 1, -1, 5, 0);
        assertFalse(a.shouldFail(4));
        assertTrue(a.shouldFail(4));
    }

    @Test
    void mayFailTurnsFalseOnceFailNthIsSpentOrTimesRunOut() {
        FaultAttr nth = attr(0, 1, 1, 0, 1);
        assertTrue(nth.mayFail());
        assertTrue(nth.shouldFail(1));
        assertFalse(nth.mayFail());
        FaultAttr once = attr(100, 1, 1, 0, 0);
        assertTrue(once.shouldFail(1));
        assertFalse(once.mayFail());
        assertFalse(attr(0, 1, -1, 0, 0).mayFail());
    }

    @Test
    void sameSeedSameDecisions() {
        FaultAttr a = new FaultAttr(50, 1, -1, 0, 0, new SplittableRandom(42));
        FaultAttr b = new FaultAttr(50, 1, -1, 0, 0, new SplittableRandom(42));
        for (int i = 0; i < 100; i++) {
            assertEquals(a.shouldFail(1), b.shouldFail(1));
        }
    }
}
