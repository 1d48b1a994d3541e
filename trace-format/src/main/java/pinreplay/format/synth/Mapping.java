package pinreplay.format.synth;

/** A mapping a scenario set up: where it is, how long, and the file behind it ({@code ino < 0}: anonymous). */
record Mapping(long addr, long len, long ino, boolean dax) {
}
