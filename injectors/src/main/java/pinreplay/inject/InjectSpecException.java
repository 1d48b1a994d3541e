package pinreplay.inject;

/** A bad {@code --inject} spec: names the key and what was expected (exit 2). */
public final class InjectSpecException extends Exception {
    public InjectSpecException(String message) {
        super(message);
    }
}
