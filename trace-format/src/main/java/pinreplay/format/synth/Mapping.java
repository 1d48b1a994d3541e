package pinreplay.format.synth;

/**
 * A mapping a scenario set up: where it is, how long, the file behind it ({@code ino < 0}:
 * anonymous), and the page-cache state of a regular file ({@code file}, null for anonymous, shmem,
 * hugetlbfs and DAX, whose pages never pass through __filemap_add_folio()).
 */
record Mapping(long addr, long len, long ino, boolean dax, FileState file) {
}
