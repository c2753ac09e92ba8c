package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.BatonAppStatus;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.api.v1alpha1.StrategySpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rolling strategy, one snapshot at a time. The rolling Deployment is the version keyed
 * {@link Labels#ROLLING}; "s" (revision 1) is the stable template, "t" (revision 2) the target.
 */
class RollingPlannerTest {

  private static final String R = Labels.ROLLING;
  private final RolloutPlanner planner = new RolloutPlanner();

  static BatonAppSpec rollingSpec(int replicas, String image) {
    BatonAppSpec spec = Fixtures.spec(replicas, image);
    spec.strategy = new StrategySpec();
    spec.strategy.rolling = new RollingSpec();
    return spec;
  }

  /** The rolling Deployment as observed. */
  static VersionState rolling(int spec, int updated, int available, boolean rolledOut,
      int revision, Bookkeeping b) {
    return new VersionState(R, revision, spec, available, available, rolledOut, b, "", updated, 0);
  }

  /** The rolling Deployment as observed, at revision 1. */
  static VersionState rolling(int spec, int updated, int available, boolean rolledOut,
      Bookkeeping b) {
    return rolling(spec, updated, available, rolledOut, 1, b);
  }

  /** Stable on "s", rolling "t" in since T0. */
  static VersionState rollingIn(int updated, int available, boolean rolledOut,
      Bookkeeping more) {
    Bookkeeping base = Bookkeeping.NONE.withStableHash("s").withTemplateHash("t")
        .withProgressSince(T0).withPromotedAt(T0);
    return rolling(4, updated, available, rolledOut, base.overlaidWith(more));
  }

  /** Stable on "s", rolling "t" in since T0. */
  static VersionState rollingIn(int updated, int available, boolean rolledOut) {
    return rollingIn(updated, available, rolledOut, Bookkeeping.NONE);
  }

  private static DesiredVersion desired(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst()
        .orElseThrow(() -> new AssertionError("no desired version " + hash));
  }

  private Fixtures.SnapshotBuilder rollingApp(String target) {
    return snapshot(rollingSpec(4, "api:2"), target).stored(1, "s", "api:1").active(R);
  }

  @Test
  void firstDeployCreatesTheRollingDeploymentAtFullSizeBehindBothServices() {
    Plan plan = planner.plan(snapshot(rollingSpec(4, "api:1"), "s").build());

    DesiredVersion r = desired(plan, R);
    assertThat(r.replicas()).isEqualTo(4);
    assertThat(r.bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.empty(), Bookkeeping::stableHash);
    assertThat(plan.activeHash()).contains(R);
    assertThat(plan.previewHash()).contains(R);
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("Deploying");
  }

  @Test
  void aFullyRolledOutTemplateIsHealthyAndPlansNothingNew() {
    Plan plan = planner.plan(rollingApp("s")
        .with(rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withStableHash("s").withTemplateHash("s")
            .withPromotedAt(T0).withProgressSince(T0))).build());

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(plan.events()).isEmpty();
    assertThat(plan.requeueAfter()).isEmpty();
    assertThat(desired(plan, R).bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of("s"), Bookkeeping::stableHash);
    assertThat(desired(plan, R).revision()).isEqualTo(1);
  }

  @Test
  void aNewTemplateIsWrittenIntoTheOneDeploymentAndTheDeadlineStarts() {
    Plan plan = planner.plan(rollingApp("t")
        .with(rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withStableHash("s").withTemplateHash("s")
            .withPromotedAt(T0)))
        .at(T0.plusSeconds(5)).build());

    DesiredVersion r = desired(plan, R);
    assertThat(r.replicas()).isEqualTo(4);
    assertThat(r.bookkeeping()).returns(Optional.of("t"), Bookkeeping::templateHash)
        .returns(Optional.of("s"), Bookkeeping::stableHash)
        .returns(Optional.of(T0.plusSeconds(5)), Bookkeeping::progressSince);
    assertThat(plan.versions()).hasSize(1);
    assertThat(plan.activeHash()).contains(R);
    assertThat(plan.outcome().liveHash()).contains("s");
    assertThat(plan.outcome().previewHash()).contains("t");
    assertThat(plan.requeueAfter()).contains(Duration.ofSeconds(600));
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("RolloutStarted");
    assertThat(plan.storeRevisions()).extracting(StoredRevision::hash).containsExactly("t");
  }

  /**
   * Worked examples of a rollout from "s" to "t" with 4 replicas and a 600 s deadline:
   * (updated, available, Deployment caught up, seconds since the template was written) ->
   * (phase, template written, stable afterwards, aborted).
   */
  static Stream<Arguments> rolloutProgress() {
    return Stream.of(
        // half the pods replaced, capacity held: keep waiting
        Arguments.of(2, 4, false, 60, Phase.Progressing, "t", "s", false),
        // every pod replaced but one not yet available: still rolling
        Arguments.of(4, 3, false, 60, Phase.Progressing, "t", "s", false),
        // every pod replaced and available, old pods gone: complete, t is stable
        Arguments.of(4, 4, true, 60, Phase.Healthy, "t", "t", false),
        // complete just at the deadline still counts as complete
        Arguments.of(4, 4, true, 600, Phase.Healthy, "t", "t", false),
        // deadline passed with one new pod not ready: back to s's template
        Arguments.of(1, 4, false, 600, Phase.Degraded, "s", "s", true),
        // deadline passed with all pods updated but not yet all available
        Arguments.of(4, 3, false, 601, Phase.Degraded, "s", "s", true));
  }

  @ParameterizedTest
  @MethodSource
  void rolloutProgress(int updated, int available, boolean rolledOut, int elapsed,
      Phase phase, String template, String stable, boolean aborted) {
    Plan plan = planner.plan(rollingApp("t").with(rollingIn(updated, available, rolledOut))
        .at(T0.plusSeconds(elapsed)).build());

    DesiredVersion r = desired(plan, R);
    assertThat(plan.outcome().phase()).isEqualTo(phase);
    assertThat(r.replicas()).as("the Deployment is never sized down").isEqualTo(4);
    assertThat(r.bookkeeping()).returns(Optional.of(template), Bookkeeping::templateHash)
        .returns(Optional.of(stable), Bookkeeping::stableHash);
    assertThat(plan.outcome().abortedHash().isPresent()).isEqualTo(aborted);
    assertThat(plan.activeHash()).contains(R);
    if (aborted) {
      assertThat(r.bookkeeping()).returns(Optional.of("t"), Bookkeeping::abortedHash)
          .returns(Optional.of("ProgressDeadlineExceeded"), Fixtures::abortReason);
      assertThat(plan.outcome().message()).contains(updated + "/4 pods updated");
      assertThat(plan.events()).extracting(PlannedEvent::reason)
          .containsExactly("RolloutAborted");
    }
  }

  @Test
  void completionIsReportedOnceAsAPromotion() {
    Plan done = planner.plan(rollingApp("t").with(rollingIn(4, 4, true)).at(T0.plusSeconds(30))
        .build());
    Plan after = planner.plan(rollingApp("t").stored(2, "t", "api:2")
        .with(rolling(4, 4, 4, true, 2, Bookkeeping.NONE.withStableHash("t").withTemplateHash("t")
            .withPromotedAt(T0).withProgressSince(T0))).at(T0.plusSeconds(35)).build());

    assertThat(done.outcome().promotedHash()).contains("t");
    assertThat(done.events()).extracting(PlannedEvent::reason).containsExactly("Promoted");
    assertThat(desired(done, R).revision()).isEqualTo(2);
    assertThat(after.outcome().promotedHash()).isEmpty();
    assertThat(after.events()).isEmpty();
    // The completion is recorded in status alone (no Deployment write, no generation bump), so
    // the phase is Healthy at once and stays so.
    assertThat(done.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(after.outcome().phase()).isEqualTo(Phase.Healthy);
  }

  @Test
  void anAbortCommandWritesThePreviousTemplateBackAndIsConsumed() {
    Plan plan = planner.plan(rollingApp("t").with(rollingIn(2, 4, false))
        .commands(Commands.from(Map.of(Commands.ABORT, ""))).at(T0.plusSeconds(30)).build());

    DesiredVersion r = desired(plan, R);
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Aborted);
    assertThat(r.bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of("AbortedByUser"), Fixtures::abortReason)
            .returns(Optional.of("t"), Bookkeeping::abortedHash);
    assertThat(plan.consumeCommands()).isTrue();
    assertThat(plan.outcome().conditions()).anySatisfy(c -> {
      assertThat(c.type()).isEqualTo(BlueGreenPlanner.PROGRESSING);
      assertThat(c.reason()).isEqualTo("AbortedByUser");
    });
  }

  @Test
  void anAbortedTemplateStaysAbortedUntilARetryOrANewTemplate() {
    VersionState rolledBack = rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withStableHash("s")
        .withTemplateHash("s").withPromotedAt(T0).withAbortedHash("t")
            .withAborted("ProgressDeadlineExceeded", "Revision 2 was not rolled out within 600s.",
                T0));

    Plan held = planner.plan(rollingApp("t").with(rolledBack).at(T0.plusSeconds(700)).build());
    Plan retried = planner.plan(rollingApp("t").with(rolledBack)
        .commands(Commands.from(Map.of(Commands.RETRY, ""))).at(T0.plusSeconds(700)).build());
    Plan newer = planner.plan(rollingApp("u").with(rolledBack).at(T0.plusSeconds(700)).build());

    assertThat(held.outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(held.events()).isEmpty();
    assertThat(desired(held, R).bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of("t"), Bookkeeping::abortedHash);
    assertThat(held.outcome().message()).contains("Back on revision 1");
    assertThat(desired(retried, R).bookkeeping())
        .returns(Optional.of("t"), Bookkeeping::templateHash)
        .returns(Optional.empty(), Bookkeeping::abortedHash)
            .returns(Optional.empty(), Bookkeeping::aborted);
    assertThat(retried.events()).extracting(PlannedEvent::reason).containsExactly("RolloutStarted");
    assertThat(desired(newer, R).bookkeeping()).returns(Optional.of("u"), Bookkeeping::templateHash)
        .returns(Optional.empty(), Bookkeeping::abortedHash);
  }

  @Test
  void undoRollsTheOneDeploymentToAnEarlierTemplateFromTheHistory() {
    Snapshot s = snapshot(rollingSpec(4, "api:2"), "t")
        .stored(1, "s", "api:1").stored(2, "t", "api:2").active(R)
        .with(rolling(4, 4, 4, true, 2, Bookkeeping.NONE.withStableHash("t").withTemplateHash("t")
            .withPromotedAt(T0)))
        .commands(Commands.from(Map.of(Commands.UNDO, ""))).at(T0.plusSeconds(10)).build();
    Plan plan = planner.plan(s);

    DesiredVersion r = desired(plan, R);
    assertThat(r.bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(Optional.of("t"), Bookkeeping::stableHash);
    assertThat(plan.pin()).map(RollbackPin::revision).contains(1);
    assertThat(plan.events()).extracting(PlannedEvent::reason)
        .containsExactly("RollbackStarted", "RolloutStarted");
    // The reconciler writes the stored template of revision 1 into the Deployment.
    assertThat(DesiredObjects.templateOf(r, plan.target(), s.stored()))
        .map(t -> t.getSpec().getContainers().get(0).getImage()).contains("api:1");
  }

  @Test
  void pauseHoldsTheDeploymentAndTheDeadline() {
    Plan paused = planner.plan(rollingApp("t").with(rollingIn(2, 4, false))
        .commands(Commands.from(Map.of(Commands.PAUSED, "true"))).at(T0.plusSeconds(900))
        .build());

    assertThat(paused.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(paused.outcome().abortedHash()).isEmpty();
    assertThat(desired(paused, R).bookkeeping()).returns(true, Bookkeeping::paused)
        .returns(Optional.of("t"), Bookkeeping::templateHash);

    // Resumed: the deadline counts from now, not from when the template was written.
    Plan resumed = planner.plan(rollingApp("t")
        .with(rollingIn(2, 4, false, Bookkeeping.NONE.withPaused(true))).at(T0.plusSeconds(900))
        .build());
    assertThat(resumed.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(desired(resumed, R).bookkeeping()).returns(false, Bookkeeping::paused)
        .returns(Optional.of(T0.plusSeconds(900)), Bookkeeping::progressSince);
  }

  @Test
  void aNewTemplateWaitsWhilePaused() {
    Plan plan = planner.plan(rollingApp("t")
        .with(rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withStableHash("s").withTemplateHash("s")
            .withPromotedAt(T0)))
        .commands(Commands.from(Map.of(Commands.PAUSED, ""))).build());

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(desired(plan, R).bookkeeping()).returns(Optional.of("s"), Bookkeeping::templateHash)
        .returns(true, Bookkeeping::paused);
    assertThat(plan.events()).isEmpty();
  }

  @Test
  void fromBlueGreenTheRollingDeploymentStartsAtFullSizeBesideTheLiveVersion() {
    Plan plan = planner.plan(snapshot(rollingSpec(4, "api:1"), "old")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old").build());

    assertThat(desired(plan, "old").replicas()).isEqualTo(4);
    assertThat(desired(plan, R).replicas()).isEqualTo(4);
    assertThat(desired(plan, R).bookkeeping())
        .returns(Optional.of("old"), Bookkeeping::templateHash);
    assertThat(plan.activeHash()).as("traffic stays until the new pods are ready").contains("old");
    assertThat(plan.previewHash()).contains(R);
    assertThat(plan.events()).extracting(PlannedEvent::reason).containsExactly("RolloutStarted");
  }

  @Test
  void fromBlueGreenTheServiceSwitchesOnceAvailableAndTheOldVersionIsRetiredAfterItsWindow() {
    var builder = snapshot(rollingSpec(4, "api:2"), "new").stored(1, "old", "api:1")
        .stored(2, "new", "api:2");
    VersionState old = version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0));

    Plan switching = planner.plan(builder.active("old").with(old)
        .with(rolling(4, 4, 4, true, 2, Bookkeeping.NONE.withTemplateHash("new")
            .withProgressSince(T0)))
        .at(T0.plusSeconds(20)).build());
    assertThat(switching.activeHash()).contains(R);
    assertThat(switching.outcome().promotedHash()).contains("new");
    assertThat(desired(switching, "old").replicas()).as("kept while the switch lands")
        .isEqualTo(4);
    assertThat(desired(switching, R).bookkeeping())
        .returns(Optional.of("new"), Bookkeeping::stableHash);

    VersionState switched = rolling(4, 4, 4, true, 2, Bookkeeping.NONE.withTemplateHash("new")
        .withStableHash("new").withPromotedAt(T0.plusSeconds(20)).withProgressSince(T0));
    Plan warm = planner.plan(builder.active(R).with(switched).at(T0.plusSeconds(21)).build());
    assertThat(warm.outcome().phase()).isEqualTo(Phase.Healthy);
    assertThat(desired(warm, "old").replicas()).isEqualTo(4);
    assertThat(desired(warm, "old").bookkeeping())
        .returns(Optional.of(T0.plusSeconds(51)), Bookkeeping::scaleDownAt);

    Plan down = planner.plan(builder.with(version("old", 1, 4, 4,
        Bookkeeping.NONE.withPromotedAt(T0).withScaleDownAt(T0.plusSeconds(51))))
        .at(T0.plusSeconds(52)).build());
    assertThat(desired(down, "old").replicas()).isZero();

    Plan gone = planner.plan(builder.with(version("old", 1, 0, 0,
        Bookkeeping.NONE.withPromotedAt(T0).withScaleDownAt(T0.plusSeconds(51))))
        .at(T0.plusSeconds(60)).build());
    assertThat(gone.deleteVersions()).containsExactly("old");
  }

  @Test
  void fromBlueGreenARollingDeploymentNeverReadyIsAbortedAndTheLiveVersionKeepsServing() {
    Plan plan = planner.plan(snapshot(rollingSpec(4, "api:2"), "new").stored(1, "old", "api:1")
        .with(version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))).active("old")
        .with(rolling(4, 4, 1, false, 2, Bookkeeping.NONE.withTemplateHash("new")
            .withProgressSince(T0)))
        .at(T0.plusSeconds(600)).build());

    assertThat(plan.activeHash()).contains("old");
    assertThat(desired(plan, "old").replicas()).isEqualTo(4);
    assertThat(desired(plan, R).replicas()).isZero();
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Degraded);
    assertThat(plan.previewHash()).contains("old");
  }

  @Test
  void toBlueGreenTheRollingDeploymentServesUntilTheNewVersionIsSwitchedInThenRetires() {
    BatonAppSpec spec = Fixtures.spec(4, "api:2");
    VersionState r = rolling(4, 4, 4, true, 1, Bookkeeping.NONE.withTemplateHash("s")
        .withStableHash("s").withPromotedAt(T0));

    Plan preview = planner.plan(snapshot(spec, "t").stored(1, "s", "api:1").active(R).with(r)
        .build());
    assertThat(desired(preview, R).replicas()).isEqualTo(4);
    assertThat(desired(preview, "t").replicas()).isEqualTo(4);
    assertThat(preview.activeHash()).contains(R);

    Plan switching = planner.plan(snapshot(spec, "t").stored(1, "s", "api:1").active(R).with(r)
        .with(version("t", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0)))
        .at(T0.plusSeconds(10)).build());
    assertThat(switching.activeHash()).contains("t");
    assertThat(desired(switching, R).replicas()).isEqualTo(4);

    Plan retiring = planner.plan(snapshot(spec, "t").stored(1, "s", "api:1").active("t").with(r)
        .with(version("t", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.plusSeconds(10))))
        .at(T0.plusSeconds(11)).build());
    assertThat(desired(retiring, R).replicas()).as("warm for the rollback window").isEqualTo(4);

    Plan gone = planner.plan(snapshot(spec, "t").stored(1, "s", "api:1").active("t")
        .with(rolling(0, 0, 0, true, 1, Bookkeeping.NONE.withPromotedAt(T0)
            .withScaleDownAt(T0.plusSeconds(40))))
        .with(version("t", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0.plusSeconds(10))))
        .at(T0.plusSeconds(50)).build());
    assertThat(gone.deleteVersions()).containsExactly(R);
  }

  @Test
  void statusShowsTheStableRevisionAsActiveAndTheRollingOneAsPreview() {
    Snapshot s = rollingApp("t").with(rollingIn(2, 4, false)).at(T0.plusSeconds(30)).build();
    Plan plan = planner.plan(s);

    BatonAppStatus st = StatusPlanner.next(s, plan, null, "baton.dev/app=shop");

    assertThat(st.activeHash).isEqualTo("s");
    assertThat(st.activeRevision).isEqualTo(1);
    assertThat(st.previewHash).isEqualTo("t");
    assertThat(st.previewRevision).isEqualTo(2);
    assertThat(st.ready).isEqualTo("4/4");
    assertThat(st.message).contains("2/4 pods updated, 4/4 available");
  }

  @Test
  void theRollingDeploymentKeepsOneSelectorAndCarriesTheBoundsAndThePause() {
    BatonAppSpec spec = rollingSpec(4, "api:2");
    spec.strategy.rolling.maxSurge = new IntOrString(1);
    spec.strategy.rolling.maxUnavailable = new IntOrString("25%");
    AppSettings app = AppSettings.of("shop", "ns", 1, spec);
    DesiredVersion v = new DesiredVersion(R, 2, 4, Bookkeeping.NONE.withTemplateHash("t")
        .withPaused(true), null);

    Deployment d = DesiredObjects.deployment(app, new OwnerReference(), v, spec.template);

    assertThat(d.getMetadata().getName()).isEqualTo("shop");
    assertThat(d.getSpec().getSelector().getMatchLabels())
        .containsExactlyInAnyOrderEntriesOf(Map.of(Labels.APP, "shop", Labels.REVISION_HASH, R));
    assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry(Labels.REVISION_HASH, R).containsEntry(Labels.TEMPLATE_HASH, "t");
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge())
        .isEqualTo(new IntOrString(1));
    assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
        .isEqualTo(new IntOrString("25%"));
    assertThat(d.getSpec().getPaused()).isTrue();
    assertThat(DesiredObjects.activeService(app, new OwnerReference(), R).getSpec().getSelector())
        .isEqualTo(d.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void defaultsAreTwentyFivePercentSurgeAndNoUnavailability() {
    AppSettings app = AppSettings.of("shop", "ns", 1, rollingSpec(4, "api:1"));

    assertThat(app.strategy()).isEqualTo(AppSettings.Strategy.ROLLING);
    assertThat(app.maxSurge()).isEqualTo(new IntOrString("25%"));
    assertThat(app.maxUnavailable()).isEqualTo(new IntOrString(0));
    assertThat(AppSettings.of("shop", "ns", 1, Fixtures.spec(4, "api:1")).strategy())
        .isEqualTo(AppSettings.Strategy.BLUE_GREEN);
  }

}
