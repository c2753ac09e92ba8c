package dev.baton.planning;

import dev.baton.analysis.AnalysisResolver;
import dev.baton.analysis.AnalysisRun;
import dev.baton.analysis.AnalysisRunStatuses;
import dev.baton.analysis.AnalysisVariables;
import dev.baton.analysis.InvalidAnalysisException;
import dev.baton.analysis.MeasurementJudge;
import dev.baton.analysis.Measured;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.StatusWriteBudget;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The analysis runs of one planning pass, pure: a strategy planner asks where a run stands
 * ({@link #run}); the gate resumes it from status, folds in the measurements landed since, says
 * which metrics are due and when to look again, and at the end ({@link #plan}) which runs to
 * write (a verdict at once, counters as {@link StatusWriteBudget} allows).
 *
 * <p>The attempt: 1 for a revision's first rollout, one more for each retry, so a retry never
 * sees an earlier attempt's counters or verdict.
 */
final class AnalysisGate {

  /**
   * How soon to look again when a measurement is due now: it normally lands first (and wakes
   * the app); this only covers a measurement the pool refused (queue full).
   */
  static final Duration MEASURING_POLL = Duration.ofSeconds(10);

  /**
   * Where a run stands.
   *
   * @param phase Running, or its verdict
   * @param message why (the deciding metric, its value and threshold)
   * @param overridden an Inconclusive verdict a promote accepted
   * @param decidedNow the verdict was given in this pass (not yet in status): for Events
   * @param completedAt when the verdict was given
   */
  record State(AnalysisPhase phase, String message, boolean overridden, boolean decidedNow,
      Optional<Instant> completedAt) {

    /** The rollout may go on past it. */
    boolean passed() {
      return phase == AnalysisPhase.Successful
          || (phase == AnalysisPhase.Inconclusive && overridden);
    }

    /** Inconclusive and not (yet) accepted: the rollout holds for a decision. */
    boolean awaitsDecision() {
      return phase == AnalysisPhase.Inconclusive && !overridden;
    }
  }

  private final AnalysisInputs in;
  private final Instant now;
  private final Map<RunKey, AnalysisRun> runs = new LinkedHashMap<>();
  private final Set<RunKey> overriddenNow = new HashSet<>();
  private final List<AnalysisPlan.Measurement> measure = new ArrayList<>();
  private final List<AnalysisPlan.JobMeasurement> startJobs = new ArrayList<>();
  private Instant wakeUp;

  AnalysisGate(AnalysisInputs in, Instant now) {
    this.in = in;
    this.now = now;
  }

  /** The attempt at {@code revision}: the last recorded one, or a new one on a retry. */
  int attempt(int revision, boolean retried) {
    int recorded = in.recorded().stream()
        .filter(r -> r.revision != null && r.revision == revision && r.attempt != null)
        .mapToInt(r -> r.attempt).max().orElse(0);
    return retried ? recorded + 1 : Math.max(1, recorded);
  }

  /**
   * The run of {@code spec} at {@code key}, started now if status has none: resumed from status,
   * with the landed measurements recorded in order. Its due metrics are to be measured.
   */
  State run(RunKey key, AnalysisSpec spec, AnalysisVariables variables) {
    List<ResolvedMetric> metrics;
    try {
      metrics = AnalysisResolver.resolve(spec, in.appMetrics(), in.templates(), variables);
    } catch (InvalidAnalysisException e) {
      // Validation names this before any pod moves; a template deleted since fails closed.
      return new State(AnalysisPhase.Failed, "the analysis cannot run: " + e.getMessage(), false,
          true, Optional.of(now));
    }
    Optional<AnalysisRunStatus> recorded = AnalysisRunStatuses.find(in.recorded(), key);
    AnalysisRun run = recorded.map(r -> AnalysisRunStatuses.fromStatus(r, metrics))
        .orElseGet(() -> AnalysisRun.start(key, metrics, now));
    for (Map.Entry<String, List<Measured>> e : in.landed().getOrDefault(key, Map.of())
        .entrySet()) {
      Optional<AnalysisRun.MetricState> state = run.metric(e.getKey());
      if (state.isEmpty()) {
        continue; // a metric no longer in the analysis
      }
      Optional<Instant> last = state.get().lastAt();
      for (Measured m : e.getValue()) {
        // One already in status (a reconcile that stopped before forgetting it) counts once.
        if (last.isEmpty() || m.at().isAfter(last.get())) {
          run = run.record(e.getKey(), m);
        }
      }
    }
    // Job metrics: each finished Job is a measurement, in order, once.
    for (AnalysisRun.MetricState state : run.metrics()) {
      if (!isJob(state.metric())) {
        continue;
      }
      int counted = state.tally().count();
      for (AnalysisJob job : jobsOf(key, state.metric().name())) {
        if (job.n() == counted + 1 && job.result().isPresent()) {
          run = run.record(state.metric().name(), MeasurementJudge.judge(job.result().get(),
              state.metric().condition(), job.finishedAt()));
          counted++;
        }
      }
    }
    runs.put(key, run);
    if (!run.isCompleted()) {
      for (ResolvedMetric m : run.due(now)) {
        if (!isJob(m)) {
          measure.add(new AnalysisPlan.Measurement(key, m, variables));
          continue;
        }
        int n = run.metric(m.name()).map(x -> x.tally().count()).orElse(0) + 1;
        // A Job already made for it runs: its end wakes the app (the Job informer).
        if (jobsOf(key, m.name()).stream().noneMatch(j -> j.n() == n)) {
          startJobs.add(new AnalysisPlan.JobMeasurement(key, m, n));
        }
      }
      run.nextDue().ifPresent(t -> wakeAt(t.isAfter(now) ? t : now.plus(MEASURING_POLL)));
    }
    AnalysisRun result = run;
    boolean overridden = recorded.map(r -> Boolean.TRUE.equals(r.overridden)).orElse(false)
        || overriddenNow.contains(key);
    boolean decidedNow = result.isCompleted()
        && recorded.map(r -> r.phase != result.phase()).orElse(true);
    return new State(result.phase(), result.message(), overridden, decidedNow,
        result.completedAt());
  }

  private List<AnalysisJob> jobsOf(RunKey key, String metric) {
    return in.jobs().stream().filter(j -> j.run().equals(key) && j.metric().equals(metric))
        .sorted(java.util.Comparator.comparingInt(AnalysisJob::n)).toList();
  }

  private static boolean isJob(ResolvedMetric m) {
    return m.spec().provider != null && m.spec().provider.job != null;
  }

  /** A promote accepts the Inconclusive verdict of {@code key} (once; recorded in status). */
  void override(RunKey key) {
    overriddenNow.add(key);
  }

  /** The background run of {@code key} ends with the promotion it watched. */
  void end(RunKey key) {
    runs.computeIfPresent(key, (k, r) -> r.endedWithRollout(now));
  }

  /** When a run needs another look, if one does. */
  Optional<Instant> wakeUp() {
    return Optional.ofNullable(wakeUp);
  }

  /** What this pass decided about analysis. */
  AnalysisPlan plan() {
    if (runs.isEmpty() && in.landed().isEmpty() && in.jobs().isEmpty()) {
      return AnalysisPlan.NONE;
    }
    List<AnalysisRunStatus> status = in.recorded();
    Set<RunKey> written = new HashSet<>();
    for (Map.Entry<RunKey, AnalysisRun> e : runs.entrySet()) {
      Optional<AnalysisRunStatus> w = AnalysisRunStatuses.find(in.recorded(), e.getKey());
      boolean wasOverridden = w.map(r -> Boolean.TRUE.equals(r.overridden)).orElse(false);
      boolean overrideNow = overriddenNow.contains(e.getKey()) && !wasOverridden;
      if (overrideNow || StatusWriteBudget.shouldWrite(w, e.getValue(), now)) {
        AnalysisRunStatus st = AnalysisRunStatuses.toStatus(e.getValue());
        st.overridden = overrideNow || wasOverridden ? Boolean.TRUE : null;
        status = AnalysisRunStatuses.upsert(status, st);
        written.add(e.getKey());
      }
    }
    Set<RunKey> drain = new HashSet<>();
    for (RunKey key : in.landed().keySet()) {
      AnalysisRun run = runs.get(key);
      if (written.contains(key) || run == null || run.isCompleted()) {
        drain.add(key);
      }
    }
    // Jobs of runs status no longer keeps go (their verdicts went with them).
    List<AnalysisRunStatus> kept = status;
    List<String> deleteJobs = in.jobs().stream()
        .filter(j -> !runs.containsKey(j.run())
            && AnalysisRunStatuses.find(kept, j.run()).isEmpty())
        .map(AnalysisJob::name).toList();
    return new AnalysisPlan(written.isEmpty() ? Optional.empty() : Optional.of(status), measure,
        drain, startJobs, deleteJobs);
  }

  private void wakeAt(Instant t) {
    if (wakeUp == null || t.isBefore(wakeUp)) {
      wakeUp = t;
    }
  }
}
