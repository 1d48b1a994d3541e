package pinreplay.record;

/**
 * A trace event enabled by {@code events/GROUP/NAME/enable}, with the {@code events/GROUP/NAME/filter} written
 * first when {@code filter} is not null.
 */
public record TraceEvent(String group, String name, String filter) {
    public TraceEvent(String group, String name) {
        this(group, name, null);
    }

    @Override
    public String toString() {
        return group + ":" + name;
    }
}
