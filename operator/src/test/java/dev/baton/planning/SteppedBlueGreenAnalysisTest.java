package dev.baton.planning;

import static dev.baton.planning.AnalysisStepPlannerTest.analysis;
import static dev.baton.planning.AnalysisStepPlannerTest.errorRatio;
import static dev.baton.planning.AnalysisStepPlannerTest.m;
import static dev.baton.planning.AnalysisStepPlannerTest.recorded;
import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.AnalysisValidator;
import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.TemplateLookup;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.BackgroundAnalysis;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.TrafficStep;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Analysis on a stepped blue/green, through the step machine it shares with the canary: "new"
 * (revision 2) runs at full size beside "old" and takes 10 % then 50 % through the Gateway API;
 * step 0 holds for its analysis, and a background analysis runs from step 1.
 */
class SteppedBlueGreenAnalysisTest {

  private static final RunKey STEP_0 = RunKey.step(2, 1, 0);
  private static final RunKey BACKGROUND = new RunKey(2, 1, RunKey.BACKGROUND);
  private final RolloutPlanner planner = new RolloutPlanner();

  static BatonAppSpec stepped() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.ingress = new IngressSpec();
    spec.ingress.provider = IngressSpec.Provider.gatewayAPI;
    TrafficStep ten = new TrafficStep();
    ten.weight = 10;
    ten.pauseSeconds = 5;
    ten.analysis = analysis();
    TrafficStep half = new TrafficStep();
    half.weight = 50;
    spec.strategy.blueGreen.trafficSteps = List.of(ten, half);
    spec.strategy.blueGreen.analysis = new BackgroundAnalysis();
    spec.strategy.blueGreen.analysis.metrics = List.of("error-ratio");
    spec.strategy.blueGreen.analysis.startingStep = 1;
    spec.analysisMetrics = List.of(errorRatio());
    return spec;
  }

  Plan plan(int step, int weight, Instant now, List<AnalysisRunStatus> recorded,
      Map<RunKey, Map<String, List<Measured>>> landed) {
    BatonAppSpec spec = stepped();
    return planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromoting(true).withStep(step)
            .withStepSince(T0).withProgressSince(T0).withAttempt(1)))
        .active("old").weight(weight).at(now)
        .analysis(new AnalysisInputs(spec.analysisMetrics,
            Optional.of(spec.strategy.blueGreen.analysis), Optional.empty(), Optional.empty(),
            TemplateLookup.of(Map.of(), Map.of()), recorded, landed))
        .build());
  }

  @Test
  void aTrafficStepHoldsForItsAnalysisNotForItsPause() {
    Plan held = plan(0, 10, T0.plusSeconds(60), List.of(), Map.of());
    assertThat(held.traffic().weight()).isEqualTo(10);
    assertThat(held.traffic().currentStep()).contains(0);
    assertThat(held.analysis().measure()).extracting(AnalysisPlan.Measurement::run)
        .containsExactly(STEP_0);
    assertThat(held.outcome().message()).contains("a timer never passes it");

    Plan passed = plan(0, 10, T0.plusSeconds(60), List.of(),
        Map.of(STEP_0, Map.of("error-ratio", List.of(m(AnalysisPhase.Successful, 0.0, 1),
            m(AnalysisPhase.Successful, 0.0, 11)))));
    assertThat(passed.events()).extracting(PlannedEvent::reason).contains("AnalysisPassed");
    assertThat(passed.versions().stream().filter(v -> v.hash().equals("new")).findFirst()
        .orElseThrow().bookkeeping().step()).contains(1);
  }

  @Test
  void aFailedStepAnalysisAbortsWithTheWeightBackToZeroAndTheLiveVersionServing() {
    Plan failed = plan(0, 10, T0.plusSeconds(5), List.of(),
        Map.of(STEP_0, Map.of("error-ratio", List.of(m(AnalysisPhase.Failed, 0.3, 4)))));
    assertThat(failed.outcome().abortReason()).isEqualTo("AnalysisFailed");
    assertThat(failed.traffic().weight()).isZero();
    assertThat(failed.activeHash()).contains("old");
  }

  @Test
  void theBackgroundAnalysisRunsFromItsStartingStepAndAFailureAborts() {
    Plan atStep1 = plan(1, 50, T0.plusSeconds(5), List.of(recorded(STEP_0,
        m(AnalysisPhase.Successful, 0.0, 1), m(AnalysisPhase.Successful, 0.0, 2))), Map.of());
    assertThat(atStep1.analysis().measure()).extracting(AnalysisPlan.Measurement::run)
        .contains(BACKGROUND);

    Plan failing = plan(1, 50, T0.plusSeconds(40), List.of(recorded(BACKGROUND)),
        Map.of(BACKGROUND, Map.of("error-ratio", List.of(m(AnalysisPhase.Failed, 0.4, 39)))));
    assertThat(failing.outcome().abortReason()).isEqualTo("AnalysisFailed");
    assertThat(failing.traffic().weight()).isZero();
  }

  @Test
  void theValidatorNamesTheStepsAndTheBackgroundAnalysis() {
    BatonAppSpec spec = stepped();
    spec.strategy.blueGreen.trafficSteps.get(0).analysis.metrics = List.of("missing");
    assertThat(AnalysisValidator.problem("shop", "ns", spec, TemplateLookup.of(Map.of(),
        Map.of()))).hasValueSatisfying(p ->
            assertThat(p).startsWith("spec.strategy.blueGreen.trafficSteps[0].analysis"));
    assertThat(AnalysisValidator.places(stepped())).extracting(AnalysisValidator.Place::field)
        .containsExactly("spec.strategy.blueGreen.trafficSteps[0].analysis",
            "spec.strategy.blueGreen.analysis");
  }
}
