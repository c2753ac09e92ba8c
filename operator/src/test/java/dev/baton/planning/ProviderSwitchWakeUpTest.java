package dev.baton.planning;

import static dev.baton.planning.Fixtures.T0;
import static dev.baton.planning.Fixtures.snapshot;
import static dev.baton.planning.Fixtures.spec;
import static dev.baton.planning.Fixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.IngressSpec.Provider;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A live app whose provider changes: the new provider's objects are Baton's own write, whose watch
 * event JOSDK does not propagate, so the plan itself must ask to look again until they are read
 * back and the old provider's objects can go (the TrafficIT provider-switch stall).
 */
class ProviderSwitchWakeUpTest {

  private final RolloutPlanner planner = new RolloutPlanner();

  static Stream<Arguments> liveApps() {
    BatonAppSpec blueGreen = spec(4, "api:1");
    BatonAppSpec rolling = RollingPlannerTest.rollingSpec(4, "api:1");
    return Stream.of(
        Arguments.of("blue/green", blueGreen, "old",
            version("old", 1, 4, 4, Bookkeeping.NONE.withPromotedAt(T0))),
        Arguments.of("rolling", rolling, Labels.ROLLING,
            RollingPlannerTest.rolling(4, 4, 4, true, Bookkeeping.NONE.withStableHash("old")
                .withTemplateHash("old").withPromotedAt(T0))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("liveApps")
  void aProviderSwitchLooksAgainUntilTheNewObjectsAreReadBack(String strategy,
      BatonAppSpec spec, String activeHash, VersionState live) {
    spec.ingress = new IngressSpec();
    spec.ingress.provider = Provider.traefik;
    var pending = new TrafficObservation(Optional.empty(), false, Set.of(Provider.nginx),
        "not stored yet");
    Plan waiting = planner.plan(snapshot(spec, "old").stored(1, "old", "api:1").with(live)
        .active(activeHash).traffic(pending).build());
    assertThat(waiting.traffic().remove()).isEmpty();
    assertThat(waiting.requeueAfter()).as("no event announces Baton's own write")
        .hasValueSatisfying(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(2)));

    var confirmed = new TrafficObservation(Optional.of(0), false,
        Set.of(Provider.nginx, Provider.traefik), "");
    Plan done = planner.plan(snapshot(spec, "old").stored(1, "old", "api:1").with(live)
        .active(activeHash).traffic(confirmed).build());
    assertThat(done.traffic().remove()).containsExactly(Provider.nginx);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("liveApps")
  void theOldProvidersObjectsStayUntilTheProxyHasHadTimeToServeTheNewOnes(String strategy,
      BatonAppSpec spec, String activeHash, VersionState live) {
    spec.ingress = new IngressSpec();
    spec.ingress.provider = Provider.traefik;
    var justWritten = new TrafficObservation(Optional.of(0), false,
        Set.of(Provider.nginx, Provider.traefik), "", Optional.of(T0.minusSeconds(3)));
    Plan handingOver = planner.plan(snapshot(spec, "old").stored(1, "old", "api:1").with(live)
        .active(activeHash).traffic(justWritten).build());
    assertThat(handingOver.traffic().remove()).as("the proxy may not serve the new objects yet")
        .isEmpty();
    assertThat(handingOver.requeueAfter()).as("the handover's end is no event")
        .hasValueSatisfying(d -> assertThat(d)
            .isBetween(Duration.ofSeconds(7), Duration.ofMillis(7_200)));

    var handedOver = new TrafficObservation(Optional.of(0), false,
        Set.of(Provider.nginx, Provider.traefik), "",
        Optional.of(T0.minus(TrafficPlan.PROVIDER_HANDOVER)));
    Plan done = planner.plan(snapshot(spec, "old").stored(1, "old", "api:1").with(live)
        .active(activeHash).traffic(handedOver).build());
    assertThat(done.traffic().remove()).containsExactly(Provider.nginx);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("liveApps")
  void aSettledAppAsksForNoWakeUp(String strategy, BatonAppSpec spec, String activeHash,
      VersionState live) {
    spec.ingress = new IngressSpec();
    spec.ingress.provider = Provider.traefik;
    var settled = new TrafficObservation(Optional.of(0), false, Set.of(Provider.traefik), "");
    Plan plan = planner.plan(snapshot(spec, "old").stored(1, "old", "api:1").with(live)
        .active(activeHash).traffic(settled).build());
    assertThat(plan.requeueAfter()).isEmpty();
  }
}
