package pinreplay.cli;

/** Output that cannot be written: an unwritable directory or file. Exit code 4. */
public final class OutputException extends RuntimeException {
    public OutputException(String message) {
        super(message, null, false, false);
    }
}
