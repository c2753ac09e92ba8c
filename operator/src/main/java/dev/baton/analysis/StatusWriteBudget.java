package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.MeasurementStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a run's status is worth a write: a verdict at once, counters at most once a minute of
 * measurements (the newest in memory a minute or more after the newest written), so
 * that many apps under analysis stay within the API server's write budget. Decided from what
 * status already holds (the newest measurement written), so it needs no state of its own and
 * survives a restart.
 */
public final class StatusWriteBudget {

  /** The least time between two writes of counters alone. */
  public static final Duration COUNTERS_EVERY = Duration.ofMinutes(1);

  private StatusWriteBudget() {}

  /** Whether {@code run} should be written now, given what status holds for it. */
  public static boolean shouldWrite(Optional<AnalysisRunStatus> written, AnalysisRun run,
      Instant now) {
    if (written.isEmpty()) {
      return true;
    }
    AnalysisRunStatus w = written.get();
    if (w.phase != run.phase()) {
      return true;
    }
    if (run.isCompleted()) {
      return false;
    }
    int writtenCount = w.metrics.stream().mapToInt(m -> m.count == null ? 0 : m.count).sum();
    int count = run.metrics().stream().mapToInt(m -> m.tally().count()).sum();
    if (count == writtenCount) {
      return false;
    }
    Instant last = w.metrics.stream().flatMap(m -> m.measurements.stream())
        .map((MeasurementStatus x) -> x.at).filter(a -> a != null).map(Instant::parse)
        .max(Instant::compareTo).orElse(Instant.parse(w.startedAt));
    // Measured from the newest measurement, not from now: a reconcile woken when the next
    // measurement is due comes a whole interval after the newest one landed, so "a minute since
    // the last written measurement" would hold every interval and write every measurement.
    Instant newest = run.metrics().stream().map(AnalysisRun.MetricState::lastAt)
        .flatMap(Optional::stream).max(Instant::compareTo).orElse(now);
    return !newest.isBefore(last.plus(COUNTERS_EVERY));
  }
}
