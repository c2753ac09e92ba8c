package dev.baton.traffic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonAppSpec;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.ServiceSpec;
import dev.baton.planning.AppSettings;
import dev.baton.traffic.gatewayapi.GatewayApiProvider;
import dev.baton.traffic.nginx.NginxProvider;
import dev.baton.traffic.traefik.TraefikProvider;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.RouteParentStatusBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The providers' pure halves: objects for a weight, and the weight read back from them. */
class ProvidersTest {

  private static AppSettings app(IngressSpec.Provider provider, String... paths) {
    BatonAppSpec spec = new BatonAppSpec();
    spec.replicas = 2;
    spec.template = new PodTemplateSpec();
    spec.service = new ServiceSpec();
    spec.service.port = 80;
    spec.ingress = new IngressSpec();
    spec.ingress.provider = provider;
    spec.ingress.host = "shop.example.com";
    spec.ingress.paths = List.of(paths);
    if (provider == IngressSpec.Provider.gatewayAPI) {
      spec.ingress.gatewayAPI = new IngressSpec.GatewayApiSpec();
      IngressSpec.ParentRef ref = new IngressSpec.ParentRef();
      ref.name = "web";
      spec.ingress.gatewayAPI.parentRefs = List.of(ref);
    }
    return AppSettings.of("shop", "ns", 1, spec);
  }

  private static final OwnerReference OWNER = new OwnerReference();

  @Test
  void everyProviderReadsBackTheWeightItWrote() {
    for (TrafficProvider p : List.of(new NginxProvider(), new GatewayApiProvider(),
        new TraefikProvider())) {
      AppSettings app = app(p.provider(), "/api");
      List<HasMetadata> written = p.desired(app, OWNER, 30, List.of());
      assertThat(p.readBack(app, written).weight()).as(p.provider().name()).contains(30);
      assertThat(p.readBack(app, List.of()).weight()).as(p.provider().name()).isEmpty();
    }
  }

  @Test
  void everyProviderReadsBackTheEndsOfTheRange() {
    for (TrafficProvider p : List.of(new NginxProvider(), new GatewayApiProvider(),
        new TraefikProvider())) {
      AppSettings app = app(p.provider(), "/api");
      for (int weight : new int[] {0, 100}) {
        assertThat(p.readBack(app, p.desired(app, OWNER, weight, List.of())).weight())
            .as(p.provider() + " at " + weight).contains(weight);
      }
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void traefikLeavesAServiceAtWeightZeroOutOfTheTraefikService() {
    // Traefik fails a TraefikService with an empty Service in it and answers 404 for the route.
    TraefikProvider p = new TraefikProvider();
    AppSettings app = app(IngressSpec.Provider.traefik, "/api");
    for (var expected : java.util.Map.of(0, List.of("shop"), 100, List.of("shop-preview"),
        30, List.of("shop", "shop-preview")).entrySet()) {
      var ts = (io.fabric8.kubernetes.api.model.GenericKubernetesResource)
          p.desired(app, OWNER, expected.getKey(), List.of()).get(0);
      var spec = (java.util.Map<String, Object>) ts.getAdditionalProperties().get("spec");
      var services = (List<java.util.Map<String, Object>>)
          ((java.util.Map<String, Object>) spec.get("weighted")).get("services");
      assertThat(services).as("weight " + expected.getKey()).extracting(m -> m.get("name"))
          .containsExactlyElementsOf(expected.getValue());
    }
  }

  @Test
  void aRouteStatusForAnOlderGenerationLeavesTheWeightUnconfirmed() {
    GatewayApiProvider p = new GatewayApiProvider();
    AppSettings app = app(IngressSpec.Provider.gatewayAPI, "/");
    HTTPRoute route = (HTTPRoute) p.desired(app, OWNER, 40, List.of()).get(0);
    route.getMetadata().setGeneration(3L);
    route.setStatus(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus());
    route.getStatus().setParents(List.of(new RouteParentStatusBuilder()
        .withControllerName("example.com/gateway")
        .withConditions(
            new ConditionBuilder().withType("Accepted").withStatus("True")
                .withObservedGeneration(2L).build(),
            new ConditionBuilder().withType("ResolvedRefs").withStatus("True")
                .withObservedGeneration(2L).build())
        .build()));
    var pending = p.readBack(app, List.of(route));
    assertThat(pending.weight()).isEmpty();
    assertThat(pending.pending()).contains("Accepted for generation 3");

    route.getStatus().getParents().get(0).getConditions()
        .forEach(c -> c.setObservedGeneration(3L));
    assertThat(p.readBack(app, List.of(route)).weight()).contains(40);
  }

  @Test
  void whatARejectingRouteStatusSaysIsOneClauseWithoutNulls() {
    GatewayApiProvider p = new GatewayApiProvider();
    AppSettings app = app(IngressSpec.Provider.gatewayAPI, "/");
    HTTPRoute route = (HTTPRoute) p.desired(app, OWNER, 40, List.of()).get(0);
    route.getMetadata().setGeneration(1L);
    route.setStatus(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatus());
    var accepted = new ConditionBuilder().withType("Accepted").withStatus("False")
        .withObservedGeneration(1L).withReason("NotAllowedByListeners")
        .withMessage("No listener of gateway web\nallows this route.\n").build();
    route.getStatus().setParents(List.of(new RouteParentStatusBuilder()
        .withControllerName("example.com/gateway").withConditions(accepted).build()));

    assertThat(p.readBack(app, List.of(route)).pending()).isEqualTo("the HTTPRoute's status from"
        + " example.com/gateway does not yet say Accepted for generation 1; NotAllowedByListeners:"
        + " No listener of gateway web allows this route");
    accepted.setMessage(null);
    assertThat(p.readBack(app, List.of(route)).pending())
        .endsWith("for generation 1; NotAllowedByListeners");
    accepted.setReason(null);
    assertThat(p.readBack(app, List.of(route)).pending()).endsWith("for generation 1");
  }

  @Test
  void nginxDropsItsOwnOldPathsButKeepsPathsAndRulesOthersAdded() {
    NginxProvider p = new NginxProvider();
    Ingress before = (Ingress) p.desired(app(IngressSpec.Provider.nginx, "/api"), OWNER, 0,
        List.of()).get(0);
    before.getSpec().getRules().get(0).getHttp().getPaths().add(
        new io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPathBuilder(
            before.getSpec().getRules().get(0).getHttp().getPaths().get(0))
            .withPath("/admin").build());
    before.getSpec().getRules().add(new io.fabric8.kubernetes.api.model.networking.v1
        .IngressRuleBuilder().withHost("legacy.example.com").build());

    Ingress after = (Ingress) p.desired(app(IngressSpec.Provider.nginx, "/v2"), OWNER, 0,
        List.of(before)).get(0);
    assertThat(after.getSpec().getRules().get(0).getHttp().getPaths())
        .extracting(x -> x.getPath()).containsExactly("/v2", "/admin");
    assertThat(after.getSpec().getRules()).extracting(r -> r.getHost())
        .containsExactly("shop.example.com", "legacy.example.com");
    assertThat(Optional.ofNullable(after.getMetadata().getResourceVersion())).isEqualTo(
        Optional.ofNullable(before.getMetadata().getResourceVersion()));
  }

  @Test
  void traefikMatchesTheHostAndEveryPath() {
    assertThat(TraefikProvider.match(app(IngressSpec.Provider.traefik, "/a", "/b")))
        .isEqualTo("Host(`shop.example.com`) && (PathPrefix(`/a`) || PathPrefix(`/b`))");
  }
}
