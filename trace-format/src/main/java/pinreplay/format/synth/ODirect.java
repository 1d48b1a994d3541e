package pinreplay.format.synth;

/** O_DIRECT I/O at a queue depth (short-term pins on the user buffer) while another task truncates the file. */
final class ODirect implements Scenario {
    @Override
    public String name() {
        return "odirect";
    }

    @Override
    public String description() {
        return "A storage application (fio) does O_DIRECT reads and writes between a file and a user buffer at a"
                + " fixed queue depth (short-term pins: FOLL_GET through 6.1, FOLL_PIN later) while another task"
                + " truncates the file. On a page-cache file the truncate does not wait; with buf=fsdax"
                + " truncate=buf the buffer is a DAX mapping whose blocks the pins hold and the truncates hit it.";
    }

    @Override
    public Params params() {
        return new Params(name())
                .word("fs", "ext4", "filesystem of the file read and written", "ext4", "xfs", "btrfs")
                .word("dax", "0", "the file is on a DAX mount", "0", "1")
                .word("buf", "anon", "memory behind the user buffer", Backing.CHOICES.toArray(new String[0]))
                .word("share", "off", "MAP_SHARED (on) or MAP_PRIVATE (off) for a file-backed buffer", "on", "off")
                .value("file-size", "1G", "file size")
                .value("buf-size", "16M", "user buffer size")
                .value("iodepth", "8", "requests in flight")
                .value("io-size", "128K", "bytes per request")
                .value("rate", "2000", "requests per second")
                .value("read-ratio", "0.7", "share of reads (device writes the buffer)")
                .value("device-us", "100", "device latency per request, microseconds")
                .value("truncate-rate", "1", "shrink-and-regrow truncates of the file per second")
                .value("punch-hole-rate", "0", "punch-holes in the file per second")
                .word("truncate", "file", "what the truncates and punch-holes hit: the file read and written, or the"
                        + " file behind the buffer (buf=fsdax: the blocks the short pins hold)", "file", "buf");
    }

    @Override
    public void setup(Synth s, Params p) {
        Task fio = s.process("fio");
        long fileSize = Synth.align(p.size("file-size"), Synth.HUGE);
        long bufSize = Synth.align(p.size("buf-size"), Synth.HUGE);
        String fs = p.get("fs");
        int dax = p.flag("dax") ? 1 : 0;
        long ino = s.ino();
        s.emit.file(fio, s.tick(), ino, s.emit.sym(fs), dax, fileSize);
        Mapping buf = Backing.map(s, fio, p.get("buf"), p.flag("share"), bufSize);
        int depth = Math.max(1, p.integer("iodepth"));
        long deviceNs = Math.max(1, p.integer("device-us")) * 1_000L;
        for (int i = 0; i < depth; i++) {
            s.add(new DirectIo(s, fio, s.handle("dio"), ino, fileSize, buf.addr(), bufSize, p.size("io-size"),
                    p.number("rate") / depth, p.number("read-ratio"), deviceNs));
        }
        if (p.is("truncate", "buf")) {
            Housekeeping.add(s, p, buf, Backing.fsOf(p.get("buf")));
        } else {
            Housekeeping.add(s, p, new Mapping(0, fileSize, ino, dax == 1, null), fs);
        }
    }
}
