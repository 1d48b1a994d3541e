package pinreplay.inject;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * fail-nth of the between-events injectors fires at the N-th eligible gap: the same gap whether the gaps
 * are counted one by one or a run at a time. The expected lines were recorded when every gap was counted
 * one by one; gup-longterm-matrix.txt makes files and registrations come and go, so eligible runs start
 * and end many times.
 */
class FailNthGapsTest {
    private static final String MATRIX = Injected.file("gup-longterm-matrix.txt");
    private static final List<Long> FILE_GAPS = List.of(13L, 19L, 26L, 33L, 65L, 77L, 83L, 90L, 97L, 129L, 141L,
            147L, 154L, 161L, 205L, 211L, 218L, 225L, 269L, 275L, 282L, 289L, 333L, 339L, 346L, 353L, 385L);
    private static final List<Long> REGISTRATION_GAPS = List.of(13L, 19L, 26L, 33L, 39L, 45L, 52L, 59L, 65L, 71L,
            77L, 83L, 90L, 97L, 103L, 109L, 116L, 123L, 129L, 135L, 141L, 147L, 154L, 161L, 167L, 173L, 180L, 187L,
            205L, 211L, 218L, 225L, 231L, 237L, 244L, 251L, 269L, 275L, 282L, 289L, 295L, 301L, 308L, 315L, 333L,
            339L, 346L, 353L, 359L, 365L, 372L, 379L, 385L, 391L, 430L, 444L);
    /** Never eligible (no such task) but asked in every gap: the others are then counted one by one too. */
    private static final String EVERY_GAP = "migrate:task=nosuchtask,probability=100";

    /** The line where {@code name} fires with fail-nth = 1, 2, ... until a run injects nothing. */
    private static List<Long> firingLines(String name, String... others) {
        List<Long> lines = new ArrayList<>();
        for (int n = 1; ; n++) {
            List<String> args = new ArrayList<>(List.of(name + ":fail-nth=" + n));
            args.addAll(List.of(others));
            List<String> sites = Injected.replay(MATRIX, "6.1", 1, args.toArray(new String[0])).sites();
            if (sites.isEmpty()) {
                return lines;
            }
            assertEquals(1, sites.size(), sites.toString());
            lines.add(Long.parseLong(sites.get(0).substring(0, sites.get(0).indexOf(':'))));
        }
    }

    @Test
    void failNthFiresAtTheNthGapWithAPinnedFile() {
        for (String name : List.of("writeback-clean", "truncate", "punch-hole")) {
            assertEquals(FILE_GAPS, firingLines(name), name);
        }
    }

    @Test
    void migrateFailNthFiresAtTheNthGapWithALiveRegistration() {
        assertEquals(REGISTRATION_GAPS, firingLines("migrate"));
    }

    @Test
    void countingGapsOneByOneFiresAtTheSameGaps() {
        assertEquals(FILE_GAPS, firingLines("truncate", EVERY_GAP));
        assertEquals(REGISTRATION_GAPS, firingLines("migrate", EVERY_GAP));
    }

    @Test
    void fourInjectorsTogetherSeeEachOthersEffectsInTheGapTheyFire() {
        // punch-hole's 2nd eligible gap is 26, not 19: truncate, asked before it in the gap of line 19, left no file pinned
        assertEquals(List.of("13:writeback-clean@folio_clear_dirty_for_io", "19:truncate@do_truncate",
                        "26:punch-hole@vfs_fallocate", "26:migrate@compact_zone"), together(1));
        assertEquals(List.of("65:writeback-clean@folio_clear_dirty_for_io", "77:truncate@do_truncate",
                "103:migrate@compact_zone", "141:punch-hole@vfs_fallocate"), together(5));
        assertEquals(List.of("141:writeback-clean@folio_clear_dirty_for_io", "147:truncate@do_truncate",
                "231:migrate@compact_zone", "333:punch-hole@vfs_fallocate"), together(11));
        assertEquals(together(11), together(11, EVERY_GAP));
    }

    private static List<String> together(int n, String... others) {
        List<String> args = new ArrayList<>(List.of("writeback-clean:fail-nth=" + n, "truncate:fail-nth=" + (n + 1),
                "punch-hole:fail-nth=" + 2 * n, "migrate:fail-nth=" + 3 * n));
        args.addAll(List.of(others));
        return Injected.replay(MATRIX, "6.1", 1, args.toArray(new String[0])).sites();
    }
}
