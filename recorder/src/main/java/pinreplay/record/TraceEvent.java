package pinreplay.record;

/** A trace event enabled by {@code events/GROUP/NAME/enable}. */
public record TraceEvent(String group, String name) {
    @Override
    public String toString() {
        return group + ":" + name;
    }
}
