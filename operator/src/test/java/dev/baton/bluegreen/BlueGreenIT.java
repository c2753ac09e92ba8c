package dev.baton.bluegreen;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.KwokBehavior;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The blue/green core on the test cluster: every assertion reads what the cluster shows, a
 * {@link CapacityWatcher} checks through each rollout that the active Service never has fewer
 * ready endpoints than the live replica count, and {@link AppTraffic} sends real requests through
 * the proxy to the active Service the whole time: none may fail, and once Baton reports a switch
 * only the new revision answers.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class BlueGreenIT {

  private static String activeHash(KubernetesClient client, String app) {
    Service s = client.services().withName(app).get();
    return s.getSpec().getSelector().get(Labels.REVISION_HASH);
  }

  @Test
  void firstApplyDeploysOneVersionBehindAnActiveAndAPreviewService(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "first");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      BatonApp app = Apps.get(client, "first");

      assertThat(Apps.deploymentsOf(client, "first")).hasSize(1)
          .allSatisfy(d -> assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(3));
      assertThat(app.getStatus().activeRevision).isEqualTo(1);
      assertThat(app.getStatus().ready).isEqualTo("3/3");
      assertThat(app.getStatus().selector).isEqualTo("baton.dev/app=first");
      assertThat(client.services().withName("first-preview").get().getSpec().getSelector())
          .isEqualTo(client.services().withName("first").get().getSpec().getSelector());
      assertThat(Apps.condition(app, BlueGreenPlanner.AVAILABLE).orElseThrow().getStatus())
          .isEqualTo("True");
      assertThat(watcher.readyEndpoints()).isEqualTo(3);
      traffic.assertOnlyRevisionAfter(app.getStatus().activeHash, Instant.now());
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void aNewImageIsSwappedInOnceReadyAndTheOldVersionIsScaledDownAfterTheDelay(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "swap");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String before = activeHash(client, "swap");

      Apps.setImage(client, "swap", "registry.example.com/shop/api:1.8.3");
      BatonApp switched = Apps.awaitStatus(client, "swap",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision));
      Instant reported = Instant.now();
      traffic.assertOnlyRevisionAfter(switched.getStatus().activeHash, reported);
      BatonApp app = Apps.awaitStatus(client, "swap",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
              && a.getStatus().phase == Phase.Healthy);

      assertThat(activeHash(client, "swap")).isNotEqualTo(before);
      // Scaled to zero after the window, then deleted: its template stays in the history.
      await().atMost(TIMEOUT).until(() -> client.apps().deployments()
          .withName("swap-" + before).get() == null);
      assertThat(client.apps().controllerRevisions().withLabel(Labels.APP, "swap").list()
          .getItems()).hasSize(2);
      assertThat(app.getStatus().history).extracting(r -> r.revision).containsExactly(2, 1);
      // GitOps: outside status, every field of the BatonApp still belongs to whoever applied it.
      assertThat(app.getMetadata().getManagedFields())
          .filteredOn(f -> !"status".equals(f.getSubresource()))
          .extracting(f -> f.getManager())
          .doesNotContain("baton", "batonapp");
      assertThat(app.getStatus().history.get(0).images)
          .containsExactly("registry.example.com/shop/api:1.8.3");
      assertThat(watcher.violations()).isEmpty();
      assertThat(watcher.readyEndpoints()).isEqualTo(3);
      // Through the old pods' deletion too: they were scaled down after the proxy moved on.
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void aVersionThatNeverBecomesReadyNeverGetsTrafficAndIsAbortedAtTheDeadline(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "stuck");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String live = activeHash(client, "stuck");
      Instant before = Instant.now();
      Apps.edit(client, "stuck", a -> {
        a.getSpec().progressDeadlineSeconds = 6;
        Apps.addPodLabels(a, Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY));
      });

      BatonApp app = Apps.awaitPhase(client, "stuck", Phase.Degraded);

      var degraded = Apps.condition(app, BlueGreenPlanner.DEGRADED).orElseThrow();
      assertThat(degraded.getReason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(degraded.getMessage()).contains("readiness probe failing");
      assertThat(activeHash(client, "stuck")).isEqualTo(live);
      assertThat(client.apps().deployments().withName("stuck-" + live).get().getSpec()
          .getReplicas()).isEqualTo(3);
      await().atMost(TIMEOUT).until(() -> Apps.deploymentsOf(client, "stuck").stream()
          .filter(d -> !d.getMetadata().getName().equals("stuck-" + live))
          .allMatch(d -> d.getSpec().getReplicas() == 0));
      assertThat(client.v1().events().withField("involvedObject.name", "stuck").list().getItems())
          .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutAborted"));
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(live, before);
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void aCrashLoopingVersionIsAbortedWithTheReasonInTheCondition(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "crashy");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String live = activeHash(client, "crashy");
      Instant before = Instant.now();
      Apps.edit(client, "crashy", a -> {
        a.getSpec().progressDeadlineSeconds = 8;
        Apps.addPodLabels(a, Map.of(KwokBehavior.LABEL, KwokBehavior.CRASH_LOOP));
      });

      BatonApp app = Apps.awaitPhase(client, "crashy", Phase.Degraded);

      assertThat(Apps.condition(app, BlueGreenPlanner.DEGRADED).orElseThrow().getMessage())
          .contains("CrashLoopBackOff");
      assertThat(app.getStatus().activeRevision).isEqualTo(1);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(live, before);
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void withoutAutoPromotionTheReadyPreviewWaitsForAPromote(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "manual");
    example.getSpec().strategy.blueGreen.autoPromotion = false;
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String live = activeHash(client, "manual");
      Instant before = Instant.now();
      Apps.setImage(client, "manual", "registry.example.com/shop/api:2");

      BatonApp waiting = Apps.awaitStatus(client, "manual", a -> a.getStatus().phase == Phase.Paused
          && Integer.valueOf(3).equals(a.getStatus().previewReadyReplicas));
      assertThat(waiting.getStatus().activeRevision).isEqualTo(1);
      assertThat(waiting.getStatus().previewRevision).isEqualTo(2);
      // A ready preview takes no traffic before the promote.
      traffic.assertOnlyRevisionAfter(live, before);

      Apps.annotate(client, "manual", Commands.PROMOTE, "true");
      BatonApp promoted = Apps.awaitStatus(client, "manual",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision));
      traffic.assertOnlyRevisionAfter(promoted.getStatus().activeHash, Instant.now());

      // The command is removed after the status write that records it: wait, don't race it.
      await().atMost(TIMEOUT).until(() -> !Apps.get(client, "manual").getMetadata()
          .getAnnotations().containsKey(Commands.PROMOTE));
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void anAbortMidPreviewScalesThePreviewToZeroAndKeepsServing(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "halt");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String live = activeHash(client, "halt");
      Instant before = Instant.now();
      Apps.edit(client, "halt", a -> Apps.addPodLabels(a,
          Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY)));
      Apps.awaitStatus(client, "halt", a -> a.getStatus().previewRevision != null);

      Apps.annotate(client, "halt", Commands.ABORT, "true");
      BatonApp app = Apps.awaitPhase(client, "halt", Phase.Aborted);

      assertThat(activeHash(client, "halt")).isEqualTo(live);
      await().atMost(TIMEOUT).until(() -> Apps.deploymentsOf(client, "halt").stream()
          .filter(d -> !d.getMetadata().getName().equals("halt-" + live))
          .allMatch(d -> d.getSpec().getReplicas() == 0));
      assertThat(Apps.condition(app, BlueGreenPlanner.PROGRESSING).orElseThrow().getReason())
          .isEqualTo("AbortedByUser");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(live, before);
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void scalingThroughTheScaleSubresourceDuringARolloutResizesBothVersions(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "scaled");
    example.getSpec().strategy.blueGreen.autoPromotion = false;
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      Apps.setImage(client, "scaled", "registry.example.com/shop/api:2");
      Apps.awaitStatus(client, "scaled", a -> a.getStatus().phase == Phase.Paused);

      Apps.resource(client, "scaled").scale(5);
      await().atMost(TIMEOUT).until(() -> watcher.readyEndpoints() == 5);
      watcher.require(5);
      Apps.annotate(client, "scaled", Commands.PROMOTE, "");

      BatonApp app = Apps.awaitStatus(client, "scaled", a -> "5/5".equals(a.getStatus().ready)
          && Integer.valueOf(2).equals(a.getStatus().activeRevision)
          && a.getStatus().phase == Phase.Healthy);
      assertThat(app.getStatus().replicas).isEqualTo(5);
      assertThat(client.apps().deployments().withName("scaled-" + app.getStatus().activeHash)
          .get().getStatus().getAvailableReplicas()).isEqualTo(5);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(app.getStatus().activeHash, Instant.now());
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void anInvalidSpecIsRejectedByTheApiServerWithAMessageNamingTheField(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = Apps.example(client, "invalid");
    app.getSpec().minReadySeconds = 120;
    app.getSpec().progressDeadlineSeconds = 60;

    assertThatThrownBy(() -> client.resource(app).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.progressDeadlineSeconds")
        .hasMessageContaining("must be greater than minReadySeconds");

    BatonApp labelled = Apps.example(client, "invalid");
    Apps.addPodLabels(labelled, Map.of("baton.dev/revision-hash", "x"));
    assertThatThrownBy(() -> client.resource(labelled).create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.template.metadata.labels");
  }

  @Test
  void aSpecTheSchemaCannotCatchSetsInvalidSpecAndLeavesTheLiveVersionAlone(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "typo");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String live = activeHash(client, "typo");
      Apps.edit(client, "typo", a -> {
        a.getSpec().service.targetPort = new io.fabric8.kubernetes.api.model.IntOrString("htp");
        a.getSpec().template.getSpec().getContainers().get(0).setImage("api:typo");
      });

      BatonApp app = Apps.awaitStatus(client, "typo", a -> Apps.condition(a,
          BlueGreenPlanner.INVALID_SPEC).map(c -> "True".equals(c.getStatus())).orElse(false));

      assertThat(Apps.condition(app, BlueGreenPlanner.INVALID_SPEC).orElseThrow().getMessage())
          .contains("targetPort 'htp'");
      assertThat(Apps.deploymentsOf(client, "typo")).hasSize(1);
      assertThat(activeHash(client, "typo")).isEqualTo(live);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }
}
