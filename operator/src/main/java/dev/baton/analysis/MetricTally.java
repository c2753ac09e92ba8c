package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;

/**
 * A metric's counts within one analysis run and the verdict they give: immutable, one more
 * measurement at a time. Once the verdict is given it never changes: later measurements are
 * ignored.
 *
 * <p>The limits, for a metric with failureLimit F, inconclusiveLimit I, consecutiveErrorLimit E
 * and count N:
 * <ul>
 *   <li>Failed at F + 1 failed measurements, or at E errors in a row;</li>
 *   <li>Inconclusive at I + 1 inconclusive measurements;</li>
 *   <li>otherwise, once N measurements other than errors were taken: Successful if at least one
 *       passed; when none did (all tolerated failures or inconclusives), Failed if any failed,
 *       else Inconclusive. Errors do not count towards N: a metric never passes on errors.</li>
 * </ul>
 * A metric without count but with an interval (background) is never Successful by itself: it
 * runs until the analysis stops or a limit is reached.
 */
public record MetricTally(Limits limits, AnalysisPhase phase, int successful, int failed,
    int inconclusive, int error, int consecutiveErrors, String reason) {

  /** The limits of a metric, with its defaults applied. {@code count} 0 means unbounded. */
  public record Limits(int count, int failureLimit, int inconclusiveLimit,
      int consecutiveErrorLimit) {

    /** The limits of {@code metric}, with the API's defaults. */
    public static Limits of(AnalysisMetric metric) {
      int count = metric.count != null ? metric.count : metric.intervalSeconds == null ? 1 : 0;
      return new Limits(count, orDefault(metric.failureLimit, 0),
          orDefault(metric.inconclusiveLimit, 0), orDefault(metric.consecutiveErrorLimit, 4));
    }

    /** Whether the metric stops by itself after {@link #count} measurements. */
    public boolean bounded() {
      return count > 0;
    }

    private static int orDefault(Integer v, int d) {
      return v == null ? d : v;
    }
  }

  /** A metric that has measured nothing yet: fresh counters, as each attempt starts with. */
  public static MetricTally start(Limits limits) {
    return new MetricTally(limits, AnalysisPhase.Running, 0, 0, 0, 0, 0, "");
  }

  /** Measurements taken, errors included. */
  public int count() {
    return successful + failed + inconclusive + error;
  }

  /** Whether its verdict is given. */
  public boolean isCompleted() {
    return phase.isCompleted();
  }

  /** The tally after one more measurement; unchanged once a verdict is given. */
  public MetricTally record(Measured m) {
    if (isCompleted()) {
      return this;
    }
    int s = successful;
    int f = failed;
    int i = inconclusive;
    int e = error;
    int streak = m.phase() == AnalysisPhase.Error ? consecutiveErrors + 1 : 0;
    switch (m.phase()) {
      case Successful -> s++;
      case Failed -> f++;
      case Inconclusive -> i++;
      case Error -> e++;
      default -> throw new IllegalArgumentException("not a measurement verdict: " + m.phase());
    }
    AnalysisPhase next = AnalysisPhase.Running;
    String why = "";
    if (streak >= limits.consecutiveErrorLimit()) {
      next = AnalysisPhase.Failed;
      why = streak + " measurement errors in a row (limit " + limits.consecutiveErrorLimit()
          + "), the last: " + m.message();
    } else if (f > limits.failureLimit()) {
      next = AnalysisPhase.Failed;
      why = f + " failed measurements (failureLimit " + limits.failureLimit() + "), the last: "
          + describe(m);
    } else if (i > limits.inconclusiveLimit()) {
      next = AnalysisPhase.Inconclusive;
      why = i + " inconclusive measurements (inconclusiveLimit " + limits.inconclusiveLimit()
          + "), the last: " + describe(m);
    } else if (limits.bounded() && s + f + i >= limits.count()) {
      if (s > 0) {
        next = AnalysisPhase.Successful;
        why = s + " of " + (s + f + i) + " measurements passed, the last: " + describe(m);
      } else {
        next = f > 0 ? AnalysisPhase.Failed : AnalysisPhase.Inconclusive;
        why = "no measurement passed in " + (s + f + i) + ", the last: " + describe(m);
      }
    }
    return new MetricTally(limits, next, s, f, i, e, streak, why);
  }

  private static String describe(Measured m) {
    return m.value().map(v -> "value " + v + ", " + m.message()).orElse(m.message());
  }
}
