package dev.baton.planning;

import static dev.baton.planning.AnalysisStepPlannerTest.errorRatio;
import static dev.baton.planning.AnalysisStepPlannerTest.m;
import static dev.baton.planning.AnalysisStepPlannerTest.recorded;
import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.AnalysisRunStatuses;
import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.TemplateLookup;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Blue/green prePromotionAnalysis: "old" (revision 1) live at 4 pods, "new" (revision 2) the
 * preview, ready at 4 pods since T0, auto-promotion without delay. The analysis (the metric of
 * {@link AnalysisStepPlannerTest}: at most 0.05, 2 measurements 10 s apart) runs on the preview;
 * the switch waits for its verdict.
 */
class PrePromotionAnalysisPlannerTest {

  private final RolloutPlanner planner = new RolloutPlanner();
  static final Instant NOW = T0.plusSeconds(30);
  static final RunKey PRE = new RunKey(2, 1, RunKey.PRE_PROMOTION);

  static BatonAppSpec blueGreen() {
    BatonAppSpec spec = spec(4, "api:2");
    AnalysisSpec a = new AnalysisSpec();
    a.metrics = List.of("error-ratio");
    spec.strategy.blueGreen.prePromotionAnalysis = a;
    spec.analysisMetrics = List.of(errorRatio());
    return spec;
  }

  static VersionState preview(int available) {
    return version("new", 2, 4, available, Bookkeeping.NONE.withProgressSince(T0)
        .withReadySince(T0).withAttempt(1));
  }

  Plan plan(VersionState preview, List<AnalysisRunStatus> recorded,
      Map<RunKey, Map<String, List<Measured>>> landed, Commands commands) {
    BatonAppSpec spec = blueGreen();
    return planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).with(preview)
        .active("old").at(NOW).commands(commands)
        .analysis(new AnalysisInputs(spec.analysisMetrics, Optional.empty(),
            Optional.of(spec.strategy.blueGreen.prePromotionAnalysis), Optional.empty(),
            TemplateLookup.of(Map.of(), Map.of()), recorded, landed)).build());
  }

  static Map<RunKey, Map<String, List<Measured>>> landed(Measured... ms) {
    return Map.of(PRE, Map.of("error-ratio", List.of(ms)));
  }

  static Stream<Arguments> verdicts() {
    // landed -> switched, phase, abort reason
    return Stream.of(
        Arguments.of("nothing yet", List.of(), false, Phase.Progressing, ""),
        Arguments.of("one pass of two", List.of(m(AnalysisPhase.Successful, 0.0, 1)), false,
            Phase.Progressing, ""),
        Arguments.of("two passes", List.of(m(AnalysisPhase.Successful, 0.0, 1),
            m(AnalysisPhase.Successful, 0.01, 11)), true, Phase.Progressing, ""),
        Arguments.of("a failure", List.of(m(AnalysisPhase.Failed, 0.2, 1)), false,
            Phase.Degraded, "AnalysisFailed"),
        Arguments.of("inconclusive", List.of(m(AnalysisPhase.Inconclusive, null, 1)), false,
            Phase.Paused, ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void theSwitchWaitsForTheVerdictOnThePreview(String name, List<Measured> ms, boolean switched,
      Phase phase, String abortReason) {
    Plan plan = plan(preview(4), List.of(), ms.isEmpty() ? Map.of()
        : landed(ms.toArray(Measured[]::new)), Commands.NONE);

    assertThat(plan.outcome().promotedHash().isPresent()).isEqualTo(switched);
    assertThat(plan.activeHash()).contains(switched ? "new" : "old");
    assertThat(plan.outcome().phase()).isEqualTo(phase);
    assertThat(plan.outcome().abortReason() == null ? "" : plan.outcome().abortReason())
        .isEqualTo(abortReason);
  }

  @Test
  void theAnalysisRunsAgainstThePreviewService() {
    Plan plan = plan(preview(4), List.of(), Map.of(), Commands.NONE);

    assertThat(plan.analysis().measure()).singleElement().satisfies(x -> {
      assertThat(x.run()).isEqualTo(PRE);
      assertThat(x.variables().previewService()).isEqualTo("shop-preview");
      assertThat(x.variables().canaryHash()).isEqualTo("new");
    });
    assertThat(plan.outcome().message()).contains("pre-promotion analysis runs");
  }

  @Test
  void aPromoteNeitherPassesARunningAnalysisNorStartsPromotionBeforeIt() {
    Plan running = plan(preview(4), List.of(recorded(PRE)), Map.of(),
        Commands.from(Map.of(Commands.PROMOTE, "")));
    assertThat(running.outcome().promotedHash()).isEmpty();
    assertThat(running.events()).extracting(PlannedEvent::reason).contains("PromoteIgnored");

    Plan notReady = plan(preview(2), List.of(), Map.of(),
        Commands.from(Map.of(Commands.PROMOTE, "")));
    assertThat(notReady.versions()).filteredOn(v -> v.hash().equals("new")).singleElement()
        .satisfies(v -> assertThat(v.bookkeeping()).returns(false, Bookkeeping::promoting));
  }

  @Test
  void aPromoteAcceptsAnInconclusiveVerdictOnceAndSwitches() {
    Plan plan = plan(preview(4), List.of(recorded(PRE, m(AnalysisPhase.Inconclusive, null, 1))),
        Map.of(), Commands.from(Map.of(Commands.PROMOTE, "")));

    assertThat(plan.outcome().promotedHash()).contains("new");
    assertThat(AnalysisRunStatuses.find(plan.analysis().status().orElseThrow(), PRE)
        .orElseThrow().overridden).isTrue();
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("AnalysisOverridden");
  }
}
