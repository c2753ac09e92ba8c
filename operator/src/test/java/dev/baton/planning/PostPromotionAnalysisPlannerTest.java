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
import org.junit.jupiter.api.Test;

/**
 * Blue/green postPromotionAnalysis: "new" (revision 2) was switched to at T0 and serves; "old"
 * (revision 1) is warm at 4 pods, its rollback window (30 s) running. The metric of
 * {@link AnalysisStepPlannerTest} (at most 0.05, 2 measurements 10 s apart) watches the new
 * version; the old one stays warm until the verdict, and a failure switches back to it.
 */
class PostPromotionAnalysisPlannerTest {

  private final RolloutPlanner planner = new RolloutPlanner();
  static final RunKey POST = new RunKey(2, 1, RunKey.POST_PROMOTION);

  static BatonAppSpec blueGreen() {
    BatonAppSpec spec = spec(4, "api:2");
    AnalysisSpec a = new AnalysisSpec();
    a.metrics = List.of("error-ratio");
    spec.strategy.blueGreen.postPromotionAnalysis = a;
    spec.analysisMetrics = List.of(errorRatio());
    return spec;
  }

  Plan plan(Instant now, String active, Optional<RollbackPin> pin,
      List<AnalysisRunStatus> recorded, Map<RunKey, Map<String, List<Measured>>> landed,
      Commands commands) {
    BatonAppSpec spec = blueGreen();
    var b = snapshot(spec, "new")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(3600))
            .withScaleDownAt(T0.plusSeconds(30))))
        .stored(1, "old", "api:1").stored(2, "new", "api:2")
        .active(active).at(now).commands(commands)
        .analysis(new AnalysisInputs(spec.analysisMetrics, Optional.empty(), Optional.empty(),
            Optional.of(spec.strategy.blueGreen.postPromotionAnalysis),
            TemplateLookup.of(Map.of(), Map.of()), recorded, landed));
    pin.ifPresent(b::pin);
    return planner.plan(b.build());
  }

  Plan plan(Instant now, List<AnalysisRunStatus> recorded,
      Map<RunKey, Map<String, List<Measured>>> landed, Commands commands) {
    return plan(now, "new", Optional.empty(), recorded, landed, commands);
  }

  static Map<RunKey, Map<String, List<Measured>>> landed(Measured... ms) {
    return Map.of(POST, Map.of("error-ratio", List.of(ms)));
  }

  static DesiredVersion desired(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst().orElseThrow();
  }

  @Test
  void afterTheSwitchTheNewVersionIsAnalysedAndThePreviousOneHeldWarm() {
    Plan plan = plan(T0.plusSeconds(10), List.of(), Map.of(), Commands.NONE);

    assertThat(plan.activeHash()).contains("new");
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(plan.outcome().message()).contains("post-promotion analysis runs");
    assertThat(plan.analysis().measure()).singleElement().satisfies(x -> {
      assertThat(x.run()).isEqualTo(POST);
      assertThat(x.variables().canaryHash()).isEqualTo("new");
      assertThat(x.variables().stableHash()).isEqualTo("old");
    });
    assertThat(desired(plan, "old").replicas()).isEqualTo(4);

    // Past its window the previous version still stays warm while the verdict is awaited.
    Plan late = plan(T0.plusSeconds(300), List.of(recorded(POST,
        m(AnalysisPhase.Successful, 0.0, 1))), Map.of(), Commands.NONE);
    assertThat(desired(late, "old").replicas()).isEqualTo(4);
  }

  @Test
  void aPassLetsThePreviousVersionRetireAsUsual() {
    Plan plan = plan(T0.plusSeconds(300), List.of(), landed(m(AnalysisPhase.Successful, 0.0, 1),
        m(AnalysisPhase.Successful, 0.0, 11)), Commands.NONE);

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("AnalysisPassed");
    assertThat(desired(plan, "old").replicas()).isZero();
  }

  @Test
  void aFailureSwitchesBackToTheWarmVersionAtOnceAndPinsIt() {
    Plan plan = plan(T0.plusSeconds(10), List.of(), landed(m(AnalysisPhase.Failed, 0.4, 1)),
        Commands.NONE);

    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.outcome().promotedHash()).contains("old");
    assertThat(plan.pin()).hasValueSatisfying(p -> {
      assertThat(p.revision()).isEqualTo(1);
      assertThat(p.specHash()).isEqualTo("new");
    });
    assertThat(plan.events()).extracting(PlannedEvent::reason)
        .contains("AnalysisFailed", "RollbackStarted", "RolledBack");
    assertThat(plan.events()).filteredOn(e -> e.reason().equals("AnalysisFailed"))
        .singleElement().satisfies(e -> assertThat(e.message()).contains("error-ratio")
            .contains("0.4").contains("[-inf, 0.05]"));
    assertThat(AnalysisRunStatuses.find(plan.analysis().status().orElseThrow(), POST)
        .orElseThrow().phase).isEqualTo(AnalysisPhase.Failed);

    // Held there until spec.template changes; the failed run is not looked at again.
    Plan held = plan(T0.plusSeconds(20), "old", Optional.of(new RollbackPin(1, "old", "new",
        "1")), List.of(recorded(POST, m(AnalysisPhase.Failed, 0.4, 1))), Map.of(),
        Commands.NONE);
    assertThat(held.activeHash()).contains("old");
    assertThat(held.target().hash()).isEqualTo("old");
    assertThat(held.analysis().measure()).isEmpty();
  }

  @Test
  void anInconclusiveVerdictHoldsUntilAPromoteAcceptsItOrTheDeadlineSwitchesBack() {
    List<AnalysisRunStatus> inconclusive = List.of(recorded(POST,
        m(AnalysisPhase.Inconclusive, null, 1)));
    Plan held = plan(T0.plusSeconds(10), inconclusive, Map.of(), Commands.NONE);
    assertThat(held.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(desired(held, "old").replicas()).isEqualTo(4);

    Plan accepted = plan(T0.plusSeconds(10), inconclusive, Map.of(),
        Commands.from(Map.of(Commands.PROMOTE, "")));
    assertThat(accepted.activeHash()).contains("new");
    assertThat(AnalysisRunStatuses.find(accepted.analysis().status().orElseThrow(), POST)
        .orElseThrow().overridden).isTrue();

    Plan expired = plan(T0.plusSeconds(1 + 600), inconclusive, Map.of(), Commands.NONE);
    assertThat(expired.activeHash()).contains("old");
    assertThat(expired.events()).extracting(PlannedEvent::reason)
        .contains("AnalysisInconclusive", "RolledBack");
  }
}
