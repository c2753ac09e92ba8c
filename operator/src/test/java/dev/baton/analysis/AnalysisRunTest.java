package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A run's verdict over its metrics, its schedule, and its round trip through status. */
class AnalysisRunTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final RunKey KEY = RunKey.step(3, 1, 2);

  static ResolvedMetric metric(String name, Integer count, Integer interval, boolean dryRun) {
    AnalysisMetric m = Metrics.errorRatio("q", 0.05);
    m.name = name;
    m.count = count;
    m.intervalSeconds = interval;
    m.dryRun = dryRun;
    return ResolvedMetric.of("test", m);
  }

  static Measured at(AnalysisPhase phase, double value, Instant at) {
    return new Measured(phase, Optional.of(value), "", at);
  }

  @Test
  void failsAsSoonAsOneMetricFailsAndTheVerdictNeverChanges() {
    AnalysisRun run = AnalysisRun.start(KEY,
        List.of(metric("a", 3, 10, false), metric("b", 3, 10, false)), T0);
    run = run.record("a", at(AnalysisPhase.Failed, 0.2, T0));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(run.message()).contains("metric a").contains("0.2").contains("[-inf, 0.05]");
    AnalysisRun later = run.record("b", at(AnalysisPhase.Successful, 0.01, T0.plusSeconds(10)));
    assertThat(later).isSameAs(run);
    assertThat(later.due(T0.plusSeconds(100))).isEmpty();
    assertThat(later.nextDue()).isEmpty();
  }

  @Test
  void aDryRunMetricIsMeasuredButNeverFailsTheRun() {
    AnalysisRun run = AnalysisRun.start(KEY,
        List.of(metric("real", 1, null, false), metric("dry", 1, null, true)), T0);
    run = run.record("dry", at(AnalysisPhase.Failed, 0.9, T0));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Running);
    assertThat(run.metric("dry").get().tally().phase()).isEqualTo(AnalysisPhase.Failed);
    run = run.record("real", at(AnalysisPhase.Successful, 0.01, T0));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Successful);
  }

  @Test
  void inconclusiveWaitsForTheOtherBoundedMetrics() {
    AnalysisRun run = AnalysisRun.start(KEY,
        List.of(metric("a", 1, null, false), metric("b", 2, 10, false)), T0);
    run = run.record("a", new Measured(AnalysisPhase.Inconclusive, Optional.empty(), "no data",
        T0));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Running);
    run = run.record("b", at(AnalysisPhase.Successful, 0.01, T0));
    run = run.record("b", at(AnalysisPhase.Successful, 0.01, T0.plusSeconds(10)));
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Inconclusive);
  }

  @Test
  void aBackgroundRunNeverPassesByItself() {
    AnalysisRun run = AnalysisRun.start(new RunKey(1, 1, RunKey.BACKGROUND),
        List.of(metric("a", null, 30, false)), T0);
    for (int i = 0; i < 20; i++) {
      run = run.record("a", at(AnalysisPhase.Successful, 0, T0.plusSeconds(30L * i)));
    }
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Running);
    assertThat(run.nextDue()).contains(T0.plusSeconds(30L * 20));
  }

  @Test
  void measurementsAreDueAfterTheInitialDelayThenEachInterval() {
    AnalysisMetric m = Metrics.errorRatio("q", 0.05);
    m.count = 3;
    m.intervalSeconds = 20;
    m.initialDelaySeconds = 60;
    AnalysisRun run = AnalysisRun.start(KEY, List.of(ResolvedMetric.of("t", m)), T0);
    assertThat(run.due(T0.plusSeconds(59))).isEmpty();
    assertThat(run.nextDue()).contains(T0.plusSeconds(60));
    assertThat(run.due(T0.plusSeconds(60))).hasSize(1);
    run = run.record("error-ratio", at(AnalysisPhase.Successful, 0, T0.plusSeconds(61)));
    assertThat(run.due(T0.plusSeconds(80))).isEmpty();
    assertThat(run.nextDue()).contains(T0.plusSeconds(81));
  }

  @Test
  void aNewAttemptStartsFreshCounters() {
    List<ResolvedMetric> metrics = List.of(metric("a", 1, null, false));
    AnalysisRun first = AnalysisRun.start(RunKey.step(3, 1, 0), metrics, T0)
        .record("a", at(AnalysisPhase.Failed, 0.5, T0));
    List<AnalysisRunStatus> status = AnalysisRunStatuses.upsert(null,
        AnalysisRunStatuses.toStatus(first));
    RunKey retry = RunKey.step(3, 2, 0);
    assertThat(AnalysisRunStatuses.find(status, retry)).isEmpty();
    AnalysisRun second = AnalysisRun.start(retry, metrics, T0.plusSeconds(5));
    assertThat(second.phase()).isEqualTo(AnalysisPhase.Running);
    assertThat(second.metric("a").get().tally().count()).isZero();
  }

  @Test
  void statusRoundTripKeepsCountersAndVerdictSoARestartGivesNoSecondVerdict() {
    List<ResolvedMetric> metrics = List.of(metric("a", 3, 10, false));
    AnalysisRun run = AnalysisRun.start(KEY, metrics, T0)
        .record("a", at(AnalysisPhase.Successful, 0.01, T0))
        .record("a", new Measured(AnalysisPhase.Error, Optional.empty(), "cannot connect",
            T0.plusSeconds(10)));
    AnalysisRun back = AnalysisRunStatuses.fromStatus(AnalysisRunStatuses.toStatus(run), metrics);
    assertThat(back.metric("a").get().tally().successful()).isEqualTo(1);
    assertThat(back.metric("a").get().tally().consecutiveErrors()).isEqualTo(1);
    assertThat(back.nextDue()).isEqualTo(run.nextDue());
    AnalysisRun failed = back.record("a", at(AnalysisPhase.Failed, 0.3, T0.plusSeconds(20)));
    AnalysisRun again = AnalysisRunStatuses.fromStatus(AnalysisRunStatuses.toStatus(failed),
        metrics);
    assertThat(again.phase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(again.completedAt()).isEqualTo(failed.completedAt());
    assertThat(again.record("a", at(AnalysisPhase.Successful, 0, T0.plusSeconds(30))).phase())
        .isEqualTo(AnalysisPhase.Failed);
  }

  @Test
  void statusIsBounded() {
    List<ResolvedMetric> metrics = List.of(metric("a", 100, 1, false));
    AnalysisRun run = AnalysisRun.start(KEY, metrics, T0);
    for (int i = 0; i < 10; i++) {
      run = run.record("a", new Measured(AnalysisPhase.Error, Optional.of(Math.PI * 1e300),
          "x".repeat(1000), T0.plus(Duration.ofSeconds(i))));
      run = run.record("a", at(AnalysisPhase.Successful, 0, T0.plus(Duration.ofSeconds(i))));
    }
    AnalysisRunStatus s = AnalysisRunStatuses.toStatus(run);
    assertThat(s.metrics.get(0).measurements).hasSize(AnalysisRun.RECENT);
    assertThat(s.metrics.get(0).count).isEqualTo(20);
    List<AnalysisRunStatus> runs = null;
    for (int r = 1; r <= 15; r++) {
      runs = AnalysisRunStatuses.upsert(runs, AnalysisRunStatuses.toStatus(
          AnalysisRun.start(RunKey.step(r, 1, 0), metrics, T0)));
    }
    assertThat(runs).hasSize(AnalysisRunStatuses.MAX_RUNS);
    assertThat(runs.get(runs.size() - 1).revision).isEqualTo(15);
    AnalysisRun long_ = AnalysisRun.start(KEY, metrics, T0).record("a",
        new Measured(AnalysisPhase.Error, Optional.of(1.0 / 3), "y".repeat(1000), T0));
    var m = AnalysisRunStatuses.toStatus(long_).metrics.get(0).measurements.get(0);
    assertThat(m.message).hasSize(AnalysisRunStatuses.MAX_MESSAGE);
    assertThat(m.value.length()).isLessThanOrEqualTo(AnalysisRunStatuses.MAX_VALUE);
  }
}
