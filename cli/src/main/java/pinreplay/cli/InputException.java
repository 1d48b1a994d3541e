package pinreplay.cli;

/** Input that cannot be read: a missing file, a directory that is not a queue. Exit code 3. */
public final class InputException extends RuntimeException {
    public InputException(String message) {
        super(message, null, false, false);
    }
}
