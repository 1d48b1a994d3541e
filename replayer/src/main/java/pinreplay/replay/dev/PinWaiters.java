package pinreplay.replay.dev;

/**
 * Who sleeps until pinned pages go idle: the filesystems' break-layouts loops (___wait_var_event() on the page
 * dax_layout_busy_page() returned), reached by wake_up_var() from the puts of a release.
 */
public interface PinWaiters {
    /** {@code r} is about to drop its pages. */
    void releasing(Registration r);

    /** The registration named {@code released} dropped its pages; {@code wakes}: its puts called wake_up_var(). */
    void onPinsDropped(String released, boolean wakes);
}
