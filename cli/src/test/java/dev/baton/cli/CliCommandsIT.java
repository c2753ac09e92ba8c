package dev.baton.cli;

import static dev.baton.cli.ClusterApps.awaitStatus;
import static dev.baton.cli.ClusterApps.createHealthy;
import static dev.baton.cli.ClusterApps.setImage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each manual command of {@code kubectl baton}, run in process against the test cluster with the
 * operator running: the command writes its annotation and the operator acts on it.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class CliCommandsIT {

  private static CliRun.Result ok(TestCluster cluster, String... args) {
    CliRun.Result result = CliRun.run(cluster, args);
    assertThat(result.exitCode()).as("exit code; stderr: %s", result.err()).isZero();
    return result;
  }

  @Test
  void promoteSwitchesToTheWaitingRevision(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    createHealthy(client, "promoted", false);
    setImage(client, "promoted", "registry.example.com/shop/api:1.8.3");
    awaitStatus(client, "promoted", a -> a.getStatus().phase == Phase.Paused
        && Integer.valueOf(2).equals(a.getStatus().previewRevision));

    CliRun.Result result = ok(cluster, "promote", "promoted");

    assertThat(result.out()).isEqualTo("batonapp.baton.dev/promoted promotion requested\n");
    BatonApp app = awaitStatus(client, "promoted", a -> a.getStatus().activeRevision == 2
        && a.getStatus().phase == Phase.Healthy);
    assertThat(app.getMetadata().getAnnotations()).doesNotContainKey(Commands.PROMOTE);
  }

  @Test
  void promoteWithNothingWaitingIsRefused(TestCluster cluster) {
    createHealthy(cluster.client(), "nothing-waiting", false);

    CliRun.Result result = CliRun.run(cluster, "promote", "--full", "nothing-waiting");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).startsWith("error: nothing-waiting has no new revision waiting");
  }

  @Test
  void abortStopsTheRolloutAndKeepsTheLiveVersion(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    createHealthy(client, "aborted", false);
    setImage(client, "aborted", "registry.example.com/shop/api:1.8.3");
    awaitStatus(client, "aborted", a -> Integer.valueOf(2).equals(a.getStatus().previewRevision));

    ok(cluster, "abort", "aborted");

    BatonApp app = awaitStatus(client, "aborted", a -> a.getStatus().phase == Phase.Aborted);
    assertThat(app.getStatus().activeRevision).isEqualTo(1);
  }

  @Test
  void pauseHoldsARolloutAndResumeLetsItFinish(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    createHealthy(client, "paused", true);

    ok(cluster, "pause", "paused");
    assertThat(ClusterApps.get(client, "paused").getMetadata().getAnnotations())
        .containsEntry(Commands.PAUSED, "true");
    setImage(client, "paused", "registry.example.com/shop/api:1.8.3");

    // A paused app shows Paused once a new revision waits, and starts no Deployment for it.
    BatonApp held = awaitStatus(client, "paused", a -> a.getStatus().phase == Phase.Paused
        && a.getMetadata().getGeneration().equals(a.getStatus().observedGeneration));
    assertThat(held.getStatus().activeRevision).isEqualTo(1);
    assertThat(client.apps().deployments().withLabel(Labels.APP, "paused").list().getItems())
        .hasSize(1);

    ok(cluster, "resume", "paused");

    assertThat(ClusterApps.get(client, "paused").getMetadata().getAnnotations())
        .doesNotContainKey(Commands.PAUSED);
    awaitStatus(client, "paused", a -> a.getStatus().activeRevision == 2
        && a.getStatus().phase == Phase.Healthy);
  }

  @Test
  void undoToRevisionOneRollsBack(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    createHealthy(client, "undone", true);
    setImage(client, "undone", "registry.example.com/shop/api:1.8.3");
    awaitStatus(client, "undone", a -> a.getStatus().activeRevision == 2
        && a.getStatus().phase == Phase.Healthy);

    ok(cluster, "undo", "undone", "--to-revision", "1");

    BatonApp app = awaitStatus(client, "undone", a -> a.getStatus().activeRevision == 1
        && a.getStatus().rollback != null);
    assertThat(app.getStatus().rollback.revision).isEqualTo(1);
    assertThat(CliRun.run(cluster, "undo", "undone", "--to-revision", "9").err())
        .contains("revision 9 is not in the history of undone");
  }

  @Test
  void restartReplacesTheLivePods(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    createHealthy(client, "restarted", true);
    Set<String> before = podNames(client, "restarted");

    ok(cluster, "restart", "restarted");

    assertThat(ClusterApps.get(client, "restarted").getMetadata().getAnnotations())
        .containsKey(Commands.RESTART);
    await().atMost(ClusterApps.TIMEOUT).until(() -> {
      Set<String> now = podNames(client, "restarted");
      return now.size() == 3 && now.stream().noneMatch(before::contains);
    });
    awaitStatus(client, "restarted", a -> a.getStatus().phase == Phase.Healthy
        && "3/3".equals(a.getStatus().ready));
  }

  @Test
  void unknownAppIsAnErrorThatSaysWhereToLook(TestCluster cluster) {
    CliRun.Result result = CliRun.run(cluster, "promote", "nope");

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).isEqualTo("error: batonapp \"nope\" not found in namespace \""
        + cluster.namespace() + "\"\nhint: list the apps with: kubectl baton list -n "
        + cluster.namespace() + " (or kubectl baton list -A)\n");
  }

  /** Pods of the app that are not being deleted. */
  private static Set<String> podNames(KubernetesClient client, String app) {
    return client.pods().withLabel(Labels.APP, app).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .map(Pod::getMetadata).map(m -> m.getName()).collect(Collectors.toSet());
  }
}
