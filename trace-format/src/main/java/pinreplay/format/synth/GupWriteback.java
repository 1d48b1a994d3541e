package pinreplay.format.synth;

import pinreplay.format.EventType;
import pinreplay.format.Foll;

/**
 * Seed 004: long-term write pins on a shared file mapping while writeback runs. Writeback cleans the
 * folios and write-protects their PTEs; the device keeps writing through the pin without a fault, so
 * the filesystem never sees the write. From 6.5 GUP refuses the pin (-EFAULT).
 */
final class GupWriteback implements Scenario {
    @Override
    public String name() {
        return "gup-writeback";
    }

    @Override
    public String description() {
        return "A process maps a file MAP_SHARED (share=on) or MAP_PRIVATE, writes to it, and pins it with"
                + " FOLL_WRITE|FOLL_LONGTERM (as s390 AIF and vfio do); a device writes through the pin while the"
                + " flusher cleans and write-protects the folios. Before 6.5: writes into cleaned folios; from 6.5:"
                + " -EFAULT for shared writable file mappings; share=off pins anonymous copies and is fine on both.";
    }

    @Override
    public Params params() {
        return new Params(name())
                .word("fs", "ext4", "filesystem of the file", "ext4", "xfs", "btrfs", "tmpfs")
                .word("share", "on", "MAP_SHARED (on) or MAP_PRIVATE (off)", "on", "off")
                .word("call", "pin_user_pages_fast", "the pin call", "pin_user_pages_fast", "pin_user_pages",
                        "pin_user_pages_remote", "get_user_pages_fast", "get_user_pages")
                .value("size", "64M", "mapping size")
                .value("dma-rate", "1000", "device writes per second through the pin")
                .value("cpu-rate", "200", "CPU writes per second to the mapping")
                .value("writeback-rate", "5", "writeback passes per second")
                .value("unpin-after", "0", "seconds until unpin_user_pages_dirty_lock (0: never)");
    }

    @Override
    public void setup(Synth s, Params p) {
        Task app = s.process("pinner");
        long size = Synth.align(p.size("size"), Synth.PAGE);
        String fs = p.get("fs");
        Mapping m = Backing.mapFile(s, app, fs, 0, p.flag("share"), size);
        s.emit.fault(app, s.tick(), m.addr(), size, true);
        if (m.file() != null) {
            m.file().populateAll(true); // one fault line for the whole range; no per-page lines
        }
        Word pin = s.handle("pin");
        EventType call = EventType.valueOf(p.get("call").toUpperCase(java.util.Locale.ROOT));
        s.emit.pinCall(call, app, s.tick(), m.addr(), size / Synth.PAGE, Foll.WRITE | Foll.LONGTERM, pin);
        DmaTraffic device = new DmaTraffic(s, app, pin, false, 0, size, p.number("dma-rate"), 1.0, 4096, 16384);
        s.add(device);
        s.add(new CpuTouch(s, app, m, p.number("cpu-rate"), 1.0));
        Housekeeping.add(s, p, m, fs);
        double after = p.number("unpin-after");
        if (after > 0) {
            s.add(new Once(Math.round(after * 1e6) * 1_000L, (sy, now) -> {
                device.stop(); // the driver quiesces the device before it unpins
                sy.emit.unpin(app, now, pin, true);
            }));
        }
    }
}
