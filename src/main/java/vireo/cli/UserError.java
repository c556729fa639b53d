package vireo.cli;

/** A mistake in how a command was called; printed as one line, exit code 2. */
public class UserError extends RuntimeException {
    public UserError(String message) { super(message); }
}
