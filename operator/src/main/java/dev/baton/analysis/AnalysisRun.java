package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One analysis run, immutable: its metrics' tallies and last measurements, which are due, and
 * the run's verdict. Pure; {@link AnalysisRunStatuses} converts it to and from status.
 *
 * <p>The verdict, over the metrics not in dry run: Failed as soon as one is Failed; Inconclusive
 * when one is Inconclusive, none failed and every bounded metric has its verdict; Successful when
 * every metric (dry run too) is bounded and done and the others all passed. A run with an
 * unbounded (background) metric is never Successful by itself: it ends with the rollout. Once
 * given, the verdict never changes and nothing more is recorded.
 */
public record AnalysisRun(RunKey key, Instant startedAt, List<MetricState> metrics,
    AnalysisPhase phase, String message, Optional<Instant> completedAt) {

  /** How many measurements of each metric the status keeps. */
  public static final int RECENT = 3;

  /** A metric within the run: its tally, its last measurements (oldest first), when last run. */
  public record MetricState(ResolvedMetric metric, MetricTally tally, List<Measured> recent) {

    /** When it was last measured, if ever. */
    public Optional<Instant> lastAt() {
      return recent.isEmpty() ? Optional.empty()
          : Optional.of(recent.get(recent.size() - 1).at());
    }

    /** When it is next due, or empty when its verdict is given. */
    public Optional<Instant> dueAt(Instant runStart) {
      if (tally.isCompleted()) {
        return Optional.empty();
      }
      return Optional.of(lastAt().map(t -> t.plus(metric.interval()))
          .orElse(runStart.plus(metric.initialDelay())));
    }

    MetricState with(Measured m) {
      List<Measured> r = new ArrayList<>(recent);
      r.add(m);
      while (r.size() > RECENT) {
        r.remove(0);
      }
      return new MetricState(metric, tally.record(m), List.copyOf(r));
    }
  }

  public AnalysisRun {
    metrics = List.copyOf(metrics);
  }

  /** A new run: fresh counters for every metric. */
  public static AnalysisRun start(RunKey key, List<ResolvedMetric> metrics, Instant now) {
    if (metrics.isEmpty()) {
      throw new IllegalArgumentException("an analysis run needs a metric");
    }
    List<MetricState> states = metrics.stream()
        .map(m -> new MetricState(m, MetricTally.start(m.limits()), List.of())).toList();
    return new AnalysisRun(key, now, states, AnalysisPhase.Running, "", Optional.empty());
  }

  /** Whether the verdict is given. */
  public boolean isCompleted() {
    return phase.isCompleted();
  }

  /** The metrics due for a measurement at {@code now} (none once the verdict is given). */
  public List<ResolvedMetric> due(Instant now) {
    if (isCompleted()) {
      return List.of();
    }
    return metrics.stream()
        .filter(s -> s.dueAt(startedAt).map(t -> !t.isAfter(now)).orElse(false))
        .map(MetricState::metric).toList();
  }

  /** When the next measurement is due, for the requeue; empty once the verdict is given. */
  public Optional<Instant> nextDue() {
    if (isCompleted()) {
      return Optional.empty();
    }
    return metrics.stream().map(s -> s.dueAt(startedAt)).flatMap(Optional::stream)
        .min(Instant::compareTo);
  }

  /** The run after one measurement of metric {@code name}; unchanged once the verdict is given. */
  public AnalysisRun record(String name, Measured m) {
    if (isCompleted()) {
      return this;
    }
    List<MetricState> next = new ArrayList<>();
    boolean found = false;
    for (MetricState s : metrics) {
      if (s.metric().name().equals(name)) {
        next.add(s.with(m));
        found = true;
      } else {
        next.add(s);
      }
    }
    if (!found) {
      throw new IllegalArgumentException("no metric " + name + " in run " + key);
    }
    return withVerdict(next, m.at());
  }

  /**
   * The run of a background analysis once the rollout it watched is promoted: it ends Successful
   * (no metric failed or was inconclusive while it ran), unless it already had a verdict, which
   * stays.
   */
  public AnalysisRun endedWithRollout(Instant now) {
    if (isCompleted()) {
      return this;
    }
    return new AnalysisRun(key, startedAt, metrics, AnalysisPhase.Successful,
        "ran until promotion; no metric failed", Optional.of(now));
  }

  /** The state of metric {@code name}. */
  public Optional<MetricState> metric(String name) {
    return metrics.stream().filter(s -> s.metric().name().equals(name)).findFirst();
  }

  private AnalysisRun withVerdict(List<MetricState> states, Instant now) {
    List<MetricState> acting = states.stream().filter(s -> !s.metric().dryRun()).toList();
    Optional<MetricState> failed = acting.stream()
        .filter(s -> s.tally().phase() == AnalysisPhase.Failed).findFirst();
    if (failed.isPresent()) {
      return done(states, AnalysisPhase.Failed, failed.get(), now);
    }
    boolean boundedDone = states.stream()
        .filter(s -> s.metric().limits().bounded())
        .allMatch(s -> s.tally().isCompleted());
    Optional<MetricState> inconclusive = acting.stream()
        .filter(s -> s.tally().phase() == AnalysisPhase.Inconclusive).findFirst();
    if (inconclusive.isPresent() && boundedDone) {
      return done(states, AnalysisPhase.Inconclusive, inconclusive.get(), now);
    }
    boolean allBounded = states.stream().allMatch(s -> s.metric().limits().bounded());
    if (allBounded && boundedDone && inconclusive.isEmpty()) {
      return new AnalysisRun(key, startedAt, states, AnalysisPhase.Successful,
          "every metric passed", Optional.of(now));
    }
    return new AnalysisRun(key, startedAt, states, AnalysisPhase.Running, "", Optional.empty());
  }

  private AnalysisRun done(List<MetricState> states, AnalysisPhase phase, MetricState by,
      Instant now) {
    String message = "metric " + by.metric().name() + " (" + by.metric().source() + "): "
        + by.tally().reason() + "; passes when " + by.metric().condition().describe();
    return new AnalysisRun(key, startedAt, states, phase, message, Optional.of(now));
  }
}
