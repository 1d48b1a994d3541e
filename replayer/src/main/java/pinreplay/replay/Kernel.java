package pinreplay.replay;

import pinreplay.replay.cred.Memlock;
import pinreplay.replay.cred.TaskCreds;
import pinreplay.replay.dev.DirectIo;
import pinreplay.replay.dev.DmaAccess;
import pinreplay.replay.dev.IoUring;
import pinreplay.replay.dev.Rdma;
import pinreplay.replay.dev.RawPins;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.dev.Udmabuf;
import pinreplay.replay.dev.Vfio;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.FilePins;
import pinreplay.replay.fs.FileSystems;
import pinreplay.replay.fs.Files;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Memfd;
import pinreplay.replay.fs.Splice;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.fs.Writeback;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.Migration;
import pinreplay.replay.gup.Unpin;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.Hstates;
import pinreplay.replay.mm.Hugetlb;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.ProcessVmAccess;
import pinreplay.replay.mm.Secretmem;
import pinreplay.replay.mm.Tasks;
import pinreplay.replay.range.LongObjectMap;

/**
 * The modelled kernel: every object (tasks and their mm, files and filesystems, frames, registrations)
 * and the subsystems that act on them, wired for one {@link Profile}. Each subsystem gets what it uses
 * through its constructor; only the event dispatch and the inspection of the state see them all here.
 */
public final class Kernel {
    public final Profile profile;
    public final FaultPoints faults;
    public final EventContext ctx;

    public final MemMap memMap;
    public final Tasks tasks = new Tasks();
    public final LongObjectMap<Inode> inodes = new LongObjectMap<>();
    public final FileSystems filesystems = new FileSystems();
    /** The huge page sizes the recorded machine registered, and its default (mm/hugetlb.c hstates[]). */
    public final Hstates hstates = new Hstates();
    /** mm/hugetlb.c's pool accounting: reservations and the folios faults take. */
    public final Hugetlb hugetlb;
    public final FilePins filePins = new FilePins();
    public final Unpin unpin;
    public final Registrations registrations;
    public final TaskCreds creds;
    public final Memlock memlock;

    public final Secretmem secretmem;
    public final FaultHandler faultHandler;
    public final AddressSpace addressSpace;
    public final Files files;
    public final Migration migration;
    public final Gup gup;
    public final Vfio vfio;
    public final Rdma rdma;
    public final IoUring ioUring;
    public final DirectIo directIo;
    public final Udmabuf udmabuf;
    public final Memfd memfd;
    public final RawPins rawPins;
    public final Splice splice;
    public final ProcessVmAccess processVm;
    public final DmaAccess dma;
    public final Truncate truncate;
    public final Writeback writeback;

    public Kernel(Profile profile, FaultPoints faults, EventContext ctx) {
        this.profile = profile;
        this.faults = faults;
        this.ctx = ctx;
        memMap = new MemMap(profile);
        memMap.hugetlbPools(hstates);
        hugetlb = new Hugetlb(hstates, memMap, tasks, ctx);
        unpin = new Unpin(ctx, memMap);
        creds = new TaskCreds(profile.memlockBytes);
        memlock = new Memlock(ctx);
        registrations = new Registrations(ctx, filePins, unpin);
        secretmem = new Secretmem(profile, ctx, creds);
        faultHandler = new FaultHandler(profile, ctx, memMap, filePins, registrations, hugetlb, secretmem);
        addressSpace = new AddressSpace(profile, ctx, memMap, inodes, filesystems, registrations, faultHandler, hugetlb,
                secretmem);
        files = new Files(profile, ctx, memMap, inodes, filesystems, filePins, hugetlb, faultHandler);
        migration = new Migration(profile, ctx, faults, memMap, tasks, inodes, filePins, unpin, registrations,
                addressSpace);
        gup = new Gup(profile, ctx, faults, memMap, filesystems, unpin, faultHandler, addressSpace, migration);
        vfio = new Vfio(profile, ctx, faults, unpin, registrations, faultHandler, addressSpace, gup, creds, memlock);
        rdma = new Rdma(profile, ctx, faults, unpin, registrations, gup, creds, memlock);
        ioUring = new IoUring(profile, ctx, faults, unpin, registrations, gup, memMap, creds, memlock);
        dma = new DmaAccess(ctx, memMap, filesystems);
        writeback = new Writeback(profile, ctx, memMap, addressSpace);
        truncate = new Truncate(profile, ctx, memMap, filePins, registrations, addressSpace, files, hugetlb);
        directIo = new DirectIo(profile, ctx, faults, unpin, registrations, gup, dma, addressSpace, writeback, truncate,
                files, faultHandler, secretmem);
        rawPins = new RawPins(profile, ctx, faults, unpin, registrations, gup);
        splice = new Splice(rawPins);
        processVm = new ProcessVmAccess(rawPins);
        memfd = new Memfd(profile, memMap);
        udmabuf = new Udmabuf(profile, ctx, faults, unpin, registrations, gup, memMap, faultHandler, migration);
        registrations.wakeUp(truncate);
    }
}
