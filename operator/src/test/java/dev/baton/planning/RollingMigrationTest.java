package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.MigrationStatus.Kind;
import dev.baton.api.v1alpha1.MigrationStatus.State;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.planning.MigrationSnapshot.ObservedJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Migrations with the rolling strategy: the one Deployment ({@link Labels#ROLLING}) takes the new
 * template ("t", revision 2) only once its expand Job succeeded, contract runs once the rollback
 * window after the rollout has passed, onAbort after an abort. "s" (revision 1) is stable.
 */
class RollingMigrationTest {

  private final MigrationPlanner gate = new MigrationPlanner();
  private final RolloutPlanner strategy = new RolloutPlanner();

  private static BatonAppSpec rollingMigrating() {
    BatonAppSpec spec = MigrationPlannerTest.migrating("api:2");
    spec.strategy.blueGreen = null;
    spec.strategy.rolling = new RollingSpec();
    return spec;
  }

  /** The rolling Deployment at full size running {@code template}, stable {@code stable}. */
  private static VersionState rolling(String template, String stable, int updated,
      Bookkeeping more) {
    Bookkeeping b = Bookkeeping.NONE.withTemplateHash(template).withStableHash(stable)
        .withPromotedAt(T0).overlaidWith(more);
    return new VersionState(Labels.ROLLING, 1, 4, 4, 4, true, b, "", updated, 0);
  }

  private static VersionState rolling(String template, String stable, int updated) {
    return rolling(template, stable, updated, Bookkeeping.NONE);
  }

  private static Fixtures.SnapshotBuilder app() {
    return snapshot(rollingMigrating(), "t").active(Labels.ROLLING).stored(1, "s", "api:1")
        .stored(2, "t", "api:2");
  }

  private static ObservedJob job(Kind phase, State state) {
    return new ObservedJob(MigrationJob.nameOf("shop", 2, phase, 1), phase, 2, 1, state,
        state == State.Failed ? "BackoffLimitExceeded" : null, null, T0,
        MigrationPlanner.isDone(state) ? T0.plusSeconds(5) : null);
  }

  private static MigrationSnapshot jobs(ObservedJob... jobs) {
    List<MigrationStatus> rec = new ArrayList<>();
    for (ObservedJob j : jobs) {
      MigrationStatus e = new MigrationStatus();
      e.phase = j.phase();
      e.revision = j.revision();
      e.attempt = j.attempt();
      e.jobName = j.name();
      e.state = j.state();
      e.startTime = T0.toString();
      rec.add(e);
    }
    return new MigrationSnapshot(List.of(jobs), rec, Set.of(1));
  }

  private static DesiredVersion rollingOf(Plan plan) {
    return plan.versions().stream().filter(v -> v.hash().equals(Labels.ROLLING)).findFirst()
        .orElseThrow();
  }

  private static List<String> created(MigrationPlanner.Decision d) {
    return d.create().stream().map(MigrationJob::name).toList();
  }

  @Test
  void aNewTemplateWaitsOnTheOldOneUntilItsExpandJobSucceeds() {
    var d = gate.plan(app().with(rolling("s", "s", 4)).at(T0).build(), jobs(), strategy::plan);

    assertThat(created(d)).containsExactly(MigrationJob.nameOf("shop", 2, Kind.expand, 1));
    assertThat(rollingOf(d.plan()).bookkeeping())
        .returns(Optional.of("s"), Bookkeeping::templateHash);
    assertThat(rollingOf(d.plan()).replicas()).as("the serving Deployment keeps its size")
        .isEqualTo(4);
    assertThat(d.plan().outcome().message()).contains("waits for its expand migration");

    var running = gate.plan(app()
        .with(rolling("s", "s", 4, Bookkeeping.NONE.withRolloutTarget(Optional.of("t"))))
        .at(T0.plusSeconds(5)).build(), jobs(job(Kind.expand, State.Running)), strategy::plan);
    assertThat(created(running)).isEmpty();
    assertThat(rollingOf(running.plan()).bookkeeping())
        .returns(Optional.of("s"), Bookkeeping::templateHash);
    assertThat(running.plan().events()).extracting(PlannedEvent::reason)
        .as("started once").doesNotContain("RolloutStarted");
  }

  @Test
  void theTemplateIsWrittenOnceExpandSucceeded() {
    var d = gate.plan(app()
        .with(rolling("s", "s", 4, Bookkeeping.NONE.withRolloutTarget(Optional.of("t"))))
        .at(T0.plusSeconds(10)).build(), jobs(job(Kind.expand, State.Succeeded)), strategy::plan);

    assertThat(created(d)).isEmpty();
    assertThat(rollingOf(d.plan()).bookkeeping())
        .returns(Optional.of("t"), Bookkeeping::templateHash);
  }

  @Test
  void aFailedExpandAbortsKeepsTheOldTemplateAndRunsOnAbort() {
    var d = gate.plan(app()
        .with(rolling("s", "s", 4, Bookkeeping.NONE.withRolloutTarget(Optional.of("t"))))
        .at(T0.plusSeconds(10)).build(), jobs(job(Kind.expand, State.Failed)), strategy::plan);

    DesiredVersion r = rollingOf(d.plan());
    assertThat(r.bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of(MigrationPlanner.MIGRATION_FAILED), Fixtures::abortReason)
        .returns(Optional.of("t"), Bookkeeping::abortedHash);
    assertThat(r.replicas()).isEqualTo(4);
    assertThat(d.plan().previewHash()).contains(Labels.ROLLING);
    assertThat(d.plan().outcome().abortedHash()).contains("t");
    assertThat(created(d)).containsExactly(MigrationJob.nameOf("shop", 2, Kind.onAbort, 1));
  }

  @Test
  void anAbortAfterExpandRunsOnAbortOnce() {
    var d = gate.plan(app()
        .with(rolling("t", "s", 2, Bookkeeping.NONE.withRolloutTarget(Optional.of("t"))
            .withProgressSince(T0))).at(T0.plusSeconds(10))
        .commands(Commands.from(Map.of(Commands.ABORT, ""))).build(),
        jobs(job(Kind.expand, State.Succeeded)), strategy::plan);

    assertThat(rollingOf(d.plan()).bookkeeping())
        .returns(Optional.of("s"), Bookkeeping::templateHash);
    assertThat(created(d)).containsExactly(MigrationJob.nameOf("shop", 2, Kind.onAbort, 1));
  }

  @Test
  void contractRunsOnlyOnceTheRollbackWindowAfterTheRolloutHasPassed() {
    var rolledOut = rolling("t", "t", 4, Bookkeeping.NONE.withRolloutTarget(Optional.of("t"))
        .withPromotedAt(T0));
    var inWindow = gate.plan(app().with(rolledOut).at(T0.plusSeconds(10)).build(),
        jobs(job(Kind.expand, State.Succeeded)), strategy::plan);
    var after = gate.plan(app().with(rolledOut).at(T0.plusSeconds(30)).build(),
        jobs(job(Kind.expand, State.Succeeded)), strategy::plan);

    assertThat(created(inWindow)).isEmpty();
    assertThat(inWindow.plan().requeueAfter()).hasValueSatisfying(
        w -> assertThat(w.toSeconds()).isEqualTo(20));
    assertThat(created(after)).containsExactly(MigrationJob.nameOf("shop", 2, Kind.contract, 1));
  }

  @Test
  void theReconcileThatSeesTheRolloutCompleteStartsTheWindowRatherThanRunningContract() {
    // The record still names "s" (promoted long ago): "t" completes now.
    var completing = rolling("t", "s", 4, Bookkeeping.NONE.withRolloutTarget(Optional.of("t"))
        .withProgressSince(T0).withPromotedAt(T0.minusSeconds(3600)));
    var d = gate.plan(app().with(completing).at(T0.plusSeconds(10)).build(),
        jobs(job(Kind.expand, State.Succeeded)), strategy::plan);

    assertThat(d.plan().outcome().promotedHash()).contains("t");
    assertThat(created(d)).isEmpty();
    assertThat(d.plan().requeueAfter()).hasValueSatisfying(
        w -> assertThat(w.toSeconds()).isEqualTo(30));
  }

  @Test
  void aFirstDeployCreatesTheRollingDeploymentAtZeroUntilExpandSucceeds() {
    var first = snapshot(rollingMigrating(), "t").at(T0).build();
    var d = gate.plan(first, new MigrationSnapshot(List.of(), List.of(), Set.of()),
        strategy::plan);
    assertThat(rollingOf(d.plan()).replicas()).isZero();

    Bookkeeping ann = Bookkeeping.NONE.withTemplateHash("t").withRolloutTarget(Optional.of("t"));
    var created = snapshot(rollingMigrating(), "t").active(Labels.ROLLING)
        .with(new VersionState(Labels.ROLLING, 0, 0, 0, 0, true, ann, "", 0, 0)).at(T0).build();
    var held = gate.plan(created, new MigrationSnapshot(List.of(), List.of(), Set.of()),
        strategy::plan);
    assertThat(created(held)).containsExactly(MigrationJob.nameOf("shop", 1, Kind.expand, 1));
    assertThat(rollingOf(held.plan()).replicas()).isZero();
  }
}
