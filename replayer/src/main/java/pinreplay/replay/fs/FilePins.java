package pinreplay.replay.fs;

/**
 * A generation bumped whenever files may lose or change pinned pages (a registration holding file frames
 * released, blocks or page-cache folios allocated, freed or moved), so between-events injectors rescan only
 * then; new registrations are counted by {@code Registrations.added} and scanned on their own.
 */
public final class FilePins {
    private long generation;

    public void changed() {
        generation++;
    }

    public long generation() {
        return generation;
    }
}
