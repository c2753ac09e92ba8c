package dev.baton.api.v1alpha1;

/**
 * Where an analysis run, a metric or a measurement stands. Running is the only phase that
 * changes: the others are verdicts, given once.
 */
public enum AnalysisPhase {
  /** Still measuring. */
  Running,
  /** Passed. */
  Successful,
  /** Did not pass: the rollout aborts (unless in dry run). */
  Failed,
  /** No answer either way (no data, NaN, too little traffic): the rollout pauses for a decision. */
  Inconclusive,
  /** A measurement could not be taken (provider unreachable, timeout, 401, parse or CEL error). */
  Error;

  /** Whether this is a verdict, which never changes again. */
  public boolean isCompleted() {
    return this != Running;
  }
}
