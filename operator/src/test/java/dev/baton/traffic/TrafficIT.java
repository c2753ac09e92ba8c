package dev.baton.traffic;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.TrafficStep;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.RunningOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TraefikProcess;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import dev.baton.traffic.gatewayapi.GatewayApiProvider;
import dev.baton.traffic.nginx.NginxProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each traffic provider on the test cluster: every step's weight on the stored objects, promote,
 * abort, a restart of the operator mid-step, edits by others that survive Baton's writes, and the
 * capacity invariant through every rollout. When the run has a data plane (hack/test.sh), Traefik
 * serves every provider (ingress-nginx canary annotations, Gateway API with its route status, CRD
 * weighted services, and an Ingress to the Service for provider none) and real requests check
 * each weight's share, only the new revision after a promote, and zero failed requests.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class TrafficIT {

  /**
   * The Service the foreign rules and routes point at: a gateway controller reports
   * ResolvedRefs False for a route with a missing backend, which would (rightly) hold Baton's
   * Gateway API weights.
   */
  @BeforeAll
  static void legacyService(TestCluster cluster) {
    cluster.client().resource(new io.fabric8.kubernetes.api.model.ServiceBuilder()
        .withNewMetadata().withName("legacy").endMetadata().withNewSpec()
        .addToSelector("app", "legacy").addNewPort().withPort(80).endPort().endSpec().build())
        .create();
  }


  private static BatonApp app(KubernetesClient client, String name, IngressSpec.Provider provider) {
    return TrafficApps.behind(client, name, provider);
  }

  private static void canary(BatonApp app, CanaryStep... steps) {
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.canary = new CanarySpec();
    app.getSpec().strategy.canary.scaleDownDelaySeconds = 2;
    app.getSpec().strategy.canary.steps = List.of(steps);
  }



  private static BatonApp awaitStep(KubernetesClient client, String name, int step, Phase phase) {
    return Apps.awaitStatus(client, name, a -> a.getStatus().currentStep != null
        && a.getStatus().currentStep == step && a.getStatus().phase == phase);
  }

  private static BatonApp awaitPromoted(KubernetesClient client, String name) {
    return Apps.awaitStatus(client, name,
        a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
        && a.getStatus().phase == Phase.Healthy && a.getStatus().previewRevision == null);
  }

  private static int canaryPods(KubernetesClient client, String name) {
    String live = Apps.get(client, name).getStatus().activeHash;
    return Apps.deploymentsOf(client, name).stream()
        .filter(d -> !d.getMetadata().getName().equals(name + "-" + live))
        .mapToInt(d -> d.getSpec().getReplicas()).sum();
  }

  private static String nginxWeight(KubernetesClient client, String name) {
    Ingress canary = client.network().v1().ingresses().withName(name + "-canary").get();
    return canary.getMetadata().getAnnotations().get(NginxProvider.CANARY_WEIGHT);
  }

  private static List<Integer> routeWeights(HTTPRoute route) {
    return route.getSpec().getRules().stream()
        .filter(r -> GatewayApiProvider.RULE.equals(r.getName()))
        .flatMap(r -> r.getBackendRefs().stream()).map(b -> b.getWeight()).toList();
  }

  @Test
  void nginxCanaryStepsSetEachWeightOnTheStoredIngressesAndKeepWhatOthersAdded(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = app(client, "nginx-canary", IngressSpec.Provider.nginx);
    canary(app, CanaryStep.weight(25), CanaryStep.pauseFor(null), CanaryStep.weight(50),
        CanaryStep.pauseFor(1));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      await().atMost(TIMEOUT).until(() -> client.network().v1().ingresses()
          .withName("nginx-canary-canary").get() != null);
      assertThat(nginxWeight(client, "nginx-canary")).isEqualTo("0");
      // Someone else's annotation and rule on Baton's Ingress (kubectl edit, another manager).
      client.network().v1().ingresses().withName("nginx-canary").edit(i -> {
        i.getMetadata().getAnnotations().put("team.example.com/owner", "payments");
        i.getSpec().getRules().add(new IngressRuleBuilder().withHost("legacy.example.com")
            .withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend()
            .withNewService().withName("legacy").withNewPort().withNumber(80).endPort()
            .endService().endBackend().endPath().endHttp().build());
        return i;
      });

      Apps.setImage(client, "nginx-canary", "registry.example.com/shop/api:1.8.3");
      BatonApp paused = awaitStep(client, "nginx-canary", 1, Phase.Paused);
      assertThat(paused.getStatus().trafficWeight).isEqualTo(25);
      assertThat(nginxWeight(client, "nginx-canary")).isEqualTo("25");
      traffic.assertShare(paused.getStatus().previewHash, 25, Instant.now());
      assertThat(canaryPods(client, "nginx-canary")).isEqualTo(1);
      assertThat(client.network().v1().ingresses().withName("nginx-canary-canary").get()
          .getSpec().getRules().get(0).getHttp().getPaths().get(0).getBackend().getService()
          .getName()).isEqualTo("nginx-canary-preview");

      Apps.annotate(client, "nginx-canary", Commands.PROMOTE, "");
      await().atMost(TIMEOUT).until(() -> "50".equals(nginxWeight(client, "nginx-canary")));
      assertThat(canaryPods(client, "nginx-canary")).isEqualTo(2);

      BatonApp promoted = awaitPromoted(client, "nginx-canary");
      traffic.assertOnlyRevisionAfter(promoted.getStatus().activeHash, Instant.now());
      await().atMost(TIMEOUT).until(() -> "0".equals(nginxWeight(client, "nginx-canary")));
      Ingress stable = client.network().v1().ingresses().withName("nginx-canary").get();
      assertThat(stable.getMetadata().getAnnotations())
          .containsEntry("team.example.com/owner", "payments");
      assertThat(stable.getSpec().getRules()).extracting(r -> r.getHost())
          .containsExactly("nginx-canary.example.com", "legacy.example.com");
      assertThat(client.v1().events().withField("involvedObject.name", "nginx-canary").list()
          .getItems()).extracting(e -> e.getReason()).contains("StepReached", "Promoted");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void gatewayApiCanaryResumesAtItsStepAfterARestartAndAbortsInOneWrite(TestCluster cluster,
      RunningOperator operator) {
    KubernetesClient client = cluster.client();
    BatonApp app = app(client, "gw-canary", IngressSpec.Provider.gatewayAPI);
    canary(app, CanaryStep.weight(25), CanaryStep.pauseFor(null), CanaryStep.weight(50));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      var routes = client.resources(HTTPRoute.class);
      String live = Apps.get(client, "gw-canary").getStatus().activeHash;
      await().atMost(TIMEOUT).until(() -> routes.withName("gw-canary").get() != null);
      assertThat(routeWeights(routes.withName("gw-canary").get())).containsExactly(100, 0);
      // A rule Baton does not manage, added by another tool.
      HTTPRouteRule legacy = new HTTPRouteRuleBuilder().withName("legacy")
          .withMatches(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder()
              .withNewPath().withType("PathPrefix").withValue("/legacy").endPath().build())
          .addNewBackendRef().withName("legacy").withPort(80).endBackendRef().build();
      routes.withName("gw-canary").edit(r -> {
        r.getSpec().getRules().add(legacy);
        return r;
      });

      Apps.setImage(client, "gw-canary", "registry.example.com/shop/api:1.8.3");
      BatonApp paused = awaitStep(client, "gw-canary", 1, Phase.Paused);
      assertThat(routeWeights(routes.withName("gw-canary").get())).containsExactly(75, 25);
      traffic.assertShare(paused.getStatus().previewHash, 25, Instant.now());
      if (traffic.checked()) {
        // The gate Baton waited on was opened by the real gateway controller.
        HTTPRoute route = routes.withName("gw-canary").get();
        assertThat(route.getStatus().getParents()).anySatisfy(p -> {
          assertThat(p.getControllerName()).isEqualTo(TraefikProcess.GATEWAY_CONTROLLER);
          assertThat(p.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Accepted");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getObservedGeneration()).isEqualTo(route.getMetadata().getGeneration());
          });
        });
      }

      // Every weight the route holds from here on, as the API server stores it.
      List<List<Integer>> seen = new CopyOnWriteArrayList<>();
      try (Watch ignored = routes.withName("gw-canary").watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, HTTPRoute route) {
          seen.add(routeWeights(route));
        }

        @Override
        public void onClose(WatcherException cause) {}
      })) {
        operator.restart();
        // The new operator plans from the cluster alone: same step, same weights.
        Apps.annotate(client, "gw-canary", "test.baton.dev/nudge", "1");
        awaitStep(client, "gw-canary", 1, Phase.Paused);
        assertThat(routeWeights(routes.withName("gw-canary").get())).containsExactly(75, 25);

        Apps.annotate(client, "gw-canary", Commands.ABORT, "");
        BatonApp aborted = Apps.awaitPhase(client, "gw-canary", Phase.Aborted);
        traffic.assertOnlyRevisionAfter(live, Instant.now());
        assertThat(aborted.getStatus().activeRevision).isEqualTo(1);
        await().atMost(TIMEOUT).until(() -> canaryPods(client, "gw-canary") == 0);
      }
      // Between the restart and the abort the weights never went back to zero; the abort was
      // one write from 25% to 0%.
      List<List<Integer>> changes = new ArrayList<>();
      for (List<Integer> w : seen) {
        if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(w)) {
          changes.add(w);
        }
      }
      assertThat(changes).containsExactly(List.of(75, 25), List.of(100, 0));
      assertThat(routes.withName("gw-canary").get().getSpec().getRules())
          .extracting(HTTPRouteRule::getName).containsExactly("baton", "legacy");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void traefikSteppedBlueGreenHoldsEachStepAndPromoteFullSkipsTheRest(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = app(client, "traefik-bg", IngressSpec.Provider.traefik);
    TrafficStep first = new TrafficStep();
    first.weight = 20;
    first.pauseSeconds = 1;
    TrafficStep second = new TrafficStep();
    second.weight = 60;
    app.getSpec().strategy.blueGreen.trafficSteps = List.of(first, second);
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      var services = client.genericKubernetesResources("traefik.io/v1alpha1", "TraefikService");
      var ingressRoutes = client.genericKubernetesResources("traefik.io/v1alpha1", "IngressRoute");
      await().atMost(TIMEOUT).until(() -> services.withName("traefik-bg").get() != null
          && ingressRoutes.withName("traefik-bg").get() != null);
      ingressRoutes.withName("traefik-bg").edit(r -> {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) ((Map<String, Object>) r.getAdditionalProperties()
            .get("spec")).get("routes");
        list.add(Map.of("kind", "Rule", "match", "PathPrefix(`/metrics`)",
            "services", List.of(Map.of("name", "metrics", "port", 9090))));
        return r;
      });

      Apps.setImage(client, "traefik-bg", "registry.example.com/shop/api:1.8.3");
      BatonApp waiting = awaitStep(client, "traefik-bg", 1, Phase.Paused);
      assertThat(waiting.getStatus().trafficWeight).isEqualTo(60);
      assertThat(traefikWeights(services.withName("traefik-bg").get())).containsExactly(40, 60);
      traffic.assertShare(waiting.getStatus().previewHash, 60, Instant.now());
      // Blue/green: the new version runs at full size before it takes any traffic.
      assertThat(canaryPods(client, "traefik-bg")).isEqualTo(4);

      Apps.annotate(client, "traefik-bg", Commands.PROMOTE, "full");
      BatonApp promoted = awaitPromoted(client, "traefik-bg");
      traffic.assertOnlyRevisionAfter(promoted.getStatus().activeHash, Instant.now());
      await().atMost(TIMEOUT).until(() -> traefikWeights(services.withName("traefik-bg").get())
          .equals(List.of(100, 0)));
      assertThat(ingressRoutes.withName("traefik-bg").get().getAdditionalProperties().toString())
          .contains("PathPrefix(`/metrics`)");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @SuppressWarnings("unchecked")
  private static List<Integer> traefikWeights(GenericKubernetesResource service) {
    Map<String, Object> spec = (Map<String, Object>) service.getAdditionalProperties().get("spec");
    List<Map<String, Object>> list = (List<Map<String, Object>>) ((Map<String, Object>) spec
        .get("weighted")).get("services");
    // [live, preview]; a Service at weight 0 is left out of the TraefikService.
    int preview = list.stream().filter(s -> String.valueOf(s.get("name")).endsWith("-preview"))
        .mapToInt(s -> ((Number) s.get("weight")).intValue()).sum();
    int live = list.stream().filter(s -> !String.valueOf(s.get("name")).endsWith("-preview"))
        .mapToInt(s -> ((Number) s.get("weight")).intValue()).sum();
    return List.of(live, preview);
  }

  @Test
  void withoutAProviderACanarysWeightIsItsShareOfThePodsBehindTheOneService(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = Apps.example(client, "pod-share");
    app.getSpec().replicas = 4;
    canary(app, CanaryStep.weight(20), CanaryStep.pauseFor(null));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      Apps.setImage(client, "pod-share", "registry.example.com/shop/api:1.8.3");
      BatonApp paused = awaitStep(client, "pod-share", 1, Phase.Paused);
      assertThat(paused.getStatus().trafficWeight).isEqualTo(20);
      assertThat(client.services().withName("pod-share").get().getSpec().getSelector())
          .containsOnlyKeys(Labels.APP);
      await().atMost(TIMEOUT).until(() -> watcher.readyEndpoints() == 5);
      // One pod of five behind the one Service: a fifth of the requests.
      traffic.assertShare(paused.getStatus().previewHash, 20, Instant.now());

      Apps.annotate(client, "pod-share", Commands.PROMOTE, "");
      BatonApp promoted = awaitPromoted(client, "pod-share");
      traffic.assertOnlyRevisionAfter(promoted.getStatus().activeHash, Instant.now());
      assertThat(client.services().withName("pod-share").get().getSpec().getSelector())
          .containsKey(Labels.REVISION_HASH);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void changingTheProviderOfALiveAppReplacesItsObjectsWithoutTouchingThePods(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = app(client, "switch-provider", IngressSpec.Provider.nginx);
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      await().atMost(TIMEOUT).until(() -> client.network().v1().ingresses()
          .withLabel(Labels.APP, "switch-provider").list().getItems().size() == 2);
      Apps.edit(client, "switch-provider", a -> {
        a.getSpec().ingress.provider = IngressSpec.Provider.traefik;
        // /api (where the requests go) stays routed throughout: the new provider's objects serve
        // before the old ones go.
        a.getSpec().ingress.paths = List.of("/api", "/v2");
      });
      var services = client.genericKubernetesResources("traefik.io/v1alpha1", "TraefikService");
      await().atMost(TIMEOUT).until(() -> services.withName("switch-provider").get() != null
          && client.network().v1().ingresses().withLabel(Labels.APP, "switch-provider").list()
              .getItems().isEmpty());
      assertThat(Apps.get(client, "switch-provider").getStatus().activeRevision).isEqualTo(1);
      assertThat(Apps.deploymentsOf(client, "switch-provider")).hasSize(1);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(Apps.get(client, "switch-provider").getStatus().activeHash,
          Instant.now());
      // The old provider's objects stay until the proxy has had time to serve the new ones
      // (TrafficPlan.PROVIDER_HANDOVER): not one request is refused while the provider changes.
      traffic.assertNoFailedRequests();
    }
  }

  /**
   * What a gateway controller reports: Accepted and ResolvedRefs for the given generation, for the
   * Gateway {@value #UNSERVED}, which no controller serves (Traefik serves the Gateways named web).
   */
  private static void reportRouteStatus(KubernetesClient client, String name, long generation) {
    client.resources(HTTPRoute.class).withName(name).editStatus(r -> {
      var conditions = List.of("Accepted", "ResolvedRefs").stream()
          .map(type -> new io.fabric8.kubernetes.api.model.ConditionBuilder().withType(type)
              .withStatus("True").withReason(type).withMessage("")
              .withObservedGeneration(generation)
              .withLastTransitionTime("2026-11-23T00:00:00Z").build())
          .toList();
      r.setStatus(new io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteStatusBuilder()
          .addNewParent().withControllerName("example.com/gateway-controller")
          .withNewParentRef().withName(UNSERVED).endParentRef()
          .withConditions(conditions).endParent().build());
      return r;
    });
  }

  /** A Gateway no controller serves: the test plays a slow one (Traefik accepts at once). */
  private static final String UNSERVED = "slow-gateway";

  @Test
  void aGatewayApiWeightCountsOnlyOnceTheRouteStatusAcceptsItsGeneration(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = app(client, "gw-status", IngressSpec.Provider.gatewayAPI);
    app.getSpec().ingress.gatewayAPI.parentRefs.get(0).name = UNSERVED;
    canary(app, CanaryStep.weight(30), CanaryStep.pauseFor(null));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app)) {
      var routes = client.resources(HTTPRoute.class);
      await().atMost(TIMEOUT).until(() -> routes.withName("gw-status").get() != null);
      reportRouteStatus(client, "gw-status",
          routes.withName("gw-status").get().getMetadata().getGeneration());

      Apps.setImage(client, "gw-status", "registry.example.com/shop/api:1.8.3");
      await().atMost(TIMEOUT).until(() -> routeWeights(routes.withName("gw-status").get())
          .equals(List.of(70, 30)));
      long generation = routes.withName("gw-status").get().getMetadata().getGeneration();
      // The gateway has not accepted the new generation: Baton holds step 0 and says why.
      BatonApp waiting = Apps.awaitStatus(client, "gw-status", a -> a.getStatus().message != null
          && a.getStatus().message.contains("Accepted for generation " + generation));
      assertThat(waiting.getStatus().currentStep).isZero();
      assertThat(waiting.getStatus().trafficWeight).isZero();

      reportRouteStatus(client, "gw-status", generation);
      BatonApp paused = awaitStep(client, "gw-status", 1, Phase.Paused);
      assertThat(paused.getStatus().trafficWeight).isEqualTo(30);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void aNewSpecMidCanaryTakesItsTrafficBackBeforeThePreviewServiceMoves(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = app(client, "respec", IngressSpec.Provider.nginx);
    canary(app, CanaryStep.weight(25), CanaryStep.pauseFor(null));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      Apps.setImage(client, "respec", "registry.example.com/shop/api:1.8.3");
      awaitStep(client, "respec", 1, Phase.Paused);
      assertThat(nginxWeight(client, "respec")).isEqualTo("25");

      // Both objects as the API server stores them, ordered by resourceVersion (one etcd).
      java.util.concurrent.ConcurrentSkipListMap<Long, String> history =
          new java.util.concurrent.ConcurrentSkipListMap<>();
      try (Watch ingresses = client.network().v1().ingresses().withName("respec-canary")
              .watch(new Watcher<>() {
                @Override
                public void eventReceived(Action action, Ingress ingress) {
                  history.put(Long.parseLong(ingress.getMetadata().getResourceVersion()),
                      "weight " + ingress.getMetadata().getAnnotations()
                          .get(NginxProvider.CANARY_WEIGHT));
                }

                @Override
                public void onClose(WatcherException cause) {}
              });
          Watch previews = client.services().withName("respec-preview").watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, io.fabric8.kubernetes.api.model.Service svc) {
              history.put(Long.parseLong(svc.getMetadata().getResourceVersion()),
                  "preview " + svc.getSpec().getSelector().get(Labels.REVISION_HASH));
            }

            @Override
            public void onClose(WatcherException cause) {}
          })) {
        Apps.setImage(client, "respec", "registry.example.com/shop/api:1.8.4");
        BatonApp again = Apps.awaitStatus(client, "respec",
            a -> a.getStatus().previewRevision != null
            && a.getStatus().previewRevision == 3 && a.getStatus().currentStep != null
            && a.getStatus().currentStep == 1 && a.getStatus().phase == Phase.Paused);
        String newHash = again.getStatus().previewHash;
        await().atMost(TIMEOUT).until(() -> history.containsValue("preview " + newHash));

        // Until the preview Service moves to the new revision, the old canary's 25% went to 0.
        String weight = "weight 25";
        for (String change : history.values()) {
          if (change.startsWith("weight ")) {
            weight = change;
          } else if (change.equals("preview " + newHash)) {
            assertThat(weight).as("the weight when the preview Service moved")
                .isEqualTo("weight 0");
            break;
          }
        }
      }
      assertThat(nginxWeight(client, "respec")).isEqualTo("25");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }
}
