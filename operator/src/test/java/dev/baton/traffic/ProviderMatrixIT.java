package dev.baton.traffic;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Commands;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.RunningOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import dev.baton.traffic.gatewayapi.GatewayApiProvider;
import dev.baton.traffic.nginx.NginxProvider;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteMatchBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same canary through every provider: each step's weight on the stored objects, a rule (or
 * route) another tool added that survives every Baton write, an operator restart mid-step that
 * resumes at the same weight, abort back to 0% and the canary scaled down, and the capacity
 * invariant throughout. Weights are read from the stored objects by this test's own readers,
 * and checked on real traffic through Traefik (its ingress-nginx, Gateway API and CRD providers):
 * each revision's share of the answers, only the live revision after the abort, no failed request.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class ProviderMatrixIT {

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


  /** What the test needs from one provider: its stored weight, a foreign edit, and its check. */
  private interface Stored {
    Optional<Integer> weight(KubernetesClient client, String app);

    void addForeignEntry(KubernetesClient client, String app);

    boolean foreignEntrySurvived(KubernetesClient client, String app);
  }

  private static Stored stored(IngressSpec.Provider provider) {
    return switch (provider) {
      case nginx -> new Stored() {
        public Optional<Integer> weight(KubernetesClient c, String app) {
          return Optional.ofNullable(c.network().v1().ingresses().withName(app + "-canary").get())
              .map(i -> Integer.parseInt(i.getMetadata().getAnnotations()
                  .get(NginxProvider.CANARY_WEIGHT)));
        }

        public void addForeignEntry(KubernetesClient c, String app) {
          c.network().v1().ingresses().withName(app).edit(i -> {
            i.getSpec().getRules().add(new IngressRuleBuilder().withHost("legacy.example.com")
                .withNewHttp().addNewPath().withPath("/").withPathType("Prefix")
                .withNewBackend().withNewService().withName("legacy").withNewPort()
                .withNumber(80).endPort().endService().endBackend().endPath().endHttp()
                .build());
            return i;
          });
        }

        public boolean foreignEntrySurvived(KubernetesClient c, String app) {
          Ingress i = c.network().v1().ingresses().withName(app).get();
          return i.getSpec().getRules().stream()
              .anyMatch(r -> "legacy.example.com".equals(r.getHost()));
        }
      };
      case gatewayAPI -> new Stored() {
        public Optional<Integer> weight(KubernetesClient c, String app) {
          return Optional.ofNullable(c.resources(HTTPRoute.class).withName(app).get())
              .flatMap(r -> r.getSpec().getRules().stream()
                  .filter(x -> GatewayApiProvider.RULE.equals(x.getName())).findFirst())
              .map(x -> x.getBackendRefs().get(1).getWeight());
        }

        public void addForeignEntry(KubernetesClient c, String app) {
          c.resources(HTTPRoute.class).withName(app).edit(r -> {
            r.getSpec().getRules().add(new HTTPRouteRuleBuilder().withName("legacy")
                .withMatches(new HTTPRouteMatchBuilder().withNewPath().withType("PathPrefix")
                    .withValue("/legacy").endPath().build())
                .addNewBackendRef().withName("legacy").withPort(80).endBackendRef().build());
            return r;
          });
        }

        public boolean foreignEntrySurvived(KubernetesClient c, String app) {
          return c.resources(HTTPRoute.class).withName(app).get().getSpec().getRules().stream()
              .anyMatch(r -> "legacy".equals(r.getName()));
        }
      };
      case traefik -> new Stored() {
        @SuppressWarnings("unchecked")
        public Optional<Integer> weight(KubernetesClient c, String app) {
          return Optional.ofNullable(c.genericKubernetesResources("traefik.io/v1alpha1",
                  "TraefikService").withName(app).get())
              .map(s -> (Map<String, Object>) s.getAdditionalProperties().get("spec"))
              .map(spec -> (List<Map<String, Object>>) ((Map<String, Object>) spec
                  .get("weighted")).get("services"))
              // A Service at weight 0 is left out of the TraefikService.
              .map(list -> list.stream()
                  .filter(e -> String.valueOf(e.get("name")).endsWith("-preview"))
                  .mapToInt(e -> ((Number) e.get("weight")).intValue()).sum());
        }

        @SuppressWarnings("unchecked")
        public void addForeignEntry(KubernetesClient c, String app) {
          c.genericKubernetesResources("traefik.io/v1alpha1", "IngressRoute").withName(app)
              .edit(r -> {
                ((List<Object>) ((Map<String, Object>) r.getAdditionalProperties().get("spec"))
                    .get("routes")).add(Map.of("kind", "Rule", "match", "PathPrefix(`/legacy`)",
                        "services", List.of(Map.of("name", "legacy", "port", 80))));
                return r;
              });
        }

        public boolean foreignEntrySurvived(KubernetesClient c, String app) {
          GenericKubernetesResource r = c.genericKubernetesResources("traefik.io/v1alpha1",
              "IngressRoute").withName(app).get();
          return r.getAdditionalProperties().toString().contains("PathPrefix(`/legacy`)");
        }
      };
      case none -> throw new IllegalArgumentException("no objects");
    };
  }



  private static BatonApp awaitStep(KubernetesClient client, String name, int step) {
    return Apps.awaitStatus(client, name, a -> a.getStatus().currentStep != null
        && a.getStatus().currentStep == step && a.getStatus().phase == Phase.Paused);
  }

  private static int canaryPods(KubernetesClient client, String name) {
    String live = Apps.get(client, name).getStatus().activeHash;
    return Apps.deploymentsOf(client, name).stream()
        .filter(d -> !d.getMetadata().getName().equals(name + "-" + live))
        .mapToInt(d -> d.getSpec().getReplicas()).sum();
  }

  @ParameterizedTest
  @EnumSource(value = IngressSpec.Provider.class, names = {"nginx", "gatewayAPI", "traefik"})
  void aCanaryStepsResumesAfterARestartAndAbortsThroughEveryProvider(
      IngressSpec.Provider provider, TestCluster cluster, RunningOperator operator) {
    KubernetesClient client = cluster.client();
    String name = "matrix-" + provider.name().toLowerCase();
    Stored stored = stored(provider);
    BatonApp app = TrafficApps.behind(client, name, provider);
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.canary = new CanarySpec();
    app.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(25),
        CanaryStep.pauseFor(null), CanaryStep.weight(50), CanaryStep.pauseFor(null));

    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      await().atMost(TIMEOUT).until(() -> stored.weight(client, name).equals(Optional.of(0)));
      stored.addForeignEntry(client, name);
      String live = Apps.get(client, name).getStatus().activeHash;

      Apps.setImage(client, name, "registry.example.com/shop/api:1.8.3");
      BatonApp first = awaitStep(client, name, 1);
      traffic.assertShare(first.getStatus().previewHash, 25, java.time.Instant.now());
      assertThat(stored.weight(client, name)).contains(25);
      assertThat(canaryPods(client, name)).isEqualTo(1);

      // Sample the stored weight while the operator restarts: it never goes back to zero.
      List<Optional<Integer>> samples = new CopyOnWriteArrayList<>();
      ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
      sampler.scheduleAtFixedRate(() -> samples.add(stored.weight(client, name)), 0, 50,
          TimeUnit.MILLISECONDS);
      try {
        operator.restart();
        Apps.annotate(client, name, Commands.PROMOTE, "");
        BatonApp third = awaitStep(client, name, 3);
        traffic.assertShare(third.getStatus().previewHash, 50, java.time.Instant.now());
      } finally {
        sampler.shutdownNow();
      }
      assertThat(samples).isNotEmpty().allSatisfy(w -> assertThat(w.orElseThrow()).isIn(25, 50));
      assertThat(stored.weight(client, name)).contains(50);
      assertThat(canaryPods(client, name)).isEqualTo(2);

      Apps.annotate(client, name, Commands.ABORT, "");
      Apps.awaitPhase(client, name, Phase.Aborted);
      traffic.assertOnlyRevisionAfter(live, java.time.Instant.now());
      assertThat(stored.weight(client, name)).contains(0);
      await().atMost(TIMEOUT).until(() -> canaryPods(client, name) == 0);
      assertThat(stored.foreignEntrySurvived(client, name)).isTrue();
      assertThat(Apps.get(client, name).getStatus().activeRevision).isEqualTo(1);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }
}
