package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.Phase;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The blue/green transitions, one snapshot at a time. "old" is live, "new" is the target. */
class BlueGreenPlannerTest {

  private final RolloutPlanner planner = new RolloutPlanner();

  private static int replicasOf(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst()
        .orElseThrow(() -> new AssertionError("no desired version " + hash)).replicas();
  }

  private static DesiredVersion desired(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst().orElseThrow();
  }

  @Test
  void firstDeployCreatesTheVersionAtFullSizeAndPointsBothServicesAtIt() {
    Plan plan = planner.plan(snapshot(spec(4, "api:1"), "new").build());

    assertThat(replicasOf(plan, "new")).isEqualTo(4);
    assertThat(plan.activeHash()).contains("new");
    assertThat(plan.previewHash()).contains("new");
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("Deploying");
  }

  @Test
  void aFullyAvailableLiveVersionIsHealthyAndPlansNoEvent() {
    Plan plan = planner.plan(snapshot(spec(4, "api:1"), "old")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old").build());

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(plan.events()).isEmpty();
    assertThat(plan.requeueAfter()).isEmpty();
  }

  @Test
  void aNewRevisionStartsAPreviewAtPreviewReplicasBesideTheUntouchedLiveVersion() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen.previewReplicas = 2;
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old").build());

    assertThat(replicasOf(plan, "old")).isEqualTo(4);
    assertThat(replicasOf(plan, "new")).isEqualTo(2);
    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.previewHash()).contains("new");
    assertThat(desired(plan, "new").bookkeeping())
        .returns(Optional.of(T0), Bookkeeping::progressSince);
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(600));
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("RolloutStarted");
  }

  /** Worked examples of the promotion gate: (previewReplicas, available, autoPromotion, delay, elapsed) -> decision. */
  static Stream<Arguments> promotionGate() {
    return Stream.of(
        // preview not ready yet: keep waiting at preview size
        Arguments.of(4, 3, true, 0, 10, 4, "old", Phase.Progressing),
        // ready, auto, no delay, same size: switch now
        Arguments.of(4, 4, true, 0, 10, 4, "new", Phase.Progressing),
        // ready, auto, delay not over: wait
        Arguments.of(4, 4, true, 30, 10, 4, "old", Phase.Progressing),
        // ready, auto, delay over: switch
        Arguments.of(4, 4, true, 30, 31, 4, "new", Phase.Progressing),
        // ready at a smaller preview size: scale to full size first, no switch yet
        Arguments.of(2, 2, true, 0, 10, 4, "old", Phase.Progressing),
        // ready, manual promotion: wait for the command (Paused)
        Arguments.of(4, 4, false, 0, 10, 4, "old", Phase.Paused));
  }

  @ParameterizedTest
  @MethodSource
  void promotionGate(int previewReplicas, int available, boolean auto, int delaySeconds,
      int secondsSinceReady, int expectedNewSize, String expectedActive, Phase expectedPhase) {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen.previewReplicas = previewReplicas;
    spec.strategy.blueGreen.autoPromotion = auto;
    spec.strategy.blueGreen.promotionDelaySeconds = delaySeconds;
    Instant now = T0.plusSeconds(100);
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, previewReplicas, available, Bookkeeping.NONE.withProgressSince(T0)
            .withReadySince(now.minusSeconds(secondsSinceReady))))
        .active("old").at(now).build());

    assertThat(replicasOf(plan, "new")).isEqualTo(expectedNewSize);
    assertThat(replicasOf(plan, "old")).as("the live version never shrinks").isEqualTo(4);
    assertThat(plan.activeHash()).contains(expectedActive);
    assertThat(plan.outcome().phase()).isEqualTo(expectedPhase);
  }

  @Test
  void aManualPromoteSwitchesAReadyPreviewAndIsConsumed() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen.autoPromotion = false;
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0).withReadySince(T0)))
        .active("old").commands(Commands.from(java.util.Map.of(Commands.PROMOTE, "")))
        .at(T0.plusSeconds(60)).build());

    assertThat(plan.activeHash()).contains("new");
    assertThat(plan.consumeCommands()).isTrue();
    assertThat(plan.outcome().promotedHash()).contains("new");
  }

  @Test
  void theSwitchWritesTheLiveVersionsBookkeepingSoTheNextPlanWritesNothingMore() {
    BatonAppSpec spec = spec(4, "api:2");
    var builder = snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)));
    Plan switching = planner.plan(builder
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0).withReadySince(T0)
            .withPromoting(true)))
        .active("old").at(T0.plusSeconds(60)).build());
    DesiredVersion switched = desired(switching, "new");

    Plan next = planner.plan(builder
        .with(new VersionState("new", 2, 4, 4, 4, true, switched.bookkeeping(), ""))
        .active("new").at(T0.plusSeconds(61)).build());

    assertThat(switching.switchesTraffic()).isTrue();
    assertThat(switched.bookkeeping())
        .isEqualTo(Bookkeeping.NONE.withPromotedAt(T0.plusSeconds(60)));
    assertThat(desired(next, "new")).as("one bookkeeping write per switch, not two")
        .isEqualTo(switched);
  }

  @Test
  void aPreviewScaledToFullSizeSwitchesOnlyOnceEveryPodIsAvailable() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen.previewReplicas = 2;
    var builder = snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .active("old").at(T0.plusSeconds(60));

    Plan scaling = planner.plan(builder.with(version("new", 2, 4, 3,
        Bookkeeping.NONE.withPromoting(true).withProgressSince(T0.plusSeconds(50)))).build());
    Plan switching = planner.plan(builder.with(version("new", 2, 4, 4,
        Bookkeeping.NONE.withPromoting(true).withProgressSince(T0.plusSeconds(50)))).build());

    assertThat(scaling.activeHash()).contains("old");
    assertThat(switching.activeHash()).contains("new");
    assertThat(replicasOf(switching, "old")).isEqualTo(4);
  }

  @Test
  void aPreviewNotReadyByTheDeadlineIsAbortedAndTheLiveVersionKeepsServing() {
    Plan plan = planner.plan(snapshot(spec(4, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(new VersionState("new", 2, 4, 1, 1, true,
            Bookkeeping.NONE.withProgressSince(T0),
            "Pods not ready: shop-new-1 (CrashLoopBackOff, 3 restarts in container api)."))
        .active("old").at(T0.plusSeconds(600)).build());

    assertThat(replicasOf(plan, "new")).isZero();
    assertThat(replicasOf(plan, "old")).isEqualTo(4);
    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.previewHash()).contains("old");
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(plan.outcome().message()).contains("CrashLoopBackOff").contains("600s");
    assertThat(desired(plan, "new").bookkeeping())
        .returns(Optional.of("ProgressDeadlineExceeded"), Fixtures::abortReason);
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("RolloutAborted");
  }

  @Test
  void anAbortedRevisionStaysAbortedWithoutNewEventsUntilRetried() {
    var builder = snapshot(spec(4, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 0, 0, Bookkeeping.NONE.withAborted("ProgressDeadlineExceeded",
            "not ready", T0)))
        .active("old").at(T0.plusSeconds(900));

    Plan stays = planner.plan(builder.build());
    Plan retried = planner.plan(builder.commands(Commands.from(java.util.Map.of(Commands.RETRY, ""))).build());

    assertThat(replicasOf(stays, "new")).isZero();
    assertThat(stays.events()).isEmpty();
    assertThat(stays.outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(replicasOf(retried, "new")).isEqualTo(4);
    assertThat(desired(retried, "new").bookkeeping())
        .returns(Optional.empty(), Bookkeeping::aborted)
        .returns(Optional.of(T0.plusSeconds(900)), Bookkeeping::progressSince);
  }

  @Test
  void anAbortCommandScalesThePreviewToZeroAndReportsAborted() {
    Plan plan = planner.plan(snapshot(spec(4, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 2, Bookkeeping.NONE.withProgressSince(T0)))
        .active("old").commands(Commands.from(java.util.Map.of(Commands.ABORT, ""))).build());

    assertThat(replicasOf(plan, "new")).isZero();
    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Aborted);
  }

  @Test
  void afterTheSwitchTheOldVersionStaysWarmUntilItsWindowEndsThenScalesToZero() {
    var builder = snapshot(spec(4, "api:2"), "new")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .active("new");

    Plan justSwitched = planner.plan(builder
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(999))))
        .at(T0.plusSeconds(1)).build());
    Plan inWindow = planner.plan(builder
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(999))
            .withScaleDownAt(T0.plusSeconds(31))))
        .at(T0.plusSeconds(20)).build());
    Plan after = planner.plan(builder
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(999))
            .withScaleDownAt(T0.plusSeconds(31))))
        .at(T0.plusSeconds(31)).build());

    assertThat(replicasOf(justSwitched, "old")).isEqualTo(4);
    assertThat(desired(justSwitched, "old").bookkeeping())
        .returns(Optional.of(T0.plusSeconds(31)), Bookkeeping::scaleDownAt);
    assertThat(replicasOf(inWindow, "old")).isEqualTo(4);
    assertThat(inWindow.requeueAfter()).contains(Duration.ofSeconds(11));
    assertThat(replicasOf(after, "old")).isZero();
    assertThat(after.events()).extracting(PlannedEvent::reason).containsExactly("ScaledDown");
  }

  @Test
  void goingBackToAWarmPreviousVersionSwitchesAtOnce() {
    BatonAppSpec spec = spec(4, "api:1");
    spec.strategy.blueGreen.autoPromotion = false;
    Plan plan = planner.plan(snapshot(spec, "old")
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.minusSeconds(99))
            .withScaleDownAt(T0.plusSeconds(30))))
        .active("new").at(T0.plusSeconds(5)).build());

    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("RolledBack");
  }

  @Test
  void scalingTheAppDuringARolloutResizesBothVersions() {
    Plan plan = planner.plan(snapshot(spec(6, "api:2"), "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0)))
        .active("old").at(T0.plusSeconds(5)).build());

    assertThat(replicasOf(plan, "old")).isEqualTo(6);
    assertThat(replicasOf(plan, "new")).isEqualTo(6);
    assertThat(plan.activeHash()).as("not ready at the new size yet").contains("old");
  }

  @Test
  void pausedStartsNoPreviewAndKeepsTheLiveVersion() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.paused = true;
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old").build());

    assertThat(plan.versions()).extracting(DesiredVersion::hash).containsExactly("old");
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Paused);
  }

  @Test
  void anInvalidSpecHoldsEveryChildAndSaysWhatToFix() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.service.targetPort = new io.fabric8.kubernetes.api.model.IntOrString("web");
    Plan plan = planner.plan(snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old").build());

    assertThat(plan.holdChildren()).isTrue();
    assertThat(plan.outcome().message()).contains("targetPort 'web'");
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("InvalidSpec");
    assertThat(plan.outcome().conditions()).anySatisfy(c -> {
      assertThat(c.type()).isEqualTo(BlueGreenPlanner.INVALID_SPEC);
      assertThat(c.status()).isTrue();
    });
  }

  @Test
  void anInvalidSpecAlreadyReportedEmitsNoFurtherEvent() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.service.targetPort = new io.fabric8.kubernetes.api.model.IntOrString("web");
    var b = snapshot(spec, "new")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old");
    String why = planner.plan(b.build()).outcome().conditions().stream()
        .filter(c -> c.type().equals(BlueGreenPlanner.INVALID_SPEC)).findFirst().orElseThrow()
        .message();

    assertThat(planner.plan(b.reportedInvalid(why).build()).events()).isEmpty();
  }

  @Test
  void retiredVersionsAtZeroAreDeletedWhileTheirTemplatesStayInHistory() {
    BatonAppSpec spec = spec(2, "api:5");
    spec.revisionHistoryLimit = 2;
    var b = snapshot(spec, "v5").with(version("v5", 5, 2, 2, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("v4", 4, 0, 0, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("v3", 3, 2, 2, Bookkeeping.NONE.withPromotedAt(T0)
            .withScaleDownAt(T0.plusSeconds(5))))
        .active("v5");
    for (int i = 1; i <= 5; i++) {
      b.stored(i, "v" + i, "api:" + i);
    }
    Plan plan = planner.plan(b.build());

    assertThat(plan.deleteVersions()).containsExactly("v4");
    assertThat(plan.versions()).as("not written before it goes").extracting(DesiredVersion::hash)
        .doesNotContain("v4");
    assertThat(replicasOf(plan, "v3")).as("still in its rollback window").isEqualTo(2);
    assertThat(plan.deleteRevisions()).containsExactlyInAnyOrder("v1", "v2", "v3");
    assertThat(plan.storeRevisions()).isEmpty();
  }

  @Test
  void theTargetRevisionIsStoredInHistoryWhenFirstSeen() {
    Plan plan = planner.plan(snapshot(spec(2, "api:1"), "new").build());

    assertThat(plan.storeRevisions()).extracting(StoredRevision::revision, StoredRevision::hash)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "new"));
  }

  @Test
  void undoToThePreviousRevisionPinsItAndRollsItOutFromHistory() {
    var b = snapshot(spec(2, "api:3"), "v3")
        .with(version("v3", 3, 2, 2, Bookkeeping.NONE.withPromotedAt(T0))).active("v3")
        .stored(1, "v1", "api:1").stored(2, "v2", "api:2").stored(3, "v3", "api:3")
        .commands(Commands.from(java.util.Map.of(Commands.UNDO, "")));

    Plan first = planner.plan(b.build());
    Plan recorded = planner.plan(b.pin(new RollbackPin(2, "v2", "v3", "")).build());

    assertThat(first.target().hash()).isEqualTo("v2");
    assertThat(first.pin()).contains(new RollbackPin(2, "v2", "v3", ""));
    assertThat(first.consumeUndo()).as("not before the pin is in status").isFalse();
    assertThat(replicasOf(first, "v2")).isEqualTo(2);
    assertThat(first.versions()).extracting(DesiredVersion::hash).contains("v3");
    assertThat(first.events()).extracting(PlannedEvent::reason).contains("RollbackStarted");
    assertThat(recorded.consumeUndo()).isTrue();
    assertThat(recorded.target().hash()).isEqualTo("v2");
  }

  @Test
  void anUndoSeenAgainAfterItTookEffectIsNotResolvedAgainstTheNewLiveRevision() {
    // Rolled back to 2 (now live); the annotation is still there until Baton removes it.
    Plan plan = planner.plan(snapshot(spec(2, "api:3"), "v3")
        .with(version("v2", 2, 2, 2, Bookkeeping.NONE.withPromotedAt(T0)))
        .with(version("v3", 3, 2, 2, Bookkeeping.NONE.withPromotedAt(T0))).active("v2")
        .stored(1, "v1", "api:1").stored(2, "v2", "api:2").stored(3, "v3", "api:3")
        .pin(new RollbackPin(2, "v2", "v3", ""))
        .commands(Commands.from(java.util.Map.of(Commands.UNDO, ""))).build());

    assertThat(plan.target().hash()).isEqualTo("v2");
    assertThat(plan.consumeUndo()).isTrue();
    assertThat(plan.events()).isEmpty();
  }

  @Test
  void undoToARevisionNotInHistoryFailsWithAnEventAndChangesNothing() {
    Plan plan = planner.plan(snapshot(spec(2, "api:3"), "v3")
        .with(version("v3", 3, 2, 2, Bookkeeping.NONE.withPromotedAt(T0))).active("v3")
        .stored(3, "v3", "api:3")
        .commands(Commands.from(java.util.Map.of(Commands.UNDO, "1"))).build());

    assertThat(plan.target().hash()).isEqualTo("v3");
    assertThat(plan.consumeUndo()).isTrue();
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("UndoFailed");
  }

  @Test
  void aNewSpecTemplateEndsAnUndo() {
    Plan plan = planner.plan(snapshot(spec(2, "api:4"), "v4")
        .with(version("v2", 2, 2, 2, Bookkeeping.NONE.withPromotedAt(T0))).active("v2")
        .stored(2, "v2", "api:2").stored(3, "v3", "api:3")
        .pin(new RollbackPin(2, "v2", "v3", "")).build());

    assertThat(plan.target().hash()).isEqualTo("v4");
    assertThat(plan.pin()).isEmpty();
  }

  @Test
  void aRestartStampsEveryWrittenVersionWithTheSameValue() {
    Plan plan = planner.plan(snapshot(spec(2, "api:2"), "new")
        .with(version("old", 1, 2, 2, Bookkeeping.NONE.withPromotedAt(T0))).active("old")
        .commands(Commands.from(java.util.Map.of(Commands.RESTART, "r1"))).build());

    assertThat(plan.versions()).extracting(DesiredVersion::restartedAt).containsOnly("r1");
  }

  @Test
  void thePausedAnnotationPausesLikeSpecPaused() {
    Plan plan = planner.plan(snapshot(spec(2, "api:2"), "new")
        .with(version("old", 1, 2, 2, Bookkeeping.NONE.withPromotedAt(T0))).active("old")
        .commands(Commands.from(java.util.Map.of(Commands.PAUSED, "true"))).build());

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(plan.versions()).extracting(DesiredVersion::hash).containsExactly("old");
  }
}
