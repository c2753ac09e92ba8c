package dev.baton.analysis;

/**
 * What a provider saw when asked for a metric, before any condition is applied. A provider never
 * throws: everything that goes wrong is an {@link Error}.
 */
public sealed interface Observation {

  /** A number (maybe NaN or infinite: the verdict engine makes those inconclusive). */
  record Value(double value) implements Observation {}

  /** The provider answered, with no number: no series, a null or missing field. */
  record NoData(String reason) implements Observation {}

  /** The measurement could not be taken: unreachable, timeout, 401, an unparsable answer. */
  record Error(String message) implements Observation {}

  /** A provider that decides by itself (a Job) passed. */
  record Passed(String detail) implements Observation {}

  /** A provider that decides by itself (a Job) failed. */
  record Failed(String detail) implements Observation {}

  /** A value. */
  static Observation value(double value) {
    return new Value(value);
  }

  /** An error. */
  static Observation error(String message) {
    return new Error(message);
  }

  /** No data. */
  static Observation noData(String reason) {
    return new NoData(reason);
  }
}
