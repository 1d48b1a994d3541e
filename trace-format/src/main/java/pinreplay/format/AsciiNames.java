package pinreplay.format;

/** Finds an ASCII name among a table of names by comparing bytes in place: no allocation. */
final class AsciiNames {
    private AsciiNames() {
    }

    /** Index of the entry of {@code names} equal to {@code b[from, to)}, or -1; null entries are skipped. */
    static int indexOf(String[] names, byte[] b, int from, int to) {
        outer:
        for (int i = 0; i < names.length; i++) {
            String n = names[i];
            if (n == null || n.length() != to - from) {
                continue;
            }
            for (int k = 0; k < n.length(); k++) {
                if (n.charAt(k) != b[from + k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
