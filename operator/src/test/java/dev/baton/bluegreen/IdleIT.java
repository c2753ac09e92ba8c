package dev.baton.bluegreen;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.api.v1alpha1.TrafficStep;
import java.util.List;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Labels;
import dev.baton.testcluster.ApiServerWrites;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An idle, healthy app costs the API server no writes: every reconcile of it is a no-op, for each
 * strategy and traffic provider.
 */
@ExtendWith(TestClusterExtension.class)
class IdleIT {

  /** A canary (or a stepped blue/green) through a provider, with steps that need no promote. */
  private static BatonApp withTraffic(KubernetesClient client, String name,
      IngressSpec.Provider provider, boolean canary) {
    BatonApp app = dev.baton.traffic.TrafficApps.behind(client, name, provider);
    if (canary) {
      app.getSpec().strategy.blueGreen = null;
      app.getSpec().strategy.canary = new CanarySpec();
      app.getSpec().strategy.canary.scaleDownDelaySeconds = 2;
      app.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50),
          CanaryStep.pauseFor(1));
    } else {
      TrafficStep step = new TrafficStep();
      step.weight = 50;
      step.pauseSeconds = 1;
      app.getSpec().strategy.blueGreen.trafficSteps = List.of(step);
    }
    return app;
  }

  private static BatonApp rolling(KubernetesClient client, String name) {
    BatonApp app = Apps.example(client, name);
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.rolling = new RollingSpec();
    return app;
  }

  @Test
  void aHealthyAppAfterARolloutMakesNoWriteRequestsForThirtySeconds(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    try (InProcessOperator operator = InProcessOperator.start(cluster)) {
      // One app per strategy and traffic provider, each rolled out once, then left alone.
      List<BatonApp> apps = List.of(Apps.example(client, "idle"),
          withTraffic(client, "idle-nginx", IngressSpec.Provider.nginx, true),
          withTraffic(client, "idle-gw", IngressSpec.Provider.gatewayAPI, false),
          withTraffic(client, "idle-traefik", IngressSpec.Provider.traefik, true),
          rolling(client, "idle-rolling"));
      for (BatonApp app : apps) {
        client.resource(app).create();
      }
      for (BatonApp app : apps) {
        String name = app.getMetadata().getName();
        Apps.awaitPhase(client, name, Phase.Healthy);
        Apps.setImage(client, name, "registry.example.com/shop/api:2");
      }
      for (BatonApp app : apps) {
        Apps.awaitStatus(client, app.getMetadata().getName(),
            a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
                && a.getStatus().phase == Phase.Healthy);
      }
      await().atMost(TIMEOUT).until(() -> apps.stream().allMatch(a -> client.apps().deployments()
          .withLabel(Labels.APP, a.getMetadata().getName()).list().getItems().size() == 1));

      // The metrics cannot tell clients apart: let earlier test classes' namespaces finish
      // terminating (the garbage collector's deletes) before counting.
      await().atMost(Duration.ofSeconds(120)).until(() -> client.namespaces().list().getItems()
          .stream().noneMatch(ns -> "Terminating".equals(ns.getStatus().getPhase())));
      Map<String, Long> before = ApiServerWrites.byVerb(client);
      try {
        await().during(Duration.ofSeconds(30)).atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> ApiServerWrites.byVerb(client).equals(before));
      } catch (org.awaitility.core.ConditionTimeoutException e) {
        // Fall through to an assertion that shows which writes happened.
      }

      assertThat(ApiServerWrites.byVerb(client)).as("write requests by verb and resource")
          .isEqualTo(before);
    }
  }
}
