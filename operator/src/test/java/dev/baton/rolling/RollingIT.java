package dev.baton.rolling;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BlueGreenSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.ClusterFiles;
import dev.baton.testcluster.KwokBehavior;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The rolling strategy on the test cluster: one Deployment {@code <app>} rolled by the Deployment
 * controller, with Baton's deadline, abort, undo and a switch from blue/green. A
 * {@link CapacityWatcher} checks through each rollout that the active Service never has fewer
 * ready endpoints than the replica count.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class RollingIT {

  private static final String IMAGE_2 = "registry.example.com/orders/api:2.4.1";

  /** The rolling example, renamed, with a short deadline for tests. */
  private static BatonApp example(KubernetesClient client, String name) {
    BatonApp app = ClusterFiles.load(client, "examples/rolling.yaml", BatonApp.class);
    app.getMetadata().setName(name);
    app.getSpec().progressDeadlineSeconds = 60;
    return app;
  }

  private static Deployment rollingDeployment(KubernetesClient client, String app) {
    return client.apps().deployments().withName(app).get();
  }

  private static String image(Deployment d) {
    return d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  private static BatonApp awaitActive(KubernetesClient client, String name, int revision) {
    return Apps.awaitStatus(client, name, a -> Integer.valueOf(revision)
        .equals(a.getStatus().activeRevision) && a.getStatus().phase == Phase.Healthy);
  }

  /** The Deployment controller has finished: every pod runs the template, old pods are gone. */
  private static void awaitRolledOut(KubernetesClient client, String app, String image) {
    await().atMost(TIMEOUT).until(() -> {
      Deployment d = rollingDeployment(client, app);
      var st = d.getStatus();
      return image.equals(image(d)) && st != null
          && d.getMetadata().getGeneration().equals(st.getObservedGeneration())
          && d.getSpec().getReplicas().equals(st.getUpdatedReplicas())
          && d.getSpec().getReplicas().equals(st.getReplicas())
          && d.getSpec().getReplicas().equals(st.getAvailableReplicas());
    });
  }

  @Test
  void aNewTemplateIsRolledThroughOneDeploymentWithCapacityHeld(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = example(client, "roll");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      assertThat(Apps.deploymentsOf(client, "roll")).extracting(d -> d.getMetadata().getName())
          .containsExactly("roll");
      assertThat(client.services().withName("roll").get().getSpec().getSelector())
          .isEqualTo(Map.of(Labels.APP, "roll", Labels.REVISION_HASH, Labels.ROLLING));

      Apps.setImage(client, "roll", IMAGE_2);
      BatonApp app = awaitActive(client, "roll", 2);

      Deployment d = rollingDeployment(client, "roll");
      assertThat(image(d)).isEqualTo(IMAGE_2);
      assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal())
          .isEqualTo("25%");
      assertThat(Apps.deploymentsOf(client, "roll")).hasSize(1);
      assertThat(app.getStatus().activeHash)
          .isEqualTo(d.getSpec().getTemplate().getMetadata().getLabels()
              .get(Labels.TEMPLATE_HASH));
      assertThat(app.getStatus().previewRevision).isNull();
      assertThat(app.getStatus().ready).isEqualTo("4/4");
      assertThat(app.getStatus().history).extracting(r -> r.revision).containsExactly(2, 1);
      assertThat(app.getStatus().history.get(0).promotedAt).isNotNull();
      assertThat(client.v1().events().withField("involvedObject.name", "roll").list().getItems())
          .extracting(e -> e.getReason()).contains("RolloutStarted", "Promoted");
      awaitRolledOut(client, "roll", IMAGE_2);
      // One Deployment: every pod's revision label is "rolling"; the image tells the versions.
      traffic.assertOnlyAfter(TrafficLedger.Outcome::image, IMAGE_2, Instant.now());
      traffic.assertNoFailedRequests();
      assertThat(watcher.violations()).isEmpty();
      assertThat(watcher.readyEndpoints()).isEqualTo(4);
    }
  }

  @Test
  void aTemplateNeverReadyIsRolledBackToThePreviousOneAtTheDeadline(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = example(client, "stuck");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String before = image(rollingDeployment(client, "stuck"));
      Instant start = Instant.now();
      Apps.edit(client, "stuck", a -> {
        a.getSpec().progressDeadlineSeconds = 6;
        a.getSpec().template.getSpec().getContainers().get(0).setImage(IMAGE_2);
        Apps.addPodLabels(a, Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY));
      });

      BatonApp app = Apps.awaitPhase(client, "stuck", Phase.Degraded);

      var degraded = Apps.condition(app, BlueGreenPlanner.DEGRADED).orElseThrow();
      assertThat(degraded.getReason()).isEqualTo("ProgressDeadlineExceeded");
      assertThat(degraded.getMessage()).contains("pods updated").contains("Back on revision 1");
      assertThat(app.getStatus().activeRevision).isEqualTo(1);
      awaitRolledOut(client, "stuck", before);
      assertThat(client.pods().withLabel(KwokBehavior.LABEL).list().getItems()).isEmpty();
      assertThat(client.v1().events().withField("involvedObject.name", "stuck").list().getItems())
          .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("RolloutAborted"));
      // Still aborted a while later: the same template is not rolled again without a retry.
      assertThat(Apps.get(client, "stuck").getStatus().phase).isEqualTo(Phase.Degraded);
      assertThat(watcher.violations()).isEmpty();
      // The new pods never became ready, so the old template answered every request.
      traffic.assertOnlyAfter(TrafficLedger.Outcome::image, before, start);
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void anAbortMidRolloutWritesThePreviousTemplateBack(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = example(client, "halt");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String before = image(rollingDeployment(client, "halt"));
      Instant start = Instant.now();
      Apps.edit(client, "halt", a -> {
        a.getSpec().template.getSpec().getContainers().get(0).setImage(IMAGE_2);
        Apps.addPodLabels(a, Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY));
      });
      Apps.awaitStatus(client, "halt", a -> Integer.valueOf(2).equals(a.getStatus().previewRevision));
      await().atMost(TIMEOUT).until(() -> IMAGE_2.equals(image(rollingDeployment(client, "halt"))));

      Apps.annotate(client, "halt", Commands.ABORT, "");
      BatonApp app = Apps.awaitPhase(client, "halt", Phase.Aborted);

      assertThat(Apps.condition(app, BlueGreenPlanner.PROGRESSING).orElseThrow().getReason())
          .isEqualTo("AbortedByUser");
      assertThat(app.getMetadata().getAnnotations()).doesNotContainKey(Commands.ABORT);
      awaitRolledOut(client, "halt", before);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyAfter(TrafficLedger.Outcome::image, before, start);
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void undoRollsTheDeploymentBackToTheEarlierTemplate(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = example(client, "undo");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String before = image(rollingDeployment(client, "undo"));
      Apps.setImage(client, "undo", IMAGE_2);
      awaitActive(client, "undo", 2);

      Apps.annotate(client, "undo", Commands.UNDO, "");
      BatonApp back = awaitActive(client, "undo", 1);

      assertThat(back.getStatus().rollback.revision).isEqualTo(1);
      assertThat(back.getSpec().template.getSpec().getContainers().get(0).getImage())
          .as("undo does not rewrite the spec").isEqualTo(IMAGE_2);
      awaitRolledOut(client, "undo", before);
      assertThat(Apps.deploymentsOf(client, "undo")).hasSize(1);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyAfter(TrafficLedger.Outcome::image, before, Instant.now());
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void switchingFromBlueGreenToRollingAndBackNeverCutsCapacity(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp example = Apps.example(client, "switch");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, example);
        AppTraffic traffic = AppTraffic.start(cluster, example)) {
      String hashed = client.services().withName("switch").get().getSpec().getSelector()
          .get(Labels.REVISION_HASH);

      Apps.edit(client, "switch", a -> {
        a.getSpec().strategy.blueGreen = null;
        a.getSpec().strategy.rolling = new RollingSpec();
      });
      Apps.awaitStatus(client, "switch", a -> a.getStatus().phase == Phase.Healthy
          && Labels.ROLLING.equals(client.services().withName("switch").get().getSpec()
              .getSelector().get(Labels.REVISION_HASH)));
      // The per-revision Deployment goes after its window (30 s by default).
      await().atMost(TIMEOUT).until(() -> client.apps().deployments()
          .withName("switch-" + hashed).get() == null);
      assertThat(Apps.deploymentsOf(client, "switch")).extracting(d -> d.getMetadata().getName())
          .containsExactly("switch");
      assertThat(watcher.violations()).isEmpty();

      // And back: a new per-revision Deployment takes over, the rolling one retires.
      Apps.edit(client, "switch", a -> {
        a.getSpec().strategy.rolling = null;
        a.getSpec().strategy.blueGreen = new BlueGreenSpec();
        a.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 2;
      });
      await().atMost(TIMEOUT).until(() -> rollingDeployment(client, "switch") == null);
      String selected = client.services().withName("switch").get().getSpec().getSelector()
          .get(Labels.REVISION_HASH);
      assertThat(selected).isNotEqualTo(Labels.ROLLING);
      BatonApp back = Apps.awaitPhase(client, "switch", Phase.Healthy);
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(back.getStatus().activeHash, Instant.now());
      traffic.assertNoFailedRequests();
      assertThat(watcher.readyEndpoints()).isEqualTo(3);
    }
  }
}
