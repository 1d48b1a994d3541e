package pinreplay.cli.shell;

/** A shell command that cannot do what was asked (bad argument, nothing loaded): a usage error, exit 2. */
final class ShellException extends RuntimeException {
    ShellException(String message) {
        super(message, null, false, false);
    }
}
