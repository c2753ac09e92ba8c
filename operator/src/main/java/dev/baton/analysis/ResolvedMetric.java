package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisMetric;
import java.time.Duration;

/**
 * A metric ready to measure: its spec with every {@code {{...}}} replaced, its condition compiled
 * and its limits with defaults applied. {@code source} says where it was declared (for messages).
 */
public record ResolvedMetric(String name, String source, AnalysisMetric spec,
    MetricCondition condition, MetricTally.Limits limits) {

  /** Resolves a metric whose placeholders are already substituted. */
  public static ResolvedMetric of(String source, AnalysisMetric spec) {
    return new ResolvedMetric(spec.name, source, spec, MetricCondition.of(spec),
        MetricTally.Limits.of(spec));
  }

  /** Whether its verdict is only reported, never acted on. */
  public boolean dryRun() {
    return Boolean.TRUE.equals(spec.dryRun);
  }

  /** The wait before the first measurement. */
  public Duration initialDelay() {
    return Duration.ofSeconds(spec.initialDelaySeconds == null ? 0 : spec.initialDelaySeconds);
  }

  /** The wait between measurements (zero: back to back). */
  public Duration interval() {
    return Duration.ofSeconds(spec.intervalSeconds == null ? 0 : spec.intervalSeconds);
  }
}
