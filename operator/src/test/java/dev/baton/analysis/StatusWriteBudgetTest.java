package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisPhase;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Verdicts are written at once; counters at most once a minute. */
class StatusWriteBudgetTest {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aVerdictAtOnceCountersOnceAMinute() {
    List<ResolvedMetric> metrics = List.of(AnalysisRunTest.metric("a", 10, 10, false));
    AnalysisRun run = AnalysisRun.start(RunKey.step(1, 1, 0), metrics, T0);
    assertThat(StatusWriteBudget.shouldWrite(Optional.empty(), run, T0)).isTrue();
    var written = Optional.of(AnalysisRunStatuses.toStatus(run));
    assertThat(StatusWriteBudget.shouldWrite(written, run, T0.plusSeconds(600))).isFalse();

    AnalysisRun one = run.record("a", AnalysisRunTest.at(AnalysisPhase.Successful, 0,
        T0.plusSeconds(30)));
    assertThat(StatusWriteBudget.shouldWrite(written, one, T0.plusSeconds(30))).isFalse();
    // Counted in measurements, not in wall time: a reconcile a minute later (woken when the
    // next measurement is due) writes nothing new either.
    assertThat(StatusWriteBudget.shouldWrite(written, one, T0.plusSeconds(90))).isFalse();
    one = one.record("a", AnalysisRunTest.at(AnalysisPhase.Successful, 0, T0.plusSeconds(60)));
    assertThat(StatusWriteBudget.shouldWrite(written, one, T0.plusSeconds(60))).isTrue();

    written = Optional.of(AnalysisRunStatuses.toStatus(one));
    AnalysisRun failed = one.record("a", AnalysisRunTest.at(AnalysisPhase.Failed, 1,
        T0.plusSeconds(70)));
    assertThat(StatusWriteBudget.shouldWrite(written, failed, T0.plusSeconds(70))).isTrue();
    written = Optional.of(AnalysisRunStatuses.toStatus(failed));
    assertThat(StatusWriteBudget.shouldWrite(written, failed, T0.plusSeconds(700))).isFalse();
  }
}
