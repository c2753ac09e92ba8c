package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.ThresholdRange;
import java.util.Optional;

/**
 * What passes a metric, compiled once: a threshold range, or CEL success and failure
 * conditions over {@code result}. Evaluating it is rule 1 of analysis: a measurement passes only
 * on a finite value for which the success condition holds and the failure condition does not.
 */
public final class MetricCondition {

  /** How one finite value fares. */
  public enum Result { PASS, FAIL }

  private final ThresholdRange range;
  private final Optional<CelCondition> success;
  private final Optional<CelCondition> failure;

  private MetricCondition(ThresholdRange range, Optional<CelCondition> success,
      Optional<CelCondition> failure) {
    this.range = range;
    this.success = success;
    this.failure = failure;
  }

  /**
   * Compiles the metric's condition.
   *
   * @throws InvalidAnalysisException when it has none, or a CEL condition does not compile
   */
  public static MetricCondition of(AnalysisMetric metric) {
    if (metric.thresholdRange != null) {
      if (metric.thresholdRange.min == null && metric.thresholdRange.max == null) {
        throw new InvalidAnalysisException("thresholdRange needs min, max or both");
      }
      return new MetricCondition(metric.thresholdRange, Optional.empty(), Optional.empty());
    }
    Optional<CelCondition> success = Optional.ofNullable(metric.successCondition)
        .map(e -> CelCondition.compile("successCondition", e));
    Optional<CelCondition> failure = Optional.ofNullable(metric.failureCondition)
        .map(e -> CelCondition.compile("failureCondition", e));
    if (success.isEmpty() && failure.isEmpty() && metric.provider != null
        && metric.provider.job != null) {
      // A Job decides by itself (Observation.Passed or Failed); a number from it is an error.
      return new MetricCondition(null, success, failure);
    }
    if (success.isEmpty() && failure.isEmpty()) {
      throw new InvalidAnalysisException("needs thresholdRange, successCondition or "
          + "failureCondition: without one no value could ever fail it");
    }
    return new MetricCondition(null, success, failure);
  }

  /**
   * Judges a finite value.
   *
   * @throws CelCondition.EvaluationException when a condition cannot be evaluated (an error)
   */
  public Result judge(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("only finite values are judged: " + value);
    }
    if (range != null) {
      boolean above = range.min == null || value >= range.min;
      boolean below = range.max == null || value <= range.max;
      return above && below ? Result.PASS : Result.FAIL;
    }
    if (success.isEmpty() && failure.isEmpty()) {
      throw new CelCondition.EvaluationException("a job metric has no condition for a number",
          null);
    }
    if (failure.isPresent() && failure.get().holds(value)) {
      return Result.FAIL;
    }
    return success.isEmpty() || success.get().holds(value) ? Result.PASS : Result.FAIL;
  }

  /** What passes, in words, for status and Events: {@code [0.99, +inf]} or the conditions. */
  public String describe() {
    if (range != null) {
      return "[" + (range.min == null ? "-inf" : fmt(range.min)) + ", "
          + (range.max == null ? "+inf" : fmt(range.max)) + "]";
    }
    if (success.isEmpty() && failure.isEmpty()) {
      return "the Job succeeds";
    }
    StringBuilder b = new StringBuilder();
    success.ifPresent(s -> b.append("success: ").append(s.expression()));
    failure.ifPresent(f -> b.append(b.length() > 0 ? "; " : "").append("failure: ")
        .append(f.expression()));
    return b.toString();
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.valueOf(d);
  }
}
