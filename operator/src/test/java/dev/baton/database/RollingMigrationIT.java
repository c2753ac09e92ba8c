package dev.baton.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Labels;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.ClusterFiles;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema migrations with the rolling strategy: the one Deployment takes a new template only once
 * its expand Job succeeded, and contract runs after the rollback window that follows the rollout.
 * The order is read from the Jobs (completion times), the pods (creation times) and the Events.
 */
@ExtendWith(TestClusterExtension.class)
class RollingMigrationIT {

  @BeforeAll
  static void secret(TestCluster cluster) {
    cluster.client().resource(new SecretBuilder().withNewMetadata().withName("shop-db")
        .endMetadata().addToStringData("username", "shop").addToStringData("password", "pw")
        .build()).create();
  }

  @Test
  void expandRolloutContractInThatOrder(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = ClusterFiles.load(client, "examples/database.yaml", BatonApp.class);
    app.getMetadata().setName("rollmig");
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.rolling = new RollingSpec();
    app.getSpec().progressDeadlineSeconds = 60;
    app.getSpec().database.migration.backoffLimit = 0;
    try (InProcessOperator operator = InProcessOperator.start(cluster);
        CapacityWatcher watcher = Apps.deployHealthy(client, app)) {
      awaitMigration(client, "rollmig-r1-contract", MigrationStatus.State.Succeeded);
      assertThat(podsCreatedAt(client, hashOf(client, 1))).isNotEmpty().allMatch(t ->
          !t.isBefore(completion(client, "rollmig-r1-expand")));

      Apps.setImage(client, "rollmig", "registry.example.com/shop/api:1.9.0");
      awaitMigration(client, "rollmig-r2-contract", MigrationStatus.State.Succeeded);
      BatonApp done = Apps.awaitPhase(client, "rollmig", Phase.Healthy);

      assertThat(done.getStatus().activeRevision).isEqualTo(2);
      assertThat(Apps.deploymentsOf(client, "rollmig")).hasSize(1);
      assertThat(podsCreatedAt(client, hashOf(client, 2))).isNotEmpty().allMatch(t ->
          !t.isBefore(completion(client, "rollmig-r2-expand")));
      assertThat(reasonsInOrder(client)).containsSubsequence(
          "MigrationStarted:rollmig-r2-expand", "MigrationSucceeded:rollmig-r2-expand",
          "Promoted", "MigrationStarted:rollmig-r2-contract",
          "MigrationSucceeded:rollmig-r2-contract");
      Instant promoted = Instant.parse(done.getStatus().history.stream()
          .filter(r -> Integer.valueOf(2).equals(r.revision)).findFirst().orElseThrow()
          .promotedAt);
      Instant contractStarted = Instant.parse(client.batch().v1().jobs()
          .withName("rollmig-r2-contract").get().getMetadata().getCreationTimestamp());
      assertThat(contractStarted).as("contract after the rollback window")
          .isAfterOrEqualTo(promoted.plusSeconds(29));
      assertThat(watcher.violations()).isEmpty();
    }
  }

  private static void awaitMigration(KubernetesClient client, String job,
      MigrationStatus.State state) {
    Apps.awaitStatus(client, "rollmig", a -> a.getStatus().migrations != null
        && a.getStatus().migrations.stream()
            .anyMatch(m -> job.equals(m.jobName) && m.state == state));
  }

  private static String hashOf(KubernetesClient client, int revision) {
    return Apps.get(client, "rollmig").getStatus().history.stream()
        .filter(r -> Integer.valueOf(revision).equals(r.revision)).findFirst().orElseThrow().hash;
  }

  private static Instant completion(KubernetesClient client, String job) {
    return Instant.parse(client.batch().v1().jobs().withName(job).get().getStatus()
        .getCompletionTime());
  }

  /** Creation times of the rolling Deployment's pods that run one revision's template. */
  private static List<Instant> podsCreatedAt(KubernetesClient client, String hash) {
    return client.pods().withLabel(Labels.TEMPLATE_HASH, hash).list().getItems().stream()
        .map(p -> Instant.parse(p.getMetadata().getCreationTimestamp())).toList();
  }

  private static List<String> reasonsInOrder(KubernetesClient client) {
    return client.v1().events().withField("involvedObject.name", "rollmig").list().getItems()
        .stream()
        .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .map(e -> e.getReason().startsWith("Migration")
            ? e.getReason() + ":" + e.getMessage().replaceAll(".*\\(Job ([^)]+)\\).*", "$1")
            : e.getReason())
        .toList();
  }
}
