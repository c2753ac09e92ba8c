package dev.baton.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.testcluster.ClusterFiles;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The data tier on the test cluster, from examples/database.yaml (migrations included). */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class DatabaseTopologyIT {

  private static final String PASSWORD = "s3cret-that-must-not-leak";

  @Test
  void roleServicesAndSettingsAreCreatedAndTheCredentialsStayInTheSecret(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = ClusterFiles.load(client, "examples/database.yaml", BatonApp.class);
    app.getMetadata().setName("shop");

    // No Secret yet: InvalidSpec names it, and nothing is deployed.
    client.resource(app).create();
    BatonApp invalid = Apps.awaitStatus(client, "shop", a -> Apps.condition(a,
        BlueGreenPlanner.INVALID_SPEC).map(c -> "True".equals(c.getStatus())).orElse(false));
    assertThat(Apps.condition(invalid, BlueGreenPlanner.INVALID_SPEC).orElseThrow().getMessage())
        .contains("Secret 'shop-db' does not exist");
    assertThat(Apps.deploymentsOf(client, "shop")).isEmpty();

    client.resource(new SecretBuilder().withNewMetadata().withName("shop-db").endMetadata()
        .addToStringData("username", "shop").addToStringData("password", PASSWORD).build())
        .create();
    BatonApp healthy = Apps.awaitPhase(client, "shop", Phase.Healthy);

    assertThat(client.services().withName("shop-db-primary").get().getSpec().getExternalName())
        .isEqualTo("mysql-0.mysql.db.svc.cluster.local");
    assertThat(client.services().withName("shop-db-replicas").get().getSpec().getClusterIP())
        .isEqualTo("None");
    assertThat(client.discovery().v1().endpointSlices()
        .withLabel("kubernetes.io/service-name", "shop-db-replicas").list().getItems())
        .flatExtracting(s -> s.getEndpoints()).flatExtracting(e -> e.getAddresses())
        .containsExactlyInAnyOrder("10.20.0.11", "10.20.0.12");
    assertThat(client.services().withName("shop-cache").get().getSpec().getSelector())
        .containsEntry("app", "redis");
    Deployment d = Apps.deploymentsOf(client, "shop").get(0);
    assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .extracting(e -> e.getName()).contains("DB_PRIMARY_HOST", "DB_REPLICA_ENDPOINTS",
            "CACHE_HOST", "DB_PASSWORD");

    // A change to the Secret's content is a new revision.
    client.secrets().withName("shop-db").edit(s -> {
      s.setStringData(java.util.Map.of("password", PASSWORD + "-rotated"));
      return s;
    });
    Apps.awaitStatus(client, "shop", a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
        && a.getStatus().phase == Phase.Healthy);

    // No credential anywhere but the Secret.
    var serialization = client.getKubernetesSerialization();
    await().atMost(Apps.TIMEOUT).untilAsserted(() -> {
      String everything = serialization.asJson(client.apps().deployments().list())
          + serialization.asJson(client.services().list())
          + serialization.asJson(client.resources(BatonApp.class).list())
          + serialization.asJson(client.v1().events().list())
          + serialization.asJson(client.apps().controllerRevisions().list())
          // The migration Jobs get the credentials the same way, by secretKeyRef.
          + serialization.asJson(client.batch().v1().jobs().list())
          + serialization.asJson(client.pods().list())
          + serialization.asJson(client.configMaps().list());
      assertThat(everything).doesNotContain(PASSWORD);
      assertThat(healthy.getStatus().activeRevision).isEqualTo(1);
    });
  }
}
