package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.Optional;

/**
 * Rule 1 of analysis, in one place: a measurement is Successful only on a finite value for which
 * the success condition holds and the failure condition does not. No data, NaN, +Inf and -Inf are
 * Inconclusive (never a pass, never a failure); a provider error, or a condition that cannot be
 * evaluated on the value, is an Error.
 *
 * <table>
 *   <caption>Worked examples, for {@code failureCondition: result > 0.05}</caption>
 *   <tr><th>observation</th><th>measurement</th></tr>
 *   <tr><td>0.01</td><td>Successful</td></tr>
 *   <tr><td>0.2</td><td>Failed</td></tr>
 *   <tr><td>NaN, Inf, no series</td><td>Inconclusive</td></tr>
 *   <tr><td>connection refused, HTTP 401</td><td>Error</td></tr>
 * </table>
 */
public final class MeasurementJudge {

  private MeasurementJudge() {}

  /** Judges what a provider observed at {@code at} against the metric's condition. */
  public static Measured judge(Observation observation, MetricCondition condition, Instant at) {
    // Java 17: no pattern matching in switch yet; the interface is sealed, so this is complete.
    if (observation instanceof Observation.Value v) {
      return judgeValue(v.value(), condition, at);
    }
    if (observation instanceof Observation.Passed p) {
      return new Measured(AnalysisPhase.Successful, Optional.empty(), p.detail(), at);
    }
    if (observation instanceof Observation.Failed f) {
      return new Measured(AnalysisPhase.Failed, Optional.empty(), f.detail(), at);
    }
    if (observation instanceof Observation.NoData n) {
      return new Measured(AnalysisPhase.Inconclusive, Optional.empty(), n.reason(), at);
    }
    Observation.Error e = (Observation.Error) observation;
    return new Measured(AnalysisPhase.Error, Optional.empty(), e.message(), at);
  }

  private static Measured judgeValue(double value, MetricCondition condition, Instant at) {
    if (!Double.isFinite(value)) {
      return new Measured(AnalysisPhase.Inconclusive, Optional.of(value),
          "the value is " + value + ", which proves nothing either way", at);
    }
    try {
      return switch (condition.judge(value)) {
        case PASS -> new Measured(AnalysisPhase.Successful, Optional.of(value),
            "within " + condition.describe(), at);
        case FAIL -> new Measured(AnalysisPhase.Failed, Optional.of(value),
            "outside " + condition.describe(), at);
      };
    } catch (CelCondition.EvaluationException e) {
      return new Measured(AnalysisPhase.Error, Optional.of(value),
          "condition error: " + e.getMessage(), at);
    }
  }
}
