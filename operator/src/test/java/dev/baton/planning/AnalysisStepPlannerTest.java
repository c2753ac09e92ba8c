package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.analysis.AnalysisRun;
import dev.baton.analysis.AnalysisRunStatuses;
import dev.baton.analysis.Measured;
import dev.baton.analysis.ResolvedMetric;
import dev.baton.analysis.RunKey;
import dev.baton.analysis.TemplateLookup;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BackgroundAnalysis;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.ThresholdRange;
import dev.baton.api.v1alpha1.WebMetric;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Canary analysis steps and the background analysis, one snapshot at a time: "old" (revision 1)
 * is live, "new" (revision 2) the target, 4 replicas behind nginx; steps setWeight 25,
 * analysis {metrics: [error-ratio]}, setWeight 50. The metric: at most 0.05, 2 measurements
 * 10 s apart. The canary sits at step 1, its weight read back, since T0.
 */
class AnalysisStepPlannerTest {

  private final RolloutPlanner planner = new RolloutPlanner();
  static final Instant NOW = T0.plusSeconds(30);
  static final RunKey STEP_1 = RunKey.step(2, 1, 1);

  static AnalysisMetric errorRatio() {
    AnalysisMetric m = new AnalysisMetric();
    m.name = "error-ratio";
    m.provider = new MetricProviderSpec();
    m.provider.web = new WebMetric();
    m.provider.web.url = "http://metrics.example/ratio";
    m.provider.web.jsonPointer = "/ratio";
    m.thresholdRange = ThresholdRange.of(null, 0.05);
    m.count = 2;
    m.intervalSeconds = 10;
    return m;
  }

  static AnalysisSpec analysis() {
    AnalysisSpec a = new AnalysisSpec();
    a.metrics = List.of("error-ratio");
    return a;
  }

  static BatonAppSpec canary(BackgroundAnalysis background) {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen = null;
    spec.strategy.canary = new CanarySpec();
    CanaryStep step = new CanaryStep();
    step.analysis = analysis();
    spec.strategy.canary.steps = new ArrayList<>(List.of(CanaryStep.weight(25), step,
        CanaryStep.weight(50), CanaryStep.pauseFor(null)));
    spec.strategy.canary.analysis = background;
    spec.analysisMetrics = List.of(errorRatio());
    spec.ingress = new IngressSpec();
    spec.ingress.provider = IngressSpec.Provider.nginx;
    return spec;
  }

  static ResolvedMetric resolved() {
    return ResolvedMetric.of("spec.analysisMetrics", errorRatio());
  }

  static Measured m(AnalysisPhase phase, Double value, int secondsAfterT0) {
    return new Measured(phase, Optional.ofNullable(value), phase.name(),
        T0.plusSeconds(secondsAfterT0));
  }

  /** The run at {@code key} with {@code measurements} recorded, as status holds it. */
  static AnalysisRunStatus recorded(RunKey key, Measured... measurements) {
    AnalysisRun run = AnalysisRun.start(key, List.of(resolved()), T0);
    for (Measured x : measurements) {
      run = run.record("error-ratio", x);
    }
    return AnalysisRunStatuses.toStatus(run);
  }

  static AnalysisInputs inputs(BatonAppSpec spec, List<AnalysisRunStatus> recorded,
      Map<RunKey, Map<String, List<Measured>>> landed) {
    return new AnalysisInputs(spec.analysisMetrics,
        Optional.ofNullable(spec.strategy.canary.analysis), Optional.empty(), Optional.empty(),
        TemplateLookup.of(Map.of(), Map.of()),
        recorded, landed);
  }

  static Map<RunKey, Map<String, List<Measured>>> landed(RunKey key, Measured... ms) {
    return Map.of(key, Map.of("error-ratio", List.of(ms)));
  }

  static VersionState live() {
    return version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0));
  }

  static VersionState canaryAt(int step, Bookkeeping more) {
    return version("new", 2, 1, 1, Bookkeeping.NONE.withStep(step).withStepSince(T0)
        .withProgressSince(T0).withAttempt(1).overlaidWith(more));
  }

  static VersionState canaryAt(int step) {
    return canaryAt(step, Bookkeeping.NONE);
  }

  Plan plan(BatonAppSpec spec, VersionState canary, int weight, Instant now,
      List<AnalysisRunStatus> recorded, Map<RunKey, Map<String, List<Measured>>> landed,
      Commands commands) {
    return planner.plan(snapshot(spec, "new").with(live()).with(canary).active("old")
        .weight(weight).at(now).commands(commands)
        .analysis(inputs(spec, recorded, landed)).build());
  }

  Plan atStep1(List<AnalysisRunStatus> recorded, Map<RunKey, Map<String, List<Measured>>> landed,
      Commands commands) {
    return plan(canary(null), canaryAt(1), 25, NOW, recorded, landed, commands);
  }

  static DesiredVersion desired(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst().orElseThrow();
  }

  static AnalysisRunStatus written(Plan plan, RunKey key) {
    return AnalysisRunStatuses.find(plan.analysis().status().orElseThrow(), key).orElseThrow();
  }

  static Stream<Arguments> verdicts() {
    // landed measurements -> phase, step after, weight asked, abort reason (or "")
    return Stream.of(
        Arguments.of("nothing yet", List.of(), Phase.Progressing, 1, 25, ""),
        Arguments.of("one pass of two", List.of(m(AnalysisPhase.Successful, 0.01, 1)),
            Phase.Progressing, 1, 25, ""),
        Arguments.of("two passes", List.of(m(AnalysisPhase.Successful, 0.01, 1),
            m(AnalysisPhase.Successful, 0.0, 11)), Phase.Progressing, 2, 25, ""),
        Arguments.of("a failure", List.of(m(AnalysisPhase.Failed, 0.3, 1)), Phase.Degraded,
            1, 0, "AnalysisFailed"),
        Arguments.of("inconclusive", List.of(m(AnalysisPhase.Inconclusive, null, 1)),
            Phase.Paused, 1, 25, ""),
        Arguments.of("three errors: not yet failed", List.of(m(AnalysisPhase.Error, null, 1),
            m(AnalysisPhase.Error, null, 11), m(AnalysisPhase.Error, null, 21)),
            Phase.Progressing, 1, 25, ""),
        Arguments.of("four errors in a row", List.of(m(AnalysisPhase.Error, null, 1),
            m(AnalysisPhase.Error, null, 11), m(AnalysisPhase.Error, null, 21),
            m(AnalysisPhase.Error, null, 22)), Phase.Degraded, 1, 0, "AnalysisFailed"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void theStepHoldsUntilTheVerdictAndActsOnIt(String name, List<Measured> ms, Phase phase,
      int stepAfter, int weight, String abortReason) {
    Plan plan = atStep1(List.of(), ms.isEmpty() ? Map.of()
        : landed(STEP_1, ms.toArray(Measured[]::new)), Commands.NONE);

    assertThat(plan.outcome().phase()).isEqualTo(phase);
    assertThat(desired(plan, "new").bookkeeping())
        .returns(Optional.of(stepAfter), Bookkeeping::step);
    assertThat(plan.traffic().weight()).isEqualTo(weight);
    assertThat(plan.outcome().abortReason() == null ? "" : plan.outcome().abortReason())
        .isEqualTo(abortReason);
    assertThat(desired(plan, "old").replicas()).isEqualTo(4);
  }

  @Test
  void noTimerPassesAnAnalysisStepAndTheFirstMeasurementIsDueAtOnce() {
    Plan plan = plan(canary(null), canaryAt(1), 25, T0.plusSeconds(86_400), List.of(), Map.of(),
        Commands.NONE);

    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(1), Bookkeeping::step);
    assertThat(plan.outcome().message()).contains("waiting for the analysis' verdict");
    assertThat(plan.analysis().measure()).singleElement().satisfies(x -> {
      assertThat(x.run()).isEqualTo(STEP_1);
      assertThat(x.metric().name()).isEqualTo("error-ratio");
      assertThat(x.variables().weight()).isEqualTo(25);
      assertThat(x.variables().canaryHash()).isEqualTo("new");
      assertThat(x.variables().stableHash()).isEqualTo("old");
    });
    // A new run is written at once, so a restart resumes it.
    assertThat(written(plan, STEP_1).phase).isEqualTo(AnalysisPhase.Running);
  }

  @Test
  void aFailureAbortsInOneWriteWithAnEventNamingMetricValueAndThreshold() {
    Plan plan = atStep1(List.of(), landed(STEP_1, m(AnalysisPhase.Failed, 0.3, 1)),
        Commands.NONE);

    assertThat(plan.outcome().abortedHash()).contains("new");
    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.events()).filteredOn(e -> e.reason().equals("AnalysisFailed"))
        .singleElement().satisfies(e -> assertThat(e.message()).contains("error-ratio")
            .contains("0.3").contains("[-inf, 0.05]"));
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("RolloutAborted");
    assertThat(written(plan, STEP_1).phase).isEqualTo(AnalysisPhase.Failed);
    assertThat(plan.analysis().measure()).isEmpty();
    assertThat(plan.analysis().drain()).contains(STEP_1);
  }

  @Test
  void anInconclusiveVerdictPausesWithTheWeightAndPodsHeld() {
    Plan plan = atStep1(List.of(), landed(STEP_1, m(AnalysisPhase.Inconclusive, null, 1)),
        Commands.NONE);

    assertThat(plan.outcome().conditions()).anySatisfy(c -> {
      assertThat(c.type()).isEqualTo(BlueGreenPlanner.PAUSED);
      assertThat(c.status()).isTrue();
      assertThat(c.reason()).isEqualTo("AnalysisInconclusive");
    });
    assertThat(desired(plan, "new").replicas()).isEqualTo(1);
    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(T0), Bookkeeping::stepSince);
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("AnalysisInconclusive");
    assertThat(plan.requeueAfter()).isPresent();
  }

  @Test
  void aPromoteAcceptsAnInconclusiveVerdictOnceRecordedAsOverridden() {
    AnalysisRunStatus inconclusive = recorded(STEP_1, m(AnalysisPhase.Inconclusive, null, 1));
    Plan plan = atStep1(List.of(inconclusive), Map.of(), Commands.from(
        Map.of(Commands.PROMOTE, "")));

    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(2), Bookkeeping::step);
    assertThat(written(plan, STEP_1).overridden).isTrue();
    assertThat(written(plan, STEP_1).phase).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("AnalysisOverridden");
    assertThat(plan.consumeCommands()).isTrue();
  }

  @Test
  void aPromoteDoesNotPassARunningAnalysis() {
    AnalysisRunStatus running = recorded(STEP_1, m(AnalysisPhase.Successful, 0.01, 1));
    Plan plan = atStep1(List.of(running), Map.of(), Commands.from(Map.of(Commands.PROMOTE, "")));

    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(1), Bookkeeping::step);
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("PromoteIgnored");
  }

  @Test
  void anUnacceptedInconclusiveVerdictAbortsAtTheProgressDeadline() {
    AnalysisRunStatus inconclusive = recorded(STEP_1, m(AnalysisPhase.Inconclusive, null, 1));
    Plan plan = plan(canary(null), canaryAt(1), 25, T0.plusSeconds(1 + 600), List.of(
        inconclusive), Map.of(), Commands.NONE);

    assertThat(plan.outcome().abortReason()).isEqualTo("AnalysisInconclusive");
    assertThat(plan.traffic().weight()).isZero();
  }

  @Test
  void aVerdictInStatusIsNotGivenAgainAndLaterMeasurementsDoNotChangeIt() {
    AnalysisRunStatus failed = recorded(STEP_1, m(AnalysisPhase.Failed, 0.3, 1));
    Plan plan = atStep1(List.of(failed), landed(STEP_1, m(AnalysisPhase.Successful, 0.0, 11),
        m(AnalysisPhase.Successful, 0.0, 21)), Commands.NONE);

    assertThat(plan.outcome().abortReason()).isEqualTo("AnalysisFailed");
    assertThat(plan.analysis().status()).isEmpty(); // nothing to write: the verdict stands
    assertThat(plan.analysis().drain()).contains(STEP_1);
  }

  @Test
  void countersWaitForTheWriteBudgetAndStayInTheInboxMeanwhile() {
    AnalysisRunStatus running = recorded(STEP_1);
    Plan plan = atStep1(List.of(running), landed(STEP_1, m(AnalysisPhase.Successful, 0.01, 25)),
        Commands.NONE);

    assertThat(plan.analysis().status()).isEmpty();
    assertThat(plan.analysis().drain()).doesNotContain(STEP_1);
    // The next measurement is due 10 s after the landed one, not at once.
    assertThat(plan.analysis().measure()).isEmpty();
    assertThat(plan.requeueAfter()).isPresent();
    assertThat(plan.requeueAfter().get().toSeconds()).isEqualTo(5);
  }

  @Test
  void aRetryStartsANewAttemptWithFreshCounters() {
    AnalysisRunStatus failed = recorded(STEP_1, m(AnalysisPhase.Failed, 0.3, 1));
    VersionState aborted = version("new", 2, 0, 0, Bookkeeping.NONE.withStep(1).withAttempt(1)
        .withAborted("AnalysisFailed", "", T0));
    Plan retry = plan(canary(null), aborted, 0, NOW, List.of(failed), Map.of(),
        Commands.from(Map.of(Commands.RETRY, "")));
    assertThat(desired(retry, "new").bookkeeping()).returns(Optional.of(2), Bookkeeping::attempt)
        .returns(Optional.of(0), Bookkeeping::step);

    Plan second = plan(canary(null), canaryAt(1, Bookkeeping.NONE.withAttempt(2)), 25, NOW,
        List.of(failed),
        Map.of(), Commands.NONE);
    RunKey attempt2 = RunKey.step(2, 2, 1);
    assertThat(second.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(written(second, attempt2).phase).isEqualTo(AnalysisPhase.Running);
    assertThat(written(second, attempt2).metrics.get(0).count).isZero();
    assertThat(second.analysis().measure()).extracting(AnalysisPlan.Measurement::run)
        .containsExactly(attempt2);
  }

  @Test
  void aNewRolloutOfARevisionAnalysedBeforeIsANewAttempt() {
    // Revision 2 failed at attempt 1 and its Deployment is gone; the spec comes back to it.
    AnalysisRunStatus failed = recorded(STEP_1, m(AnalysisPhase.Failed, 0.3, 1));
    BatonAppSpec spec = canary(null);
    Plan plan = planner.plan(snapshot(spec, "new").with(live()).active("old").weight(0).at(NOW)
        .stored(2, "new", "api:2").analysis(inputs(spec, List.of(failed), Map.of())).build());

    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(2), Bookkeeping::attempt);
    assertThat(plan.outcome().abortReason()).isNull();
  }

  @Test
  void theBackgroundAnalysisRunsFromItsStartingStepAndAFailureAbortsAtAnyStep() {
    BackgroundAnalysis background = new BackgroundAnalysis();
    background.metrics = List.of("error-ratio");
    background.startingStep = 2;
    BatonAppSpec spec = canary(background);
    RunKey bg = new RunKey(2, 1, RunKey.BACKGROUND);

    // Before its starting step: not measured.
    Plan before = plan(spec, canaryAt(1), 25, NOW, List.of(recorded(STEP_1)), Map.of(),
        Commands.NONE);
    assertThat(before.analysis().measure()).extracting(AnalysisPlan.Measurement::run)
        .doesNotContain(bg);

    // At the pause after it: failing aborts.
    Plan failing = plan(spec, canaryAt(3), 50, NOW, List.of(recorded(bg)),
        landed(bg, m(AnalysisPhase.Failed, 0.5, 1)), Commands.NONE);
    assertThat(failing.outcome().abortReason()).isEqualTo("AnalysisFailed");
    assertThat(failing.traffic().weight()).isZero();

    // Inconclusive holds the paused step; a promote accepts it and does nothing else.
    Plan held = plan(spec, canaryAt(3), 50, NOW, List.of(recorded(bg)),
        landed(bg, m(AnalysisPhase.Inconclusive, null, 1)), Commands.NONE);
    assertThat(held.outcome().conditions()).anySatisfy(c ->
        assertThat(c.reason()).isEqualTo("AnalysisInconclusive"));
    Plan accepted = plan(spec, canaryAt(3), 50, NOW, List.of(recorded(bg,
        m(AnalysisPhase.Inconclusive, null, 1))), Map.of(),
        Commands.from(Map.of(Commands.PROMOTE, "")));
    assertThat(written(accepted, bg).overridden).isTrue();
    assertThat(desired(accepted, "new").bookkeeping()).returns(Optional.of(3), Bookkeeping::step);
  }

  static AnalysisMetric smokeJob() throws Exception {
    AnalysisMetric m = new AnalysisMetric();
    m.name = "smoke";
    m.provider = new MetricProviderSpec();
    m.provider.job = new dev.baton.api.v1alpha1.JobMetric();
    m.provider.job.spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "{\"template\":{\"spec\":{\"containers\":[{\"name\":\"smoke\","
            + "\"image\":\"smoke:1\"}]}}}");
    m.count = 2;
    return m;
  }

  @Test
  void aJobMetricIsAJobPerMeasurementEachCountedOnceWhenItFinishes() throws Exception {
    BatonAppSpec spec = canary(null);
    spec.analysisMetrics = List.of(smokeJob());
    spec.strategy.canary.steps.get(1).analysis.metrics = List.of("smoke");
    java.util.function.Function<List<AnalysisJob>, Plan> at = jobs -> planner.plan(
        snapshot(spec, "new").with(live()).with(canaryAt(1)).active("old").weight(25).at(NOW)
            .analysis(new AnalysisInputs(spec.analysisMetrics, Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), TemplateLookup.of(Map.of(), Map.of()),
                List.of(), Map.of(), jobs)).build());
    java.util.function.BiFunction<Integer, dev.baton.analysis.Observation, AnalysisJob> job =
        (n, result) -> new AnalysisJob("shop-smoke-r2-a1-step-1-" + n, STEP_1, "smoke", n,
            Optional.ofNullable(result), T0.plusSeconds(n));

    Plan none = at.apply(List.of());
    assertThat(none.analysis().startJobs()).singleElement().satisfies(j -> {
      assertThat(j.run()).isEqualTo(STEP_1);
      assertThat(j.n()).isEqualTo(1);
    });
    assertThat(none.analysis().measure()).isEmpty(); // never sent to the measurement pool

    Plan running = at.apply(List.of(job.apply(1, null)));
    assertThat(running.analysis().startJobs()).isEmpty();
    assertThat(desired(running, "new").bookkeeping()).returns(Optional.of(1), Bookkeeping::step);

    Plan one = at.apply(List.of(job.apply(1, new dev.baton.analysis.Observation.Passed("ok"))));
    assertThat(one.analysis().startJobs()).extracting(AnalysisPlan.JobMeasurement::n)
        .containsExactly(2);

    Plan two = at.apply(List.of(job.apply(1, new dev.baton.analysis.Observation.Passed("ok")),
        job.apply(2, new dev.baton.analysis.Observation.Passed("ok"))));
    assertThat(desired(two, "new").bookkeeping()).returns(Optional.of(2), Bookkeeping::step);

    Plan failed = at.apply(List.of(job.apply(1,
        new dev.baton.analysis.Observation.Failed("Job shop-smoke-r2-a1-step-1-1 failed"))));
    assertThat(failed.outcome().abortReason()).isEqualTo("AnalysisFailed");

    // A Job of a run status no longer keeps (nor this pass runs) goes.
    Plan stale = at.apply(List.of(new AnalysisJob("shop-smoke-r1-a1-step-1-1",
        RunKey.step(1, 1, 1), "smoke", 1, Optional.empty(), T0)));
    assertThat(stale.analysis().deleteJobs()).containsExactly("shop-smoke-r1-a1-step-1-1");
  }
}
