package dev.baton.planning;

import static dev.baton.planning.AnalysisStepPlannerTest.analysis;
import static dev.baton.planning.AnalysisStepPlannerTest.errorRatio;
import static dev.baton.planning.AnalysisStepPlannerTest.m;
import static dev.baton.planning.AnalysisStepPlannerTest.recorded;
import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.RollingPlannerTest.rolling;
import static dev.baton.planning.RollingPlannerTest.rollingSpec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.AnalysisRunStatuses;
import dev.baton.analysis.Measured;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.TemplateLookup;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.Phase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rolling strategy's analysis: "s" (revision 1) is stable in the rolling Deployment, "t"
 * (revision 2) rolls in since T0. The metric of {@link AnalysisStepPlannerTest} (at most 0.05,
 * 2 measurements 10 s apart) watches it; "t" becomes stable only on the verdict.
 */
class RollingAnalysisPlannerTest {

  private static final String R = Labels.ROLLING;
  private static final RunKey RUN = new RunKey(2, 1, RunKey.BACKGROUND);
  private final RolloutPlanner planner = new RolloutPlanner();

  static BatonAppSpec rollingWithAnalysis() {
    BatonAppSpec spec = rollingSpec(4, "api:2");
    spec.strategy.rolling.analysis = analysis();
    spec.analysisMetrics = List.of(errorRatio());
    return spec;
  }

  /** The rolling Deployment rolling "t" over "s" at {@code attempt}. */
  static VersionState rollingIn(int updated, boolean rolledOut, Bookkeeping more) {
    return rolling(4, updated, 4, rolledOut, Bookkeeping.NONE.withStableHash("s")
        .withTemplateHash("t").withRolloutTarget(Optional.of("t")).withAttempt(1)
        .withProgressSince(T0).withPromotedAt(T0).overlaidWith(more));
  }

  Plan plan(VersionState r, Instant now, List<AnalysisRunStatus> recorded,
      Map<RunKey, Map<String, List<Measured>>> landed, Commands commands) {
    BatonAppSpec spec = rollingWithAnalysis();
    return planner.plan(snapshot(spec, "t").stored(1, "s", "api:1").stored(2, "t", "api:2")
        .active(R).with(r).at(now).commands(commands)
        .analysis(new AnalysisInputs(spec.analysisMetrics, Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.of(spec.strategy.rolling.analysis),
            TemplateLookup.of(Map.of(), Map.of()), recorded, landed, List.of()))
        .build());
  }

  static Map<RunKey, Map<String, List<Measured>>> landed(RunKey key, Measured... ms) {
    return Map.of(key, Map.of("error-ratio", List.of(ms)));
  }

  static DesiredVersion desired(Plan plan) {
    return plan.versions().stream().filter(v -> v.hash().equals(R)).findFirst().orElseThrow();
  }

  @Test
  void aNewTemplateStartsAttemptOne() {
    VersionState onS = rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withStableHash("s")
        .withTemplateHash("s").withPromotedAt(T0));
    Plan plan = plan(onS, T0, List.of(), Map.of(), Commands.NONE);

    assertThat(desired(plan).bookkeeping()).returns(Optional.of("t"), Bookkeeping::templateHash)
        .returns(Optional.of(1), Bookkeeping::attempt);
  }

  @Test
  void whileItRollsTheNewRevisionIsMeasuredThroughTheAppsOneRoute() {
    Plan plan = plan(rollingIn(2, false, Bookkeeping.NONE), T0.plusSeconds(5), List.of(),
        Map.of(), Commands.NONE);

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(plan.analysis().measure()).singleElement().satisfies(x -> {
      assertThat(x.run()).isEqualTo(RUN);
      assertThat(x.variables().canaryHash()).isEqualTo("t");
      assertThat(x.variables().stableHash()).isEqualTo("s");
      assertThat(x.variables().previewService()).isEqualTo(x.variables().service())
          .isEqualTo(DesiredObjects.activeServiceName("shop"));
    });
    assertThat(desired(plan).bookkeeping()).returns(Optional.of(1), Bookkeeping::attempt);
  }

  @Test
  void aRolledOutRevisionBecomesStableOnlyOnItsVerdict() {
    Plan waiting = plan(rollingIn(4, true, Bookkeeping.NONE), T0.plusSeconds(12),
        List.of(recorded(RUN, m(AnalysisPhase.Successful, 0.0, 1))), Map.of(), Commands.NONE);
    assertThat(waiting.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(waiting.outcome().promotedHash()).isEmpty();
    assertThat(waiting.outcome().message()).contains("once its analysis passes");
    assertThat(desired(waiting).bookkeeping()).returns(Optional.of("s"), Bookkeeping::stableHash);

    Plan passed = plan(rollingIn(4, true, Bookkeeping.NONE), T0.plusSeconds(12),
        List.of(recorded(RUN, m(AnalysisPhase.Successful, 0.0, 1))),
        landed(RUN, m(AnalysisPhase.Successful, 0.01, 11)), Commands.NONE);
    assertThat(passed.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(passed.outcome().promotedHash()).contains("t");
    assertThat(passed.events()).extracting(PlannedEvent::reason)
        .containsExactly("AnalysisPassed", "Promoted");
    assertThat(desired(passed).bookkeeping()).returns(Optional.of("t"), Bookkeeping::stableHash);
  }

  @Test
  void aFailureWritesTheStableTemplateBackWithReasonAnalysisFailed() {
    Plan plan = plan(rollingIn(2, false, Bookkeeping.NONE), T0.plusSeconds(5), List.of(),
        landed(RUN, m(AnalysisPhase.Failed, 0.4, 4)), Commands.NONE);

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(desired(plan).bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of("t"), Bookkeeping::abortedHash)
        .returns(Optional.of("AnalysisFailed"), Fixtures::abortReason);
    assertThat(plan.events()).filteredOn(e -> e.reason().equals("AnalysisFailed"))
        .singleElement().satisfies(e -> assertThat(e.message()).contains("error-ratio")
            .contains("0.4").contains("[-inf, 0.05]"));
    assertThat(AnalysisRunStatuses.find(plan.analysis().status().orElseThrow(), RUN)
        .orElseThrow().phase).isEqualTo(AnalysisPhase.Failed);

    // A failure after the last pod is updated rolls back all the same.
    Plan late = plan(rollingIn(4, true, Bookkeeping.NONE), T0.plusSeconds(15), List.of(),
        landed(RUN, m(AnalysisPhase.Failed, 0.4, 14)), Commands.NONE);
    assertThat(desired(late).bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash);
    assertThat(late.outcome().promotedHash()).isEmpty();
  }

  @Test
  void anInconclusiveVerdictPausesTheDeploymentUntilAPromoteAcceptsItOnce() {
    List<AnalysisRunStatus> inconclusive = List.of(recorded(RUN,
        m(AnalysisPhase.Inconclusive, null, 1)));
    Plan held = plan(rollingIn(2, false, Bookkeeping.NONE), T0.plusSeconds(5), inconclusive,
        Map.of(), Commands.NONE);
    assertThat(held.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(held.outcome().message()).contains("inconclusive")
        .contains(Commands.PROMOTE);
    assertThat(desired(held).bookkeeping()).returns(true, Bookkeeping::paused)
        .returns(Optional.of(T0), Bookkeeping::progressSince);

    Plan accepted = plan(rollingIn(2, false, Bookkeeping.NONE.withPaused(true)),
        T0.plusSeconds(20), inconclusive, Map.of(),
        Commands.from(Map.of(Commands.PROMOTE, "")));
    assertThat(accepted.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(desired(accepted).bookkeeping()).returns(false, Bookkeeping::paused);
    assertThat(accepted.events()).extracting(PlannedEvent::reason)
        .contains("AnalysisOverridden");
    assertThat(AnalysisRunStatuses.find(accepted.analysis().status().orElseThrow(), RUN)
        .orElseThrow().overridden).isTrue();

    Plan expired = plan(rollingIn(2, false, Bookkeeping.NONE.withPaused(true)),
        T0.plusSeconds(1 + 600), inconclusive, Map.of(), Commands.NONE);
    assertThat(desired(expired).bookkeeping())
        .returns(Optional.of("AnalysisInconclusive"), Fixtures::abortReason)
        .returns(Optional.of("s"), Bookkeeping::templateHash);
  }

  @Test
  void anAbortCommandWhileTheAnalysisRunsRollsBack() {
    Plan plan = plan(rollingIn(4, true, Bookkeeping.NONE), T0.plusSeconds(12), List.of(),
        Map.of(), Commands.from(Map.of(Commands.ABORT, "")));

    assertThat(desired(plan).bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of(RolloutAbort.BY_USER), Fixtures::abortReason);
  }

  @Test
  void aRetryStartsAFreshAttemptThatSeesNoEarlierVerdict() {
    VersionState rolledBack = rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withStableHash("s")
        .withTemplateHash("s").withPromotedAt(T0).withAbortedHash("t").withAttempt(1)
        .withRolloutTarget(Optional.of("t"))
        .withAborted("AnalysisFailed", "Revision 2: analysis failed.", T0));
    List<AnalysisRunStatus> failed = List.of(recorded(RUN, m(AnalysisPhase.Failed, 0.4, 1)));

    Plan retried = plan(rolledBack, T0.plusSeconds(60), failed, Map.of(),
        Commands.from(Map.of(Commands.RETRY, "")));
    assertThat(desired(retried).bookkeeping()).returns(Optional.of("t"), Bookkeeping::templateHash)
        .returns(Optional.of(2), Bookkeeping::attempt);

    Plan rolling = plan(rollingIn(2, false, Bookkeeping.NONE.withAttempt(2)), T0.plusSeconds(65),
        failed, Map.of(), Commands.NONE);
    assertThat(rolling.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(rolling.analysis().measure()).singleElement()
        .satisfies(x -> assertThat(x.run()).isEqualTo(new RunKey(2, 2, RunKey.BACKGROUND)));
  }
}
