package dev.baton.planning;

import static dev.baton.planning.AnalysisStepPlannerTest.canary;
import static dev.baton.planning.AnalysisStepPlannerTest.inputs;
import static dev.baton.planning.AnalysisStepPlannerTest.live;
import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.BackgroundAnalysis;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BatonAppStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Rule 7 over time: a canary held at its step with a background metric every 30 s costs one
 * status write a minute, not one per measurement. The reconciles are the ones the operator makes:
 * one when each measurement lands, and one when the next is due (the gate's wake-up); the
 * measurements not yet written stay in the inbox until a write takes them, as in the reconciler.
 */
class BackgroundCounterWritesTest {

  private static final RunKey BG = new RunKey(2, 1, RunKey.BACKGROUND);

  @Test
  void aBackgroundMetricEveryThirtySecondsIsWrittenOnceAMinute() {
    BackgroundAnalysis background = new BackgroundAnalysis();
    background.metrics = List.of("error-ratio");
    BatonAppSpec spec = canary(background);
    spec.analysisMetrics.get(0).count = null;
    spec.analysisMetrics.get(0).intervalSeconds = 30;
    RolloutPlanner planner = new RolloutPlanner();
    BatonAppStatus status = null;
    List<Measured> inbox = new ArrayList<>();
    int writes = 0;
    int minutes = 10;
    for (int i = 0; i <= minutes * 2; i++) {
      Instant measuredAt = T0.plusSeconds(30L * i + 1);
      // The wake-up for the measurement due now (nothing new in the inbox), then its landing.
      for (boolean landing : new boolean[] {false, true}) {
        if (landing && i > 0) {
          inbox.add(new Measured(AnalysisPhase.Successful, Optional.of(0.0), "ok", measuredAt));
        }
        Instant now = landing ? measuredAt.plusMillis(50) : measuredAt;
        List<AnalysisRunStatus> recorded = status == null || status.analysis == null
            ? List.of() : status.analysis;
        Snapshot s = snapshot(spec, "new").with(live())
            .with(Fixtures.version("new", 2, 2, 2, Bookkeeping.NONE.withStep(3)
                .withStepSince(T0).withProgressSince(T0).withAttempt(1)))
            .active("old").weight(50).at(now)
            .analysis(inputs(spec, recorded, inbox.isEmpty() ? Map.of()
                : Map.of(BG, Map.of("error-ratio", List.copyOf(inbox)))))
            .build();
        Plan plan = planner.plan(s);
        BatonAppStatus next = StatusPlanner.next(s, plan, status, "baton.dev/app=shop");
        if (status == null || !Serialization.asJson(status).equals(Serialization.asJson(next))) {
          writes++;
        }
        if (plan.analysis().drain().contains(BG)) {
          inbox.clear();
        }
        status = next;
      }
    }
    assertThat(status.analysis).singleElement()
        .satisfies(r -> assertThat(r.metrics.get(0).count).isBetween(2 * minutes - 2, 2 * minutes));
    // The first write starts the run; then at most one a minute.
    assertThat(writes).isBetween(minutes - 1, minutes + 1);
  }
}
