package dev.baton.cli;

/**
 * An error the user can act on: what went wrong and, when we know it, what to do next. Printed as
 * {@code error: <message>} and a hint line; the command exits with 1.
 */
public final class CliException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String hint;

  /** An error with a hint (may be null). */
  public CliException(String message, String hint) {
    super(message);
    this.hint = hint;
  }

  /** An error without a hint. */
  public CliException(String message) {
    this(message, null);
  }

  /** What to try next, or null. */
  public String hint() {
    return hint;
  }
}
