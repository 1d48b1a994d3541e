package pinreplay.format.queue;

/**
 * The layout of one Chronicle excerpt: a 24-byte header, then the payload. Every excerpt is either
 * one block of records, as {@link pinreplay.format.EventWriter} packed it, in the {@link CompactBlock}
 * layout or (when that would not be smaller) as it is, or the end marker the writer appends when it
 * finishes. All integers little-endian (Chronicle's byte order).
 *
 * <pre>
 * off size
 *   0  u32  magic {@link #MAGIC} ("PRQ1")
 *   4  u8   kind: {@link #BLOCK} or {@link #END}
 *   5  u8   format version ({@link pinreplay.format.Record#FORMAT_VERSION}) of the records inside
 *   6  u8   encoding of the payload: {@link #STORED} or {@link #COMPACT}
 *   7  u8   0
 *   8  u32  sequence: the block's number from 0; on the end marker, the number of blocks before it
 *  12  u32  payload length (0 for the end marker)
 *  16  u32  CRC32C of the payload, as stored
 *  20  u32  length of the block the payload decodes to
 *  24  payload
 * </pre>
 *
 * The checksum and the sequence let a reader tell a damaged or truncated queue file from a valid
 * one, instead of handing garbage to the replayer.
 */
final class Excerpt {
    static final int MAGIC = 'P' | 'R' << 8 | 'Q' << 16 | '1' << 24;
    static final int BLOCK = 1;
    static final int END = 2;
    static final int STORED = 0;
    static final int COMPACT = 1;
    static final int HEADER = 24;

    private Excerpt() {
    }
}
