package pinreplay.replay;

import pinreplay.format.SymbolTable;
import pinreplay.replay.dev.DirectIo;
import pinreplay.replay.dev.DmaAccess;
import pinreplay.replay.dev.IoUring;
import pinreplay.replay.dev.Rdma;
import pinreplay.replay.dev.RawPins;
import pinreplay.replay.dev.Registrations;
import pinreplay.replay.dev.Vfio;
import pinreplay.replay.fault.FaultPoints;
import pinreplay.replay.fs.FileSystem;
import pinreplay.replay.fs.Files;
import pinreplay.replay.fs.FsType;
import pinreplay.replay.fs.Inode;
import pinreplay.replay.fs.Truncate;
import pinreplay.replay.fs.Writeback;
import pinreplay.replay.gup.Gup;
import pinreplay.replay.gup.Migration;
import pinreplay.replay.kernel.DaxTruncate;
import pinreplay.replay.kernel.Profile;
import pinreplay.replay.mm.AddressSpace;
import pinreplay.replay.mm.FaultHandler;
import pinreplay.replay.mm.MemMap;
import pinreplay.replay.mm.Tasks;
import pinreplay.replay.range.LongObjectMap;

/**
 * The modelled kernel: every object (tasks and their mm, files and filesystems, frames, registrations)
 * and the subsystems that act on them, wired for one {@link Profile}.
 */
public final class Kernel {
    public final Profile profile;
    public final FaultPoints faults;
    public final EventContext ctx;
    /**
     * Bumped whenever files may lose or change pinned pages (a registration holding file frames released,
     * blocks or page-cache folios allocated, freed or moved), so between-events injectors rescan only then;
     * new registrations are counted by {@code Registrations.added} and scanned on their own.
     */
    public long pinnedFilesGeneration;
    /** The symbols of the stream being replayed (handles, words); set from each event's view. */
    public SymbolTable symbols;

    public final MemMap memMap;
    public final Tasks tasks = new Tasks();
    public final LongObjectMap<Inode> inodes = new LongObjectMap<>();
    private final FileSystem[] filesystems = new FileSystem[FsType.values().length];
    public final Registrations registrations;

    public final FaultHandler faultHandler;
    public final AddressSpace addressSpace;
    public final Files files;
    public final Gup gup;
    public final Migration migration;
    public final Vfio vfio;
    public final Rdma rdma;
    public final IoUring ioUring;
    public final DirectIo directIo;
    public final RawPins rawPins;
    public final DmaAccess dma;
    public final Truncate truncate;
    public final Writeback writeback;

    public Kernel(Profile profile, FaultPoints faults, EventContext ctx, SymbolTable symbols) {
        this.profile = profile;
        this.faults = faults;
        this.ctx = ctx;
        this.symbols = symbols;
        memMap = new MemMap(profile);
        registrations = new Registrations(this);
        faultHandler = new FaultHandler(this);
        addressSpace = new AddressSpace(this);
        files = new Files(this);
        gup = new Gup(this);
        migration = new Migration(this);
        vfio = new Vfio(this);
        rdma = new Rdma(this);
        ioUring = new IoUring(this);
        directIo = new DirectIo(this);
        rawPins = new RawPins(this);
        dma = new DmaAccess(this);
        truncate = new Truncate(this);
        writeback = new Writeback(this);
    }

    /** The mounted filesystem of a type (one per type), with its DAX device when it has one. */
    public FileSystem fs(FsType type) {
        FileSystem f = filesystems[type.ordinal()];
        if (f == null) {
            f = new FileSystem(type);
            filesystems[type.ordinal()] = f;
        }
        return f;
    }

    /** The filesystem whose DAX device holds frame {@code pfn}, or null. */
    public FileSystem fsOfDaxFrame(long pfn) {
        for (FileSystem f : filesystems) {
            if (f != null && f.hasDaxDevice() && pfn >= f.daxBase() && pfn < f.daxBase() + (1L << 36)) {
                return f;
            }
        }
        return null;
    }

    /** Whether DAX is in effect at all ({@code dax-truncate=nodax} turns it off: seed 001 option 4). */
    public boolean daxEnabled() {
        return profile.daxTruncateOverride != DaxTruncate.NODAX;
    }

    /** Whether {@code inode} behaves as fsdax: the page is the block. */
    public boolean isFsdax(Inode inode) {
        return inode.daxDeclared && inode.fs.type.fsdaxCapable() && daxEnabled();
    }

    /** Whether {@code inode}'s pages are DAX frames (fsdax or device-dax). */
    public boolean isDaxBacked(Inode inode) {
        return inode.isDevdax() || isFsdax(inode);
    }

    /** The handle's name for outcomes (the symbol's cached String). */
    public String handleName(int symbol) {
        return symbol == 0 ? null : symbols.string(symbol);
    }
}
