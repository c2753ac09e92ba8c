package dev.baton.bluegreen;

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

/** An idle, healthy app costs the API server no writes: every reconcile of it is a no-op. */
@ExtendWith(TestClusterExtension.class)
class IdleIT {

  @Test
  void aHealthyAppAfterARolloutMakesNoWriteRequestsForThirtySeconds(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    try (InProcessOperator operator = InProcessOperator.start(cluster)) {
      client.resource(Apps.example(client, "idle")).create();
      Apps.awaitPhase(client, "idle", Phase.Healthy);
      Apps.setImage(client, "idle", "registry.example.com/shop/api:2");
      Apps.awaitStatus(client, "idle", a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
          && a.getStatus().phase == Phase.Healthy);
      await().atMost(TIMEOUT).until(() ->
          client.apps().deployments().withLabel(Labels.APP, "idle").list().getItems().size() == 1);

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
