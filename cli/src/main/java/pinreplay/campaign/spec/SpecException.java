package pinreplay.campaign.spec;

/**
 * A campaign spec that cannot be used: {@code FILE:LINE: key.path: expected ..., got ...}. The
 * campaign command turns it into exit code 2 (usage).
 */
public final class SpecException extends RuntimeException {
    public SpecException(String message) {
        super(message, null, false, false);
    }
}
