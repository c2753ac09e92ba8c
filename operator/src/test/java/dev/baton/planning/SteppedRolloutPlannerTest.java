package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.TrafficStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Canary steps and blue/green traffic steps, one snapshot at a time: "old" is live, "new" the
 * target. Canary: 4 replicas, steps setWeight 25, pause {}, setWeight 50, pause 60s.
 */
class SteppedRolloutPlannerTest {

  private final RolloutPlanner planner = new RolloutPlanner();

  private static BatonAppSpec canary(IngressSpec.Provider provider) {
    BatonAppSpec spec = spec(4, "api:2");
    spec.strategy.blueGreen = null;
    spec.strategy.canary = new CanarySpec();
    spec.strategy.canary.scaleDownDelaySeconds = 30;
    spec.strategy.canary.steps = new ArrayList<>(List.of(CanaryStep.weight(25),
        CanaryStep.pauseFor(null), CanaryStep.weight(50), CanaryStep.pauseFor(60)));
    spec.ingress = new IngressSpec();
    spec.ingress.provider = provider;
    return spec;
  }



  private static VersionState live() {
    return version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0));
  }

  private static VersionState canaryAt(int size, int available, int step, Bookkeeping more) {
    return version("new", 2, size, available, Bookkeeping.NONE.withStep(step)
        .withProgressSince(T0).overlaidWith(more));
  }

  private static VersionState canaryAt(int size, int available, int step) {
    return canaryAt(size, available, step, Bookkeeping.NONE);
  }

  private static DesiredVersion desired(Plan plan, String hash) {
    return plan.versions().stream().filter(v -> v.hash().equals(hash)).findFirst().orElseThrow();
  }

  private static Commands command(String key, String value) {
    return Commands.from(Map.of(key, value));
  }

  @Test
  void theFirstStepStartsTheCanaryAtItsWeightsSizeBeforeAnyTrafficMoves() {
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .active("old").weight(0).build());

    assertThat(desired(plan, "new").replicas()).isEqualTo(1);
    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(0), Bookkeeping::step);
    assertThat(desired(plan, "old").replicas()).isEqualTo(4);
    assertThat(plan.traffic().weight()).isZero();
    assertThat(plan.traffic().currentStep()).contains(0);
    assertThat(plan.activeHash()).contains("old");
    assertThat(plan.previewHash()).contains("new");
  }

  @Test
  void onceTheCanaryIsAvailableTheWeightIsSetAndTheStepWaitsToReadItBack() {
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(1, 1, 0)).active("old").weight(0).build());

    assertThat(plan.traffic().weight()).isEqualTo(25);
    assertThat(desired(plan, "new").bookkeeping())
        .returns(Optional.empty(), Bookkeeping::stepSince);
    assertThat(plan.outcome().message()).contains("waiting to read it back");
    assertThat(plan.requeueAfter()).contains(BlueGreenPlanner.SETTLE_POLL);
  }

  @Test
  void noWeightGoesToAPreviewServiceWithoutAReadyEndpointThoughItsPodsAreAvailable() {
    // The Deployment says the canary's pod is available; the EndpointSlice controller does not
    // list it yet (its queue lags, more so after the API server or etcd was away).
    Plan waiting = planner.plan(snapshot(canary(IngressSpec.Provider.traefik), "new")
        .with(live()).with(canaryAt(1, 1, 0)).active("old").weight(0).previewEndpoints(0)
        .build());
    assertThat(waiting.traffic().weight()).isZero();
    assertThat(waiting.outcome().message()).contains("no ready endpoint");
    assertThat(waiting.requeueAfter()).contains(BlueGreenPlanner.SETTLE_POLL);

    Plan listed = planner.plan(snapshot(canary(IngressSpec.Provider.traefik), "new")
        .with(live()).with(canaryAt(1, 1, 0)).active("old").weight(0).previewEndpoints(1)
        .build());
    assertThat(listed.traffic().weight()).isEqualTo(25);
  }

  @Test
  void aWeightOnAPreviewServiceThatLostItsEndpointsGoesBackToZeroAndTheStepWaits() {
    // As a new leader may find it: 25% stored, no ready endpoint behind the preview Service.
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.traefik), "new").with(live())
        .with(canaryAt(1, 1, 1, Bookkeeping.NONE.withStepSince(T0))).active("old").weight(25)
        .previewEndpoints(0).at(T0.plusSeconds(10)).build());
    assertThat(plan.traffic().weight()).isZero();
    assertThat(plan.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(desired(plan, "old").replicas()).isEqualTo(4);
    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(1), Bookkeeping::step);
  }

  @Test
  void aWeightReadBackCompletesASetWeightStepAndMovesOnAtOnce() {
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(1, 1, 0)).active("old").weight(25).build());

    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(1), Bookkeeping::step);
    assertThat(plan.traffic().weight()).isEqualTo(25);
    assertThat(plan.requeueAfter()).contains(Duration.ZERO);
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("StepReached");
  }

  @Test
  void anIndefinitePauseHoldsTheWeightUntilAPromote() {
    var builder = snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(1, 1, 1, Bookkeeping.NONE.withStepSince(T0))).active("old").weight(25)
        .at(T0.plusSeconds(3600));
    Plan held = planner.plan(builder.build());
    assertThat(held.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(held.traffic().weight()).isEqualTo(25);
    assertThat(held.traffic().currentStep()).contains(1);
    assertThat(desired(held, "new").bookkeeping()).returns(Optional.of(1), Bookkeeping::step);

    Plan promoted = planner.plan(builder.commands(command(Commands.PROMOTE, "")).build());
    // Step 2 (weight 50) needs 2 pods first: scale, keep the weight where it is.
    assertThat(desired(promoted, "new").bookkeeping()).returns(Optional.of(2), Bookkeeping::step);
    assertThat(desired(promoted, "new").replicas()).isEqualTo(2);
    assertThat(promoted.traffic().weight()).isEqualTo(25);
    assertThat(promoted.consumeCommands()).isTrue();
  }

  @Test
  void aRestartedOperatorResumesAtTheSameStepWithTheSameWeightNeverFromZero() {
    // Nothing but the cluster: the step on the Deployment, the weight on the Ingress.
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(2, 2, 2)).active("old").weight(50).build());

    assertThat(plan.traffic().weight()).isEqualTo(50);
    assertThat(desired(plan, "new").replicas()).isEqualTo(2);
    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(3), Bookkeeping::step);
  }

  @Test
  void aTimedPauseHoldsUntilItsTimeThenMovesOn() {
    var builder = snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(2, 2, 3, Bookkeeping.NONE.withStepSince(T0))).active("old").weight(50);
    Plan holding = planner.plan(builder.at(T0.plusSeconds(30)).build());
    assertThat(holding.outcome().phase()).isEqualTo(Phase.Progressing);
    assertThat(holding.requeueAfter()).contains(Duration.ofSeconds(30));
    assertThat(desired(holding, "new").bookkeeping()).returns(Optional.of(3), Bookkeeping::step);

    Plan done = planner.plan(builder.at(T0.plusSeconds(61)).build());
    assertThat(desired(done, "new").bookkeeping()).returns(Optional.of(4), Bookkeeping::step);
  }

  @Test
  void afterTheLastStepTheCanaryGoesToFullSizeThenTakesAllTrafficInOneWrite() {
    Plan scaling = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(2, 2, 4)).active("old").weight(50).build());
    assertThat(desired(scaling, "new").replicas()).isEqualTo(4);
    assertThat(scaling.activeHash()).contains("old");
    assertThat(scaling.traffic().weight()).isEqualTo(50);

    Plan switched = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(4, 4, 4)).active("old").weight(50).build());
    assertThat(switched.activeHash()).contains("new");
    assertThat(switched.traffic().weight()).isZero();
    assertThat(switched.outcome().promotedHash()).contains("new");
    // The old version is not scaled down before the weight is read back.
    assertThat(desired(switched, "old").replicas()).isEqualTo(4);
  }

  @Test
  void promoteFullSkipsTheRemainingSteps() {
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(1, 1, 1, Bookkeeping.NONE.withStepSince(T0))).active("old").weight(25)
        .commands(command(Commands.PROMOTE, "full")).build());

    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(4), Bookkeeping::step);
    assertThat(desired(plan, "new").replicas()).isEqualTo(4);
    assertThat(plan.events()).extracting(PlannedEvent::reason).contains("StepsSkipped");
  }

  @Test
  void abortReturnsAllTrafficInOneWriteAndScalesTheCanaryDownOnlyAfterTheReadBack() {
    var builder = snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(canaryAt(2, 2, 3, Bookkeeping.NONE.withStepSince(T0))).active("old").weight(50);
    Plan aborted = planner.plan(builder.commands(command(Commands.ABORT, "")).build());
    assertThat(aborted.traffic().weight()).isZero();
    assertThat(aborted.previewHash()).contains("old");
    assertThat(desired(aborted, "new").replicas()).isEqualTo(2);
    assertThat(desired(aborted, "new").bookkeeping()).matches(b -> b.aborted().isPresent());
    assertThat(desired(aborted, "old").replicas()).isEqualTo(4);

    VersionState marked = version("new", 2, 2, 2, Bookkeeping.NONE.withAborted("AbortedByUser",
        "m", T0));
    Plan stillRouted = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new")
        .with(live()).with(marked).active("old").weight(50).build());
    assertThat(desired(stillRouted, "new").replicas()).isEqualTo(2);
    Plan drained = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new")
        .with(live()).with(marked).active("old").weight(0).build());
    assertThat(desired(drained, "new").replicas()).isZero();
    assertThat(drained.outcome().phase()).isEqualTo(Phase.Aborted);
  }

  @Test
  void pauseHoldsTheStepItsWeightAndItsSize() {
    BatonAppSpec spec = canary(IngressSpec.Provider.nginx);
    spec.paused = true;
    Plan plan = planner.plan(snapshot(spec, "new").with(live()).with(canaryAt(2, 2, 2))
        .active("old").weight(50).build());

    assertThat(plan.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(plan.traffic().weight()).isEqualTo(50);
    assertThat(desired(plan, "new").replicas()).isEqualTo(2);
    assertThat(desired(plan, "new").bookkeeping()).returns(Optional.of(2), Bookkeeping::step);
  }

  @Test
  void aLowerWeightIsReadBackBeforeTheCanaryShrinks() {
    BatonAppSpec spec = canary(IngressSpec.Provider.nginx);
    spec.strategy.canary.steps = new ArrayList<>(List.of(CanaryStep.weight(50),
        CanaryStep.weight(25)));
    Plan plan = planner.plan(snapshot(spec, "new").with(live()).with(canaryAt(2, 2, 1))
        .active("old").weight(50).build());

    assertThat(plan.traffic().weight()).isEqualTo(25);
    assertThat(desired(plan, "new").replicas()).isEqualTo(2);
  }

  @Test
  void withoutAProviderTheServiceSpansBothVersionsOnceTheCanaryIsAvailable() {
    var builder = snapshot(canary(IngressSpec.Provider.none), "new").with(live())
        .active("old");
    Plan starting = planner.plan(builder.build());
    assertThat(desired(starting, "new").replicas()).isEqualTo(1);
    assertThat(starting.traffic().wide()).isFalse();

    Plan spanning = planner.plan(snapshot(canary(IngressSpec.Provider.none), "new").with(live())
        .with(canaryAt(1, 1, 0)).active("old").build());
    assertThat(spanning.traffic().wide()).isTrue();
    assertThat(spanning.activeHash()).contains("old");

    Plan promotedStep = planner.plan(snapshot(canary(IngressSpec.Provider.none), "new")
        .with(live()).with(canaryAt(1, 1, 0)).active("old").wide(true).build());
    assertThat(desired(promotedStep, "new").bookkeeping())
        .returns(Optional.of(1), Bookkeeping::step);
    assertThat(promotedStep.traffic().reportedWeight()).isEqualTo(20);
  }

  @Test
  void withoutAProviderAThirdVersionIsDrainedBeforeTheServiceSpans() {
    VersionState warm = version("older", 0, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)
        .withScaleDownAt(T0.plusSeconds(600)));
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.none), "new").with(live())
        .with(warm).with(canaryAt(1, 1, 0)).active("old").build());

    assertThat(desired(plan, "older").replicas()).isZero();
    assertThat(plan.traffic().wide()).isFalse();
  }

  @Test
  void theOldVersionRetiresOnlyOnceTheWeightIsReadBackAtZero() {
    VersionState previous = version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0)
        .withScaleDownAt(T0));
    VersionState now = version("new", 2, 4, 4, Bookkeeping.NONE.withPromotedAt(T0));
    Plan unconfirmed = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new")
        .with(previous).with(now).active("new").weight(50).at(T0.plusSeconds(60)).build());
    assertThat(desired(unconfirmed, "old").replicas()).isEqualTo(4);
    Plan confirmed = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new")
        .with(previous).with(now).active("new").weight(0).at(T0.plusSeconds(60)).build());
    assertThat(desired(confirmed, "old").replicas()).isZero();
  }

  @Test
  void steppedBlueGreenShiftsTrafficOnlyOnceTheNewVersionRunsAtFullSize() {
    BatonAppSpec spec = spec(4, "api:2");
    spec.ingress = new IngressSpec();
    spec.ingress.provider = IngressSpec.Provider.gatewayAPI;
    TrafficStep ten = new TrafficStep();
    ten.weight = 10;
    ten.pauseSeconds = 60;
    TrafficStep half = new TrafficStep();
    half.weight = 50;
    spec.strategy.blueGreen.trafficSteps = List.of(ten, half);

    Plan first = planner.plan(snapshot(spec, "new").with(live())
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withProgressSince(T0).withReadySince(T0)))
        .active("old").weight(0).build());
    assertThat(desired(first, "new").replicas()).isEqualTo(4);
    assertThat(desired(first, "new").bookkeeping()).returns(Optional.of(0), Bookkeeping::step);
    assertThat(first.traffic().weight()).isEqualTo(10);
    assertThat(first.activeHash()).contains("old");

    Plan waiting = planner.plan(snapshot(spec, "new").with(live())
        .with(version("new", 2, 4, 4, Bookkeeping.NONE.withPromoting(true).withStep(1)
            .withStepSince(T0).withProgressSince(T0)))
        .active("old").weight(50).at(T0.plusSeconds(3600)).build());
    assertThat(waiting.outcome().phase()).isEqualTo(Phase.Paused);
    assertThat(waiting.traffic().weight()).isEqualTo(50);
    assertThat(waiting.traffic().currentStep()).contains(1);
  }

  @Test
  void providersNoLongerInUseAreRemovedOnlyOnceTheNewOneIsConfirmed() {
    BatonAppSpec spec = canary(IngressSpec.Provider.gatewayAPI);
    var pending = new TrafficObservation(Optional.empty(), false,
        Set.of(IngressSpec.Provider.nginx, IngressSpec.Provider.gatewayAPI), "not stored yet");
    Plan waiting = planner.plan(snapshot(spec, "old").with(live()).active("old")
        .traffic(pending).build());
    assertThat(waiting.traffic().remove()).isEmpty();

    var confirmed = new TrafficObservation(Optional.of(0), false,
        Set.of(IngressSpec.Provider.nginx, IngressSpec.Provider.gatewayAPI), "");
    Plan done = planner.plan(snapshot(spec, "old").with(live()).active("old")
        .traffic(confirmed).build());
    assertThat(done.traffic().remove()).containsExactly(IngressSpec.Provider.nginx);
  }

  @Test
  void aNewSpecMidCanaryMovesItsTrafficBackBeforeThePreviewServiceMoves() {
    // "mid" is a canary at 25% when the spec changes to "new": the preview Service still selects
    // mid's pods and the ingress sends them a quarter of the requests.
    VersionState mid = version("mid", 2, 1, 1, Bookkeeping.NONE.withStep(1).withStepSince(T0)
        .withProgressSince(T0));
    Plan plan = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(mid).active("old").weight(25).build());

    assertThat(plan.traffic().weight()).isZero();
    assertThat(plan.previewHash()).contains("old");
    assertThat(desired(plan, "new").replicas()).isEqualTo(1);
    assertThat(desired(plan, "mid").replicas()).as("kept until the weight is read back")
        .isEqualTo(1);

    Plan drained = planner.plan(snapshot(canary(IngressSpec.Provider.nginx), "new").with(live())
        .with(mid).with(canaryAt(1, 1, 0)).active("old").weight(0).build());
    assertThat(drained.previewHash()).contains("new");
    assertThat(drained.traffic().weight()).isEqualTo(25);
  }
}
