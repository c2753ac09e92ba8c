package dev.baton.analysis;

import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.MeasurementStatus;
import dev.baton.api.v1alpha1.MetricRunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@link AnalysisRun} to and from {@code status.analysis}: bounded (a few runs, a few
 * measurements per metric, values and messages truncated), so status never grows with time, and
 * complete enough that an operator restarted mid-analysis resumes with the same counters and
 * never gives a second verdict.
 */
public final class AnalysisRunStatuses {

  /** Runs kept in status.analysis, newest last. */
  public static final int MAX_RUNS = 10;
  /** Characters of a value kept in status. */
  public static final int MAX_VALUE = 32;
  /** Characters of a message kept in status. */
  public static final int MAX_MESSAGE = 200;

  private AnalysisRunStatuses() {}

  /** The run as status. */
  public static AnalysisRunStatus toStatus(AnalysisRun run) {
    AnalysisRunStatus s = new AnalysisRunStatus();
    s.revision = run.key().revision();
    s.attempt = run.key().attempt();
    s.step = run.key().step();
    s.phase = run.phase();
    s.message = run.message().isEmpty() ? null : truncate(run.message(), MAX_MESSAGE);
    s.startedAt = run.startedAt().toString();
    s.completedAt = run.completedAt().map(Instant::toString).orElse(null);
    for (AnalysisRun.MetricState m : run.metrics()) {
      MetricRunStatus ms = new MetricRunStatus();
      ms.name = m.metric().name();
      ms.phase = m.tally().phase();
      ms.dryRun = m.metric().dryRun() ? true : null;
      ms.count = m.tally().count();
      ms.successful = m.tally().successful();
      ms.failed = m.tally().failed();
      ms.inconclusive = m.tally().inconclusive();
      ms.error = m.tally().error();
      ms.consecutiveErrors = m.tally().consecutiveErrors();
      ms.threshold = truncate(m.metric().condition().describe(), MAX_MESSAGE);
      for (Measured x : m.recent()) {
        MeasurementStatus xs = new MeasurementStatus();
        xs.phase = x.phase();
        xs.value = x.value().map(v -> truncate(String.valueOf(v), MAX_VALUE)).orElse(null);
        xs.message = x.message() == null || x.message().isEmpty() ? null
            : truncate(x.message(), MAX_MESSAGE);
        xs.at = x.at().toString();
        ms.measurements.add(xs);
      }
      s.metrics.add(ms);
    }
    return s;
  }

  /**
   * The run recorded in {@code status}, with the metrics resolved again from the spec: counters,
   * last measurements and verdict as they were. A metric the status does not know starts fresh.
   */
  public static AnalysisRun fromStatus(AnalysisRunStatus status, List<ResolvedMetric> metrics) {
    Map<String, MetricRunStatus> byName = status.metrics.stream()
        .collect(Collectors.toMap(m -> m.name, Function.identity(), (a, b) -> a));
    List<AnalysisRun.MetricState> states = new ArrayList<>();
    for (ResolvedMetric metric : metrics) {
      MetricRunStatus ms = byName.get(metric.name());
      if (ms == null) {
        states.add(new AnalysisRun.MetricState(metric, MetricTally.start(metric.limits()),
            List.of()));
        continue;
      }
      MetricTally tally = new MetricTally(metric.limits(),
          ms.phase == null ? AnalysisPhase.Running : ms.phase, nz(ms.successful), nz(ms.failed),
          nz(ms.inconclusive), nz(ms.error), nz(ms.consecutiveErrors), "");
      List<Measured> recent = ms.measurements.stream()
          .filter(x -> x.phase != null && x.phase.isCompleted() && x.at != null)
          .map(x -> new Measured(x.phase, parse(x.value), x.message == null ? "" : x.message,
              Instant.parse(x.at)))
          .toList();
      states.add(new AnalysisRun.MetricState(metric, tally, recent));
    }
    RunKey key = new RunKey(status.revision, status.attempt, status.step);
    return new AnalysisRun(key, Instant.parse(status.startedAt), states,
        status.phase == null ? AnalysisPhase.Running : status.phase,
        status.message == null ? "" : status.message,
        Optional.ofNullable(status.completedAt).map(Instant::parse));
  }

  /** The recorded run with {@code key}, if any. */
  public static Optional<AnalysisRunStatus> find(List<AnalysisRunStatus> runs, RunKey key) {
    return runs == null ? Optional.empty() : runs.stream()
        .filter(r -> r.revision != null && r.revision == key.revision()
            && r.attempt != null && r.attempt == key.attempt() && key.step().equals(r.step))
        .findFirst();
  }

  /**
   * {@code runs} with {@code run} replacing the one of its key (or appended), keeping the newest
   * {@link #MAX_RUNS}. Returns a new list.
   */
  public static List<AnalysisRunStatus> upsert(List<AnalysisRunStatus> runs,
      AnalysisRunStatus run) {
    List<AnalysisRunStatus> out = new ArrayList<>();
    if (runs != null) {
      for (AnalysisRunStatus r : runs) {
        boolean same = run.revision.equals(r.revision) && run.attempt.equals(r.attempt)
            && run.step.equals(r.step);
        if (!same) {
          out.add(r);
        }
      }
    }
    out.add(run);
    while (out.size() > MAX_RUNS) {
      out.remove(0);
    }
    return out;
  }

  /** {@code s} cut to {@code max} characters, marked with an ellipsis when cut. */
  static String truncate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }

  private static int nz(Integer i) {
    return i == null ? 0 : i;
  }

  private static Optional<Double> parse(String value) {
    if (value == null || value.endsWith("…")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
