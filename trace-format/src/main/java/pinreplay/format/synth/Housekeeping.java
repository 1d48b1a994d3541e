package pinreplay.format.synth;

/**
 * The host activity the seeds worry about, at the rates a scenario's parameters give: writeback
 * passes over a file, punch-holes and truncates of it, each followed by another file taking the
 * freed space ({@code writeback-rate}, {@code punch-hole-rate}, {@code truncate-rate}).
 */
final class Housekeeping {
    private Housekeeping() {
    }

    static void add(Synth s, Params p, Mapping m, String fs) {
        add(s, p, m, fs, 0);
    }

    /** As {@link #add(Synth, Params, Mapping, String)}, with punch-holes only from byte {@code window} of the file on. */
    static void add(Synth s, Params p, Mapping m, String fs, long window) {
        if (m.ino() < 0) {
            return;
        }
        if (m.file() != null && p.rate("writeback-rate") > 0) {
            s.add(new WritebackPass(s, s.kernelTask("kworker/u16:2", false), m.file(), p.rate("writeback-rate")));
        }
        boolean punch = p.rate("punch-hole-rate") > 0;
        boolean trunc = p.rate("truncate-rate") > 0;
        if ((punch || trunc) && !fs.equals("devdax")) {
            Task admin = s.process(trunc ? "truncate" : "fallocate");
            long victim = s.ino();
            s.emit.file(admin, s.tick(), victim, s.emit.sym(fs), m.dax() ? 1 : 0, 0);
            s.add(new HolePunch(s, admin, m.ino(), m.file(), m.len(), trunc ? p.rate("truncate-rate") : p.rate("punch-hole-rate"),
                    trunc, victim, Synth.HUGE, window));
        }
    }
}
