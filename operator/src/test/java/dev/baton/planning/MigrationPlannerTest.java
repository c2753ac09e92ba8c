package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.DatabaseEndpoint;
import dev.baton.api.v1alpha1.DatabaseSpec;
import dev.baton.api.v1alpha1.MigrationSpec;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStatus.Kind;
import dev.baton.api.v1alpha1.MigrationStatus.State;
import dev.baton.api.v1alpha1.MigrationStep;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.MigrationSnapshot.ObservedJob;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The migration gate around the blue/green planner, one snapshot at a time. "old" (revision 1) is
 * live, "new" (revision 2) is the target; the first deploy has only "new" as revision 1.
 */
class MigrationPlannerTest {

  private final MigrationPlanner gate = new MigrationPlanner();
  private final RolloutPlanner strategy = new RolloutPlanner();

  /** A blue/green app with a primary database and all three migration phases. */
  static BatonAppSpec migrating(String image) {
    BatonAppSpec spec = spec(4, image);
    spec.database = new DatabaseSpec();
    spec.database.primary = new DatabaseEndpoint();
    spec.database.primary.host = "mysql-0.db";
    spec.database.primary.port = 3306;
    spec.database.migration = new MigrationSpec();
    spec.database.migration.image = "migrate:1";
    spec.database.migration.expand = step("up");
    spec.database.migration.contract = step("contract");
    spec.database.migration.onAbort = step("down");
    return spec;
  }

  private static MigrationStep step(String arg) {
    MigrationStep s = new MigrationStep();
    s.args = List.of("migrate", arg);
    return s;
  }

  private static ObservedJob job(int revision, Kind phase, int attempt, State state) {
    return new ObservedJob(MigrationJob.nameOf("shop", revision, phase, attempt), phase, revision,
        attempt, state, state == State.Failed ? "BackoffLimitExceeded" : null,
        state == State.Failed ? "Job has reached the specified backoff limit" : null, T0,
        MigrationPlanner.isDone(state) ? T0.plusSeconds(5) : null);
  }

  private static MigrationStatus recorded(ObservedJob j, State state) {
    MigrationStatus e = new MigrationStatus();
    e.phase = j.phase();
    e.revision = j.revision();
    e.attempt = j.attempt();
    e.jobName = j.name();
    e.state = state;
    e.startTime = T0.toString();
    return e;
  }

  private static MigrationSnapshot jobs(ObservedJob... jobs) {
    List<MigrationStatus> rec = new ArrayList<>();
    for (ObservedJob j : jobs) {
      rec.add(recorded(j, j.state()));
    }
    return new MigrationSnapshot(List.of(jobs), rec, Set.of());
  }

  private static VersionState live() {
    return version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(3600)));
  }

  private static int replicasOf(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst()
        .orElseThrow(() -> new AssertionError("no desired version " + hash)).replicas();
  }

  private static DesiredVersion desired(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst().orElseThrow();
  }

  private static List<String> created(MigrationPlanner.Decision d) {
    return d.create().stream().map(MigrationJob::name).toList();
  }

  private static Plan.ConditionState condition(Plan plan, String type) {
    return plan.outcome().conditions().stream().filter(c -> c.type().equals(type)).findFirst()
        .orElseThrow(() -> new AssertionError("no condition " + type));
  }

  private MigrationPlanner.Decision plan(Snapshot s, MigrationSnapshot m) {
    return gate.plan(s, m, strategy::plan);
  }

  // ---- the expand gate ------------------------------------------------------------------------

  /**
   * Worked examples of the gate during a rollout: (Deployment of the target at, expand Job state)
   * -> target replicas, Jobs created, Progressing reason. "-" is no Deployment or no Job.
   */
  static Stream<Arguments> expandGate() {
    return Stream.of(
        // nothing yet: the target's Deployment comes first (at zero), so the role Services exist
        Arguments.of(null, null, 0, List.of(), "MigrationRunning"),
        // Deployment at zero, no Job: create the expand Job, hold
        Arguments.of(0, null, 0, List.of("shop-r2-expand"), "MigrationRunning"),
        // running (also: a restarted operator sees the Job and creates nothing)
        Arguments.of(0, State.Pending, 0, List.of(), "MigrationRunning"),
        Arguments.of(0, State.Running, 0, List.of(), "MigrationRunning"),
        // succeeded: the strategy's plan, the preview at previewReplicas
        Arguments.of(0, State.Succeeded, 4, List.of(), "NewRevisionProgressing"),
        // failed: aborted, onAbort runs
        Arguments.of(0, State.Failed, 0, List.of("shop-r2-onabort"), "MigrationFailed"));
  }

  @ParameterizedTest
  @MethodSource
  void expandGate(Integer targetAt, State expand, int replicas, List<String> jobs, String reason) {
    var b = snapshot(migrating("api:2"), "new").with(live()).active("old");
    if (targetAt != null) {
      b.with(version("new", 2, targetAt, 0));
    }
    MigrationSnapshot m = expand == null ? MigrationSnapshot.EMPTY
        : jobs(job(2, Kind.expand, 1, expand));
    MigrationPlanner.Decision d = plan(b.build(), m);

    assertThat(replicasOf(d.plan(), "new")).isEqualTo(replicas);
    assertThat(replicasOf(d.plan(), "old")).isEqualTo(4);
    assertThat(d.plan().activeHash()).contains("old");
    assertThat(created(d)).isEqualTo(jobs);
    assertThat(condition(d.plan(), BlueGreenPlanner.PROGRESSING).reason()).isEqualTo(reason);
  }

  @Test
  void theNextExpandWaitsForTheLiveRevisionsContractToFinish() {
    var s = snapshot(migrating("api:2"), "new").with(live()).with(version("new", 2, 0, 0))
        .active("old").build();
    ObservedJob contract = job(1, Kind.contract, 1, State.Running);

    MigrationPlanner.Decision waiting = plan(s, jobs(job(1, Kind.expand, 1, State.Succeeded),
        contract));
    assertThat(waiting.create()).isEmpty();
    assertThat(replicasOf(waiting.plan(), "new")).isZero();
    assertThat(waiting.plan().outcome().message()).contains("shop-r1-contract");

    assertThat(created(plan(s, jobs(job(1, Kind.expand, 1, State.Succeeded),
        job(1, Kind.contract, 1, State.Succeeded))))).containsExactly("shop-r2-expand");
  }

  @Test
  void whileTheGateHoldsNoRolloutTimerRuns() {
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").build(),
        jobs(job(2, Kind.expand, 1, State.Running)));

    assertThat(desired(d.plan(), "new").bookkeeping())
        .returns(Optional.empty(), Bookkeeping::progressSince)
        .returns(Optional.empty(), Bookkeeping::readySince)
        .returns(false, Bookkeeping::promoting).returns(Optional.empty(), Bookkeeping::promotedAt);
    assertThat(d.plan().outcome().message()).contains("shop-r2-expand", "Running",
        "Revision 1 serves");
    assertThat(condition(d.plan(), MigrationPlanner.MIGRATED).status()).isFalse();
  }

  @Test
  void onceExpandSucceededTheProgressDeadlineCountsFromTheScaleUp() {
    Duration later = Duration.ofMinutes(30);
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").at(T0.plus(later)).build(),
        jobs(job(2, Kind.expand, 1, State.Succeeded)));

    assertThat(desired(d.plan(), "new").bookkeeping())
        .returns(Optional.of(T0.plus(later)), Bookkeeping::progressSince);
    assertThat(condition(d.plan(), MigrationPlanner.MIGRATED).reason())
        .isEqualTo("ExpandSucceeded");
  }

  /** The first deploy: (Deployment at, expand) -> replicas, Jobs, phase. */
  static Stream<Arguments> firstDeploy() {
    return Stream.of(
        Arguments.of(null, null, 0, List.of(), Phase.Progressing),
        Arguments.of(0, null, 0, List.of("shop-r1-expand"), Phase.Progressing),
        Arguments.of(0, State.Running, 0, List.of(), Phase.Progressing),
        Arguments.of(0, State.Succeeded, 4, List.of(), Phase.Progressing),
        // nothing serves: hold at zero, Degraded, onAbort cleans up
        Arguments.of(0, State.Failed, 0, List.of("shop-r1-onabort"), Phase.Degraded));
  }

  @ParameterizedTest
  @MethodSource
  void firstDeploy(Integer targetAt, State expand, int replicas, List<String> jobs, Phase phase) {
    var b = snapshot(migrating("api:1"), "new");
    if (targetAt != null) {
      b.with(version("new", 1, targetAt, 0));
    }
    MigrationSnapshot m = expand == null ? MigrationSnapshot.EMPTY
        : jobs(job(1, Kind.expand, 1, expand));
    MigrationPlanner.Decision d = plan(b.build(), m);

    assertThat(replicasOf(d.plan(), "new")).isEqualTo(replicas);
    assertThat(created(d)).isEqualTo(jobs);
    assertThat(d.plan().outcome().phase()).isEqualTo(phase);
    if (replicas == 0) {
      assertThat(desired(d.plan(), "new").bookkeeping())
          .returns(Optional.empty(), Bookkeeping::promotedAt);
    }
  }

  @Test
  void aFailedExpandAbortsWithTheJobAndReasonAndTheLiveVersionUntouched() {
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").build(),
        jobs(job(2, Kind.expand, 1, State.Failed)));

    Plan p = d.plan();
    assertThat(desired(p, "new").bookkeeping())
        .returns(Optional.of("MigrationFailed"), Fixtures::abortReason);
    assertThat(Fixtures.abortMessage(desired(p, "new").bookkeeping())).get().asString()
        .contains("shop-r2-expand", "BackoffLimitExceeded");
    assertThat(desired(p, "old").bookkeeping()).isEqualTo(desired(
        strategy.plan(snapshot(spec(4, "api:1"), "old").with(live()).active("old").build()),
        "old").bookkeeping());
    assertThat(p.activeHash()).contains("old");
    assertThat(p.previewHash()).contains("old");
    assertThat(p.outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(p.outcome().abortedHash()).contains("new");
    assertThat(condition(p, BlueGreenPlanner.DEGRADED).message())
        .contains("shop-r2-expand", "BackoffLimitExceeded", "backoff limit. Revision 1 serves;");
    assertThat(p.events()).extracting(PlannedEvent::reason)
        .contains("RolloutAborted", "MigrationStarted");
  }

  @Test
  void afterTheAbortTheStrategyKeepsItAndNothingRunsTwice() {
    ObservedJob expand = job(2, Kind.expand, 1, State.Failed);
    ObservedJob onAbort = job(2, Kind.onAbort, 1, State.Running);
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0, Bookkeeping.NONE.withAborted("MigrationFailed",
            "Expand migration Job shop-r2-expand failed", T0)))
        .active("old").build(), jobs(expand, onAbort));

    assertThat(d.create()).isEmpty();
    assertThat(replicasOf(d.plan(), "new")).isZero();
    assertThat(d.plan().outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(d.plan().events()).isEmpty();
  }

  @Test
  void aRetryAfterAFailedExpandRunsASecondAttempt() {
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0, Bookkeeping.NONE.withAborted("MigrationFailed", "failed",
            T0)))
        .active("old").commands(new Commands(false, false, false, true, java.util.Optional.empty(),
            false, java.util.Optional.empty())).build(),
        jobs(job(2, Kind.expand, 1, State.Failed), job(2, Kind.onAbort, 1, State.Succeeded)));

    assertThat(created(d)).containsExactly("shop-r2-expand-2");
    assertThat(replicasOf(d.plan(), "new")).isZero();
    assertThat(desired(d.plan(), "new").bookkeeping())
        .returns(Optional.empty(), Bookkeeping::aborted);
    assertThat(d.plan().consumeCommands()).isTrue();
  }

  @Test
  void aJobDeletedBeforeItFinishedCountsAsFailedAndIsNotCreatedAgain() {
    ObservedJob gone = job(2, Kind.expand, 1, State.Running);
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").build(),
        new MigrationSnapshot(List.of(), List.of(recorded(gone, State.Running)), Set.of()));

    assertThat(created(d)).containsExactly("shop-r2-onabort");
    assertThat(d.plan().outcome().abortedHash()).contains("new");
    assertThat(d.status()).filteredOn(e -> e.jobName.equals("shop-r2-expand"))
        .extracting(e -> e.state).containsExactly(State.Failed);
  }

  @Test
  void aSucceededJobDeletedByHandIsNotRunAgain() {
    ObservedJob gone = job(2, Kind.expand, 1, State.Succeeded);
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").build(),
        new MigrationSnapshot(List.of(), List.of(recorded(gone, State.Succeeded)), Set.of()));

    assertThat(d.create()).isEmpty();
    assertThat(replicasOf(d.plan(), "new")).isEqualTo(4);
  }

  @Test
  void pausedStartsNoMigration() {
    BatonAppSpec spec = migrating("api:2");
    spec.paused = true;
    MigrationPlanner.Decision d = plan(snapshot(spec, "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").build(), MigrationSnapshot.EMPTY);

    assertThat(d.create()).isEmpty();
    assertThat(replicasOf(d.plan(), "new")).isZero();
    assertThat(d.plan().outcome().phase()).isEqualTo(Phase.Paused);
  }

  /** A revision that served before (undo, rollback) never waits for an expand again. */
  @Test
  void anUndoToARevisionThatServedRunsNoExpand() {
    MigrationPlanner.Decision warm = plan(snapshot(migrating("api:1"), "old")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("new").build(),
        MigrationSnapshot.EMPTY);
    assertThat(warm.create()).isEmpty();
    assertThat(warm.plan().activeHash()).contains("old");

    MigrationPlanner.Decision fromHistory = plan(snapshot(migrating("api:1"), "old")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("new")
        .stored(1, "old", "api:1").build(),
        new MigrationSnapshot(List.of(), List.of(), Set.of(1)));
    assertThat(fromHistory.create()).isEmpty();
    assertThat(replicasOf(fromHistory.plan(), "old")).isEqualTo(4);
  }

  @Test
  void withoutMigrationsThePlanIsTheStrategys() {
    Snapshot s = snapshot(spec(4, "api:2"), "new").with(live()).active("old").build();
    MigrationPlanner.Decision d = plan(s, MigrationSnapshot.EMPTY);

    assertThat(d.plan()).isEqualTo(strategy.plan(s));
    assertThat(d.create()).isEmpty();
    assertThat(d.status()).isNull();
  }

  // ---- onAbort --------------------------------------------------------------------------------

  /** (expand state, abort command) -> onAbort created. */
  static Stream<Arguments> onAbort() {
    return Stream.of(
        // aborted while expand runs: onAbort waits for it (never two migrations at once)
        Arguments.of(State.Running, true, List.of()),
        // aborted after expand succeeded: onAbort once
        Arguments.of(State.Succeeded, true, List.of("shop-r2-onabort")),
        // no abort: nothing
        Arguments.of(State.Succeeded, false, List.of()));
  }

  @ParameterizedTest
  @MethodSource
  void onAbort(State expand, boolean abort, List<String> jobs) {
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, expand == State.Succeeded ? 4 : 0, 0,
            Bookkeeping.NONE.withProgressSince(T0)))
        .active("old").commands(new Commands(false, false, abort, false, java.util.Optional.empty(),
            false, java.util.Optional.empty())).build(),
        jobs(job(2, Kind.expand, 1, expand)));

    assertThat(created(d)).isEqualTo(jobs);
    assertThat(d.plan().activeHash()).contains("old");
  }

  @Test
  void anAbortedRolloutWhoseExpandFinishesLaterRunsOnAbortThenAndOnlyOnce() {
    var aborted = snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0, Bookkeeping.NONE.withAborted("AbortedByUser", "by request",
            T0)))
        .active("old").build();
    ObservedJob expand = job(2, Kind.expand, 1, State.Succeeded);

    assertThat(created(plan(aborted, jobs(expand)))).containsExactly("shop-r2-onabort");
    assertThat(created(plan(aborted, jobs(expand, job(2, Kind.onAbort, 1, State.Pending)))))
        .isEmpty();
    // Deleted by hand after it ran: the status record keeps it from running twice.
    assertThat(created(plan(aborted, new MigrationSnapshot(List.of(expand),
        List.of(recorded(expand, State.Succeeded),
            recorded(job(2, Kind.onAbort, 1, State.Succeeded), State.Succeeded)), Set.of()))))
        .isEmpty();
  }

  /**
   * A canary step's failed analysis is an abort like any other: its expand is undone once, and
   * the abort that the analysis decided stays decided on the next pass (status holds the verdict).
   */
  @Test
  void aCanaryAbortedByAFailedAnalysisRunsOnAbortOnce() {
    BatonAppSpec spec = AnalysisStepPlannerTest.canary(null);
    spec.database = migrating("api:2").database;
    ObservedJob expand = job(2, Kind.expand, 1, State.Succeeded);
    MigrationPlanner.Decision failed = gate.plan(snapshot(spec, "new")
        .with(AnalysisStepPlannerTest.live()).with(AnalysisStepPlannerTest.canaryAt(1))
        .active("old").weight(25).at(AnalysisStepPlannerTest.NOW)
        .analysis(AnalysisStepPlannerTest.inputs(spec, List.of(),
            AnalysisStepPlannerTest.landed(AnalysisStepPlannerTest.STEP_1,
                AnalysisStepPlannerTest.m(AnalysisPhase.Failed, 0.3, 1))))
        .build(), jobs(expand), strategy::plan);

    assertThat(failed.plan().outcome().abortReason()).isEqualTo("AnalysisFailed");
    assertThat(created(failed)).containsExactly("shop-r2-onabort");

    // The next pass: the canary carries the abort, onAbort runs; nothing is created again.
    DesiredVersion abortedCanary = desired(failed.plan(), "new");
    VersionState after = version("new", 2, abortedCanary.replicas(), 0,
        abortedCanary.bookkeeping());
    MigrationPlanner.Decision next = gate.plan(snapshot(spec, "new")
        .with(AnalysisStepPlannerTest.live()).with(after).active("old").weight(0)
        .at(AnalysisStepPlannerTest.NOW.plusSeconds(5))
        .analysis(AnalysisStepPlannerTest.inputs(spec, failed.plan().analysis().status()
            .orElseThrow(), Map.of()))
        .build(), jobs(expand, job(2, Kind.onAbort, 1, State.Running)), strategy::plan);
    assertThat(Fixtures.abortReason(desired(next.plan(), "new").bookkeeping()))
        .contains("AnalysisFailed");
    assertThat(next.plan().activeHash()).contains("old");
    assertThat(created(next)).isEmpty();
  }

  // ---- contract -------------------------------------------------------------------------------

  /** (old version's replicas, old ready, its scale-down time passed) -> contract created. */
  static Stream<Arguments> contract() {
    return Stream.of(
        // old still warm in its rollback window
        Arguments.of(4, 4, false, List.of()),
        // window over: this reconcile scales it down; contract waits for zero to be seen
        Arguments.of(4, 4, true, List.of()),
        // scaled to zero, pods still terminating
        Arguments.of(0, 1, true, List.of()),
        // gone for good: contract runs
        Arguments.of(0, 0, true, List.of("shop-r2-contract")));
  }

  @ParameterizedTest
  @MethodSource
  void contract(int oldReplicas, int oldReady, boolean windowOver, List<String> jobs) {
    Instant scaleDownAt = windowOver ? T0.minusSeconds(1) : T0.plusSeconds(20);
    MigrationPlanner.Decision d = plan(snapshot(migrating("api:2"), "new")
        .with(version("old", 1, oldReplicas, oldReady, Bookkeeping.NONE.withPromotedAt(T0)
            .withScaleDownAt(scaleDownAt)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("new").build(),
        jobs(job(2, Kind.expand, 1, State.Succeeded)));

    assertThat(created(d)).isEqualTo(jobs);
  }

  @Test
  void contractRunsOncePerRevisionAndNotForARevisionThatNeverExpanded() {
    var steady = snapshot(migrating("api:2"), "new")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("new").build();
    ObservedJob expand = job(2, Kind.expand, 1, State.Succeeded);
    ObservedJob contract = job(2, Kind.contract, 1, State.Succeeded);

    assertThat(created(plan(steady, jobs(expand, contract)))).isEmpty();
    assertThat(created(plan(steady, new MigrationSnapshot(List.of(expand),
        List.of(recorded(expand, State.Succeeded), recorded(contract, State.Succeeded)),
        Set.of())))).isEmpty();
    // Migrations added to an app whose live revision never went through the gate.
    assertThat(created(plan(steady, MigrationSnapshot.EMPTY))).isEmpty();
  }

  // ---- status, events, housekeeping -----------------------------------------------------------

  @Test
  void eachStartAndEndIsOneEvent() {
    var s = snapshot(migrating("api:2"), "new").with(live())
        .with(version("new", 2, 0, 0)).active("old").build();
    ObservedJob running = job(2, Kind.expand, 1, State.Running);
    ObservedJob done = job(2, Kind.expand, 1, State.Succeeded);

    assertThat(plan(s, MigrationSnapshot.EMPTY).plan().events()).extracting(PlannedEvent::reason)
        .contains("MigrationStarted");
    var finishing = plan(s, new MigrationSnapshot(List.of(done),
        List.of(recorded(running, State.Running)), Set.of()));
    assertThat(finishing.plan().events()).extracting(PlannedEvent::reason)
        .contains("MigrationSucceeded");
    assertThat(finishing.finished()).hasSize(1);
    assertThat(finishing.status()).singleElement().satisfies(e -> {
      assertThat(e.state).isEqualTo(State.Succeeded);
      assertThat(e.completionTime).isEqualTo(T0.plusSeconds(5).toString());
    });
    assertThat(plan(s, jobs(done)).plan().events()).extracting(PlannedEvent::reason)
        .doesNotContain("MigrationSucceeded", "MigrationStarted");
  }

  @Test
  void finishedJobsOfRevisionsOutOfHistoryAreDeleted() {
    var s = snapshot(migrating("api:9"), "new")
        .with(version("new", 9, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("new")
        .stored(8, "h8", "api:8").stored(9, "new", "api:9").build();
    var d = plan(s, jobs(job(3, Kind.contract, 1, State.Succeeded),
        job(8, Kind.expand, 1, State.Succeeded), job(9, Kind.expand, 1, State.Succeeded)));

    assertThat(d.delete()).containsExactly("shop-r3-contract");
    assertThat(d.status()).extracting(e -> e.jobName)
        .doesNotContain("shop-r3-contract").contains("shop-r8-expand", "shop-r9-expand");
  }

  /** Job names: (app, revision, phase, attempt) -> name, at most 63 characters. */
  static Stream<Arguments> names() {
    String long60 = "a".repeat(60);
    return Stream.of(
        Arguments.of("shop", 3, Kind.expand, 1, "shop-r3-expand"),
        Arguments.of("shop", 3, Kind.onAbort, 2, "shop-r3-onabort-2"),
        Arguments.of("shop", 12, Kind.contract, 1, "shop-r12-contract"),
        // too long: the app name is cut and a hash of it added
        Arguments.of(long60, 3, Kind.contract, 1, "a".repeat(44) + "-11ee39-r3-contract"));
  }

  @ParameterizedTest
  @MethodSource
  void names(String app, int revision, Kind phase, int attempt, String name) {
    String actual = MigrationJob.nameOf(app, revision, phase, attempt);
    assertThat(actual).isEqualTo(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9-]+");
  }
}
