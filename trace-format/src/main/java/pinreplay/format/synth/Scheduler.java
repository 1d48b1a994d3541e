package pinreplay.format.synth;

import java.util.Arrays;

/**
 * A binary min-heap of actors by next time; ties go to the actor registered first, so the order of
 * events is a pure function of the seed. No allocation once the actors are registered.
 */
final class Scheduler {
    private Actor[] heap = new Actor[16];
    private int size;
    private int ids;

    void add(Actor a) {
        a.id = ids++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = a;
        up(size++);
    }

    /** Moves every actor's time by {@code nanos} (set-up ended; delays become trace times). Order is unchanged. */
    void shift(long nanos) {
        for (int i = 0; i < size; i++) {
            if (heap[i].next != Actor.DONE) {
                heap[i].next += nanos;
            }
        }
    }

    /** The actor due first, or null when every actor is done. */
    Actor peek() {
        return size == 0 || heap[0].next == Actor.DONE ? null : heap[0];
    }

    /** Re-positions the head after its next time changed. */
    void updateHead() {
        down(0);
    }

    private boolean before(Actor a, Actor b) {
        return a.next < b.next || (a.next == b.next && a.id < b.id);
    }

    private void up(int i) {
        Actor a = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(a, heap[p])) {
                break;
            }
            heap[i] = heap[p];
            i = p;
        }
        heap[i] = a;
    }

    private void down(int i) {
        Actor a = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            if (c + 1 < size && before(heap[c + 1], heap[c])) {
                c++;
            }
            if (!before(heap[c], a)) {
                break;
            }
            heap[i] = heap[c];
            i = c;
        }
        heap[i] = a;
    }
}
