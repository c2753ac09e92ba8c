package dev.baton.render;

import static dev.baton.render.RenderFixtures.OWNER;
import static dev.baton.render.RenderFixtures.plan;
import static dev.baton.render.RenderFixtures.snapshot;
import static dev.baton.render.RenderFixtures.spec;
import static dev.baton.render.RenderFixtures.version;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.IngressSpec.Provider;
import dev.baton.planning.AppSettings.Strategy;
import dev.baton.planning.Plan;
import dev.baton.planning.Snapshot;
import dev.baton.render.Rendering.Mode;
import dev.baton.render.Rendering.Stage;
import dev.baton.traffic.TrafficProvider;
import dev.baton.traffic.TrafficProviders;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Traffic objects in the render, for each provider, and the old provider's going. */
class TrafficRenderTest {

  private static Snapshot canary(Provider provider) {
    return snapshot(spec(Strategy.CANARY, provider), "new");
  }

  private static Plan atWeight(Snapshot s, int weight, Provider... remove) {
    return plan(s).keep(version("old", 1, 4)).keep(version("new", 2, 4))
        .services("old", "new").weight(weight, false).remove(remove).build();
  }

  private static List<String> names(List<HasMetadata> objects) {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }

  @Test
  void eachProvidersObjectsAreOneGuardedWaveAfterTheServices() {
    for (Provider provider : EnumSet.complementOf(EnumSet.of(Provider.none))) {
      Snapshot s = canary(provider);
      Rendering r = Renderer.children(s, atWeight(s, 30), OWNER, AppChildren.NONE);

      TrafficProvider p = TrafficProviders.of(provider).orElseThrow();
      assertThat(r.waves()).as(provider.name()).map(Rendering.Wave::stage)
          .containsExactly(Stage.VERSIONS, Stage.SERVICES, Stage.TRAFFIC);
      Rendering.Wave traffic = r.waves().get(2);
      assertThat(traffic.writes()).as(provider.name()).isNotEmpty()
          .allSatisfy(w -> assertThat(w.mode()).isEqualTo(Mode.APPLY_GUARDED));
      List<HasMetadata> objects = traffic.writes().stream().map(Rendering.Write::object).toList();
      assertThat(names(objects)).as(provider.name())
          .isEqualTo(names(p.desired(s.app(), OWNER, 30, List.of())));
      assertThat(p.readBack(s.app(), objects).weight()).as(provider.name()).contains(30);
    }
  }

  @Test
  void providerNoneHasNoTrafficObjects() {
    Snapshot s = canary(Provider.none);
    assertThat(Renderer.children(s, atWeight(s, 30), OWNER, AppChildren.NONE).waves())
        .map(Rendering.Wave::stage).containsExactly(Stage.VERSIONS, Stage.SERVICES);
  }

  @Test
  void theStoredObjectsOfTheProviderAreWhatItsObjectsAreRenderedFrom() {
    Snapshot s = canary(Provider.gatewayAPI);
    TrafficProvider p = TrafficProviders.of(Provider.gatewayAPI).orElseThrow();
    List<HasMetadata> stored = p.desired(s.app(), OWNER, 0, List.of());
    stored.forEach(o -> o.getMetadata().setResourceVersion("41"));
    AppChildren existing = new AppChildren(List.of(), List.of(), List.of(), List.of(),
        Map.of(Provider.gatewayAPI, stored), List.of());

    Rendering r = Renderer.children(s, atWeight(s, 50), OWNER, existing);

    assertThat(r.waves().get(2).writes()).map(w -> w.object())
        .isEqualTo(p.desired(s.app(), OWNER, 50, stored));
    assertThat(r.removals()).isEmpty();
  }

  @Test
  void anOldProvidersObjectsGoOnlyOnceThePlanSaysSo() {
    Snapshot s = canary(Provider.traefik);
    List<HasMetadata> nginx = TrafficProviders.of(Provider.nginx).orElseThrow()
        .desired(snapshot(spec(Strategy.CANARY, Provider.nginx), "new").app(), OWNER, 0,
            List.of());
    AppChildren existing = new AppChildren(List.of(), List.of(), List.of(), List.of(),
        Map.of(Provider.nginx, nginx), List.of());

    Rendering waiting = Renderer.children(s, atWeight(s, 0), OWNER, existing);
    assertThat(waiting.removals()).isEmpty();

    Rendering handedOver = Renderer.children(s, atWeight(s, 0, Provider.nginx), OWNER, existing);
    assertThat(handedOver.removed()).isEqualTo(nginx);
    // The new provider's objects are still written, before the old ones go.
    assertThat(handedOver.waves()).map(Rendering.Wave::stage).contains(Stage.TRAFFIC);
  }
}
