package dev.baton.analysis;

/**
 * An analysis that cannot run as written (no condition, a condition that does not compile, an
 * unknown template or variable, an unresolved or mistyped argument). Its message names the
 * problem; the validator adds where it is.
 */
public final class InvalidAnalysisException extends RuntimeException {

  public InvalidAnalysisException(String message) {
    super(message);
  }
}
