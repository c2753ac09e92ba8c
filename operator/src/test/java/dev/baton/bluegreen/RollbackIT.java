package dev.baton.bluegreen;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Undo (warm and cold), restart, pause by annotation, and revisions from ConfigMap content. */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class RollbackIT {

  private static BatonApp awaitActive(KubernetesClient client, String name, int revision) {
    return Apps.awaitStatus(client, name, a -> Integer.valueOf(revision)
        .equals(a.getStatus().activeRevision) && a.getStatus().phase == Phase.Healthy);
  }

  @Test
  void undoWhileThePreviousVersionIsWarmSwitchesBackAtOnce(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = Apps.example(client, "warm");
    app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 300;
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      Apps.setImage(client, "warm", "registry.example.com/shop/api:2");
      awaitActive(client, "warm", 2);
      assertThat(Apps.deploymentsOf(client, "warm")).hasSize(2)
          .allSatisfy(d -> assertThat(d.getSpec().getReplicas()).isEqualTo(3));

      Apps.annotate(client, "warm", Commands.UNDO, "");
      BatonApp back = awaitActive(client, "warm", 1);
      traffic.assertOnlyRevisionAfter(back.getStatus().activeHash, Instant.now());

      assertThat(back.getStatus().rollback.revision).isEqualTo(1);
      assertThat(back.getSpec().template.getSpec().getContainers().get(0).getImage())
          .as("undo does not rewrite the spec").isEqualTo("registry.example.com/shop/api:2");
      await().atMost(TIMEOUT).until(() -> !Apps.get(client, "warm").getMetadata()
          .getAnnotations().containsKey(Commands.UNDO));
      assertThat(client.v1().events().withField("involvedObject.name", "warm").list().getItems())
          .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolledBack"));
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void undoAfterTheOldDeploymentIsGoneRollsTheRevisionOutFromHistory(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "cold");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      Apps.setImage(client, "cold", "registry.example.com/shop/api:2");
      awaitActive(client, "cold", 2);
      await().atMost(TIMEOUT).until(() -> Apps.deploymentsOf(client, "cold").size() == 1);

      Apps.annotate(client, "cold", Commands.UNDO, "1");
      BatonApp back = awaitActive(client, "cold", 1);
      traffic.assertOnlyRevisionAfter(back.getStatus().activeHash, Instant.now());

      assertThat(back.getStatus().activeHash).isEqualTo(back.getStatus().history.stream()
          .filter(r -> r.revision == 1).findFirst().orElseThrow().hash);
      assertThat(watcher.violations()).isEmpty();

      // A new template rolls forward again and ends the undo.
      Apps.setImage(client, "cold", "registry.example.com/shop/api:3");
      BatonApp forward = awaitActive(client, "cold", 3);
      assertThat(forward.getStatus().rollback).isNull();
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(forward.getStatus().activeHash, Instant.now());
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void aChangeToAReferencedConfigMapsContentStartsANewRevision(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    client.resource(new ConfigMapBuilder().withNewMetadata().withName("shop-config").endMetadata()
        .addToData("LOG_LEVEL", "info").build()).create();
    BatonApp app = Apps.example(client, "configured");
    app.getSpec().template.getSpec().getContainers().get(0).setEnvFrom(List.of(
        new EnvFromSourceBuilder().withNewConfigMapRef().withName("shop-config").endConfigMapRef()
            .build()));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app)) {
      client.configMaps().withName("shop-config").edit(cm -> {
        cm.getData().put("LOG_LEVEL", "debug");
        return cm;
      });

      awaitActive(client, "configured", 2);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void aRestartReplacesTheLivePodsWithoutDroppingCapacity(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "restarted");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      List<String> before = client.pods().withLabel(Labels.APP, "restarted").list().getItems()
          .stream().map(p -> p.getMetadata().getName()).toList();

      Apps.annotate(client, "restarted", Commands.RESTART, "2026-01-01T00:00:00Z");

      await().atMost(TIMEOUT).untilAsserted(() -> {
        var pods = client.pods().withLabel(Labels.APP, "restarted").list().getItems();
        assertThat(pods).hasSize(3).noneMatch(p -> before.contains(p.getMetadata().getName()));
        assertThat(pods).allSatisfy(p -> assertThat(p.getMetadata().getAnnotations())
            .containsEntry(Labels.RESTARTED_AT, "2026-01-01T00:00:00Z"));
      });
      assertThat(Apps.get(client, "restarted").getStatus().activeRevision).isEqualTo(1);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void thePausedAnnotationHoldsANewRevisionUntilItIsRemoved(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    try (CapacityWatcher watcher = Apps.deployHealthy(client, Apps.example(client, "held"))) {
      Apps.annotate(client, "held", Commands.PAUSED, "true");
      Apps.setImage(client, "held", "registry.example.com/shop/api:2");

      BatonApp paused = Apps.awaitPhase(client, "held", Phase.Paused);
      assertThat(Apps.deploymentsOf(client, "held")).hasSize(1);
      assertThat(paused.getStatus().activeRevision).isEqualTo(1);

      Apps.edit(client, "held", a -> a.getMetadata().getAnnotations().remove(Commands.PAUSED));
      awaitActive(client, "held", 2);
      assertThat(watcher.violations()).isEmpty();
    }
  }
}
