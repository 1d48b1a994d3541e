package pinreplay.campaign;

import java.util.List;

/**
 * {@code --shard I/N}: the cells whose matrix index is {@code I-1} modulo {@code N}. Round robin
 * spreads each trace's cells (and so its cost) over the shards; the index keeps it deterministic.
 */
public record Shard(int number, int count) {
    public static final Shard ALL = new Shard(1, 1);

    /** Parses {@code I/N} with {@code 1 <= I <= N}; null when malformed. */
    public static Shard parse(String s) {
        int slash = s.indexOf('/');
        if (slash < 0) {
            return null;
        }
        try {
            int i = Integer.parseInt(s.substring(0, slash));
            int n = Integer.parseInt(s.substring(slash + 1));
            return i >= 1 && n >= 1 && i <= n ? new Shard(i, n) : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean contains(Cell c) {
        return c.index() % count == number - 1;
    }

    public List<Cell> select(List<Cell> cells) {
        return cells.stream().filter(this::contains).toList();
    }

    @Override
    public String toString() {
        return number + "/" + count;
    }
}
