package dev.baton.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.DataPlane;
import dev.baton.testcluster.KwokBehavior;
import dev.baton.testcluster.PodServer;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The traffic ledger catches what it is there to catch: a swap done wrong by hand (the Service
 * switched to pods that are not ready) and a Ready version that answers 500 both make the
 * zero-failed-request assertion fail, and a broken version's failures are told apart from the
 * proxy's.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class TrafficLedgerIT {

  private static void assumeTraffic() {
    Assumptions.assumeTrue(DataPlane.unavailableReason() == null,
        () -> "no real traffic in this run: " + DataPlane.unavailableReason());
  }

  private static Deployment deployment(String name, String version, String behavior) {
    Map<String, String> labels = new HashMap<>(Map.of("app", "by-hand", "version", version,
        "baton.dev/revision-hash", version));
    if (behavior != null) {
      labels.put(KwokBehavior.LABEL, behavior);
    }
    return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .withReplicas(2).withNewSelector().addToMatchLabels("app", "by-hand")
        .addToMatchLabels("version", version).endSelector().withNewTemplate().withNewMetadata()
        .withLabels(labels).endMetadata().withNewSpec().addNewContainer().withName("api")
        .withImage("registry.example.com/by-hand:" + version).addNewPort().withName("http")
        .withContainerPort(8080).endPort().endContainer().endSpec().endTemplate().endSpec()
        .build();
  }

  @Test
  void aServiceSwitchedToPodsThatAreNotReadyFailsTheZeroFailedRequestAssertion(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    client.resource(deployment("by-hand-v1", "v1", null)).create();
    client.resource(deployment("by-hand-v2", "v2", KwokBehavior.NEVER_READY)).create();
    client.resource(new ServiceBuilder().withNewMetadata().withName("by-hand").endMetadata()
        .withNewSpec().addToSelector("app", "by-hand").addToSelector("version", "v1")
        .addNewPort().withPort(80).withNewTargetPort("http").endPort().endSpec().build()).create();
    client.apps().deployments().withName("by-hand-v1").waitUntilCondition(d -> d != null
        && d.getStatus() != null && Integer.valueOf(2).equals(d.getStatus().getReadyReplicas()),
        60, TimeUnit.SECONDS);
    try (AppTraffic traffic = AppTraffic.toService(cluster, "by-hand", 80)) {
      assumeTraffic();
      traffic.assertOnlyRevisionAfter("v1", Instant.now());
      traffic.assertNoFailedRequests();

      // The swap done wrong: the selector moves to a version none of whose pods is ready.
      client.services().withName("by-hand").edit(s -> {
        s.getSpec().getSelector().put("version", "v2");
        return s;
      });
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> !traffic.ledger().failures().isEmpty());

      assertThatThrownBy(traffic::assertNoFailedRequests).isInstanceOf(AssertionError.class)
          .hasMessageContaining("failed requests to by-hand.");
      // The proxy answered (no endpoint), not a pod of a broken version: not excusable either.
      assertThat(traffic.ledger().failures()).allSatisfy(f -> assertThat(f.revision()).isNull());
      assertThatThrownBy(() -> traffic.assertFailuresOnlyWhere(
          f -> "v2".equals(f.revision()), "v2's own answers"))
          .isInstanceOf(AssertionError.class);
    }
  }

  @Test
  void aReadyVersionThatAnswers500IsSwappedInAndTheLedgerCountsItsFailures(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "bad");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      assumeTraffic();
      // Ready, so Baton swaps to it: only an analysis could tell it is bad.
      Apps.edit(client, "bad", a -> {
        a.getSpec().template.getSpec().getContainers().get(0)
            .setImage("registry.example.com/shop/api:broken");
        if (a.getSpec().template.getMetadata().getAnnotations() == null) {
          a.getSpec().template.getMetadata().setAnnotations(new HashMap<>());
        }
        a.getSpec().template.getMetadata().getAnnotations().put(PodServer.ERROR_RATE, "1");
      });
      BatonApp switched = Apps.awaitStatus(client, "bad",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision));
      String broken = switched.getStatus().activeHash;
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> traffic.ledger().failures().size() >= 10);

      assertThatThrownBy(traffic::assertNoFailedRequests).isInstanceOf(AssertionError.class)
          .hasMessageContaining("500 from bad-" + broken);
      // Every failure is the broken version's own answer, and only that is excused.
      traffic.assertFailuresOnlyWhere(f -> f.status() == 500 && broken.equals(f.revision()),
          "the version broken on purpose");
      assertThat(traffic.ledger().failures()).extracting(TrafficLedger.Outcome::revision)
          .containsOnly(broken);
      assertThat(watcher.violations()).isEmpty();
    }
  }
}
