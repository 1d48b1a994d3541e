package pinreplay.format.synth;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The actors by next time; ties go to the actor registered first, so the order of events is a pure
 * function of the seed. No allocation once the actors are registered.
 */
final class Scheduler {
    private final PriorityQueue<Actor> queue = new PriorityQueue<>(
            Comparator.comparingLong((Actor a) -> a.next).thenComparingInt(a -> a.id));
    private int ids;

    void add(Actor a) {
        a.id = ids++;
        queue.add(a);
    }

    /** Moves every actor's time by {@code nanos} (set-up ended; delays become trace times). Order is unchanged. */
    void shift(long nanos) {
        for (Actor a : queue) {
            if (a.next != Actor.DONE) {
                a.next += nanos;
            }
        }
    }

    /** The actor due first, or null when every actor is done. */
    Actor peek() {
        Actor a = queue.peek();
        return a == null || a.next == Actor.DONE ? null : a;
    }

    /** Re-positions the head after its next time changed. */
    void updateHead() {
        queue.add(queue.poll());
    }
}
