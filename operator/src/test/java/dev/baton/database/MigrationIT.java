package dev.baton.database;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.MigrationStatus;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Commands;
import dev.baton.planning.Labels;
import dev.baton.planning.MigrationJobs;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.ClusterFiles;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.KwokBehavior;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema migrations on the test cluster, from examples/database.yaml. KWOK completes a Job's pods
 * at once unless the migration's pod labels pick a test behaviour: {@code job-fail} fails them,
 * {@code never-ready} keeps them running until the test relabels the pod.
 */
@ExtendWith(TestClusterExtension.class)
class MigrationIT {

  private static final String PASSWORD = "migrations-must-not-leak";

  @BeforeAll
  static void secret(TestCluster cluster) {
    cluster.client().resource(new SecretBuilder().withNewMetadata().withName("shop-db")
        .endMetadata().addToStringData("username", "shop").addToStringData("password", PASSWORD)
        .build()).create();
  }

  private static BatonApp example(KubernetesClient client, String name) {
    BatonApp app = ClusterFiles.load(client, "examples/database.yaml", BatonApp.class);
    app.getMetadata().setName(name);
    app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 2;
    app.getSpec().progressDeadlineSeconds = 60;
    app.getSpec().database.migration.backoffLimit = 0;
    return app;
  }

  @Test
  void expandPromoteScaleDownContractInThatOrder(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp orders = example(client, "orders");
    try (InProcessOperator operator = InProcessOperator.start(cluster);
        CapacityWatcher watcher = Apps.deployHealthy(client, orders);
        AppTraffic traffic = AppTraffic.start(cluster, orders)) {
      // The first deploy ran expand before any pod, and contract once it served.
      awaitMigration(client, "orders-r1-contract", MigrationStatus.State.Succeeded);
      assertThat(podsCreatedAt(client, "orders", 1)).allMatch(t ->
          !t.isBefore(completion(client, "orders-r1-expand")));

      Apps.setImage(client, "orders", "registry.example.com/shop/api:1.9.0");
      awaitMigration(client, "orders-r2-contract", MigrationStatus.State.Succeeded);
      BatonApp done = Apps.awaitPhase(client, "orders", Phase.Healthy);

      assertThat(done.getStatus().activeRevision).isEqualTo(2);
      assertThat(podsCreatedAt(client, "orders", 2)).isNotEmpty().allMatch(t ->
          !t.isBefore(completion(client, "orders-r2-expand")));
      // Events are written after the status this waited for.
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(reasonsInOrder(client, "orders"))
          .containsSubsequence("MigrationStarted:orders-r2-expand",
              "MigrationSucceeded:orders-r2-expand", "Promoted", "ScaledDown",
              "MigrationStarted:orders-r2-contract", "MigrationSucceeded:orders-r2-contract"));
      assertThat(jobNames(client, "orders")).containsExactlyInAnyOrder("orders-r1-expand",
          "orders-r1-contract", "orders-r2-expand", "orders-r2-contract");
      assertThat(done.getStatus().migrations).extracting(m -> m.state)
          .containsOnly(MigrationStatus.State.Succeeded);
      assertThat(Apps.condition(done, "Migrated").orElseThrow().getReason())
          .isEqualTo("ContractSucceeded");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertOnlyRevisionAfter(done.getStatus().activeHash, Instant.now());
      traffic.assertNoFailedRequests();
      assertNoCredentialOutsideTheSecret(client);
    }
  }

  @Test
  void aFailedExpandAbortsAndTheLiveVersionKeepsServing(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = example(client, "ledger");
    app.getSpec().database.migration.onAbort = null;
    try (InProcessOperator operator = InProcessOperator.start(cluster);
        CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      String live = Apps.get(client, "ledger").getStatus().activeHash;
      Instant start = Instant.now();
      Apps.edit(client, "ledger", a -> {
        a.getSpec().template.getSpec().getContainers().get(0)
            .setImage("registry.example.com/shop/api:1.9.0");
        a.getSpec().database.migration.podLabels =
            Map.of(KwokBehavior.LABEL, KwokBehavior.JOB_FAIL);
      });

      BatonApp aborted = Apps.awaitStatus(client, "ledger", a -> Apps.condition(a,
          BlueGreenPlanner.DEGRADED).map(c -> "MigrationFailed".equals(c.getReason()))
          .orElse(false));
      assertThat(Apps.condition(aborted, BlueGreenPlanner.DEGRADED).orElseThrow().getMessage())
          .contains("ledger-r2-expand", "BackoffLimitExceeded");
      assertThat(aborted.getStatus().activeRevision).isEqualTo(1);
      assertThat(aborted.getStatus().phase).isEqualTo(Phase.Degraded);
      assertThat(podsCreatedAt(client, "ledger", 2)).as("no pod of the new revision").isEmpty();
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(reasonsInOrder(client, "ledger"))
          .contains("MigrationFailed:ledger-r2-expand", "RolloutAborted"));
      // The failed migration never touched the live version's traffic.
      traffic.assertOnlyRevisionAfter(live, start);

      // Fixed migration, retry: a second attempt, then the rollout goes on.
      Apps.edit(client, "ledger", a -> a.getSpec().database.migration.podLabels = null);
      Apps.annotate(client, "ledger", Commands.RETRY, "");
      Apps.awaitStatus(client, "ledger", a -> Integer.valueOf(2).equals(
          a.getStatus().activeRevision) && a.getStatus().phase == Phase.Healthy);
      assertThat(jobNames(client, "ledger")).contains("ledger-r2-expand", "ledger-r2-expand-2");
      assertThat(watcher.violations()).isEmpty();
      traffic.assertNoFailedRequests();
    }
  }

  @Test
  void anAbortAfterExpandRunsOnAbortOnce(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = example(client, "billing");
    app.getSpec().strategy.blueGreen.autoPromotion = false;
    try (InProcessOperator operator = InProcessOperator.start(cluster);
        CapacityWatcher watcher = Apps.deployHealthy(client, app)) {
      Apps.setImage(client, "billing", "registry.example.com/shop/api:1.9.0");
      Apps.awaitStatus(client, "billing", a -> Apps.condition(a, BlueGreenPlanner.PROGRESSING)
          .map(c -> "WaitingForPromotion".equals(c.getReason())).orElse(false));
      assertThat(jobNames(client, "billing")).contains("billing-r2-expand")
          .doesNotContain("billing-r2-onabort");

      Apps.annotate(client, "billing", Commands.ABORT, "");
      Apps.awaitPhase(client, "billing", Phase.Aborted);
      awaitMigration(client, "billing-r2-onabort", MigrationStatus.State.Succeeded);
      // Another change to the app: still one onAbort.
      Apps.annotate(client, "billing", "example.com/touched", "yes");
      Apps.awaitPhase(client, "billing", Phase.Aborted);

      assertThat(jobNames(client, "billing")).filteredOn(n -> n.contains("onabort"))
          .containsExactly("billing-r2-onabort");
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(reasonsInOrder(client, "billing"))
          .filteredOn(r -> r.equals("MigrationStarted:billing-r2-onabort")).hasSize(1));
      assertThat(Apps.get(client, "billing").getStatus().activeRevision).isEqualTo(1);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void anOperatorStoppedMidMigrationCreatesNoSecondJob(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator first = InProcessOperator.start(cluster);
    CapacityWatcher watcher;
    Job running;
    try {
      watcher = Apps.deployHealthy(client, example(client, "payments"));
      Apps.edit(client, "payments", a -> {
        a.getSpec().template.getSpec().getContainers().get(0)
            .setImage("registry.example.com/shop/api:1.9.0");
        // The expand pod keeps running until the test lets it finish.
        a.getSpec().database.migration.podLabels =
            Map.of(KwokBehavior.LABEL, KwokBehavior.NEVER_READY);
      });
      await().atMost(TIMEOUT).until(() -> expandPod(client, "payments-r2-expand")
          .filter(p -> "Running".equals(p.getStatus().getPhase())).isPresent());
      running = client.batch().v1().jobs().withName("payments-r2-expand").get();
    } finally {
      first.close();
    }

    try (watcher; InProcessOperator second = InProcessOperator.start(cluster)) {
      // The migration finishes while the new operator runs.
      Pod pod = expandPod(client, "payments-r2-expand").orElseThrow();
      client.pods().withName(pod.getMetadata().getName()).edit(p -> {
        p.getMetadata().getLabels().put(KwokBehavior.LABEL, "finish");
        return p;
      });
      Apps.awaitStatus(client, "payments", a -> Integer.valueOf(2).equals(
          a.getStatus().activeRevision) && a.getStatus().phase == Phase.Healthy);

      Job after = client.batch().v1().jobs().withName("payments-r2-expand").get();
      assertThat(after.getMetadata().getUid()).isEqualTo(running.getMetadata().getUid());
      assertThat(jobNames(client, "payments")).filteredOn(n -> n.startsWith("payments-r2-expand"))
          .containsExactly("payments-r2-expand");
      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(reasonsInOrder(client, "payments"))
          .filteredOn(r -> r.equals("MigrationStarted:payments-r2-expand")).hasSize(1));
      assertThat(watcher.violations()).isEmpty();
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static void awaitMigration(KubernetesClient client, String job,
      MigrationStatus.State state) {
    Apps.awaitStatus(client, job.substring(0, job.indexOf("-r")), a ->
        a.getStatus().migrations != null && a.getStatus().migrations.stream()
            .anyMatch(m -> job.equals(m.jobName) && m.state == state));
  }

  private static List<String> jobNames(KubernetesClient client, String app) {
    return client.batch().v1().jobs().withLabel(Labels.APP, app).list().getItems().stream()
        .map(j -> j.getMetadata().getName()).toList();
  }

  private static Instant completion(KubernetesClient client, String job) {
    return Instant.parse(client.batch().v1().jobs().withName(job).get().getStatus()
        .getCompletionTime());
  }

  /** Creation times of the pods of one revision of an app. */
  private static List<Instant> podsCreatedAt(KubernetesClient client, String app, int revision) {
    var deployments = Apps.deploymentsOf(client, app).stream()
        .filter(d -> Integer.toString(revision).equals(
            d.getMetadata().getLabels().get(Labels.REVISION)))
        .map(d -> d.getMetadata().getLabels().get(Labels.REVISION_HASH)).toList();
    return client.pods().withLabel(Labels.APP, app).list().getItems().stream()
        .filter(p -> deployments.contains(p.getMetadata().getLabels().get(Labels.REVISION_HASH)))
        .map(p -> Instant.parse(p.getMetadata().getCreationTimestamp())).toList();
  }

  private static Optional<Pod> expandPod(KubernetesClient client, String job) {
    return client.pods().withLabel("job-name", job).list().getItems().stream().findFirst();
  }

  /**
   * The app's Event reasons in the order they were written (resourceVersion), a migration's with
   * its Job name: {@code MigrationStarted:<job>}.
   */
  private static List<String> reasonsInOrder(KubernetesClient client, String app) {
    return client.v1().events().withField("involvedObject.name", app).list().getItems().stream()
        .sorted(Comparator.comparingLong(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
        .map(MigrationIT::reason).toList();
  }

  private static String reason(Event e) {
    if (!e.getReason().startsWith("Migration")) {
      return e.getReason();
    }
    String job = e.getMessage().replaceAll(".*\\(Job ([^)]+)\\).*", "$1");
    return e.getReason() + ":" + job;
  }

  private static void assertNoCredentialOutsideTheSecret(KubernetesClient client) {
    var json = client.getKubernetesSerialization();
    String everything = json.asJson(client.batch().v1().jobs().list())
        + json.asJson(client.pods().list())
        + json.asJson(client.apps().deployments().list())
        + json.asJson(client.resources(BatonApp.class).list())
        + json.asJson(client.v1().events().list());
    assertThat(everything).doesNotContain(PASSWORD);
    assertThat(json.asJson(client.batch().v1().jobs().list())).contains("secretKeyRef");
    assertThat(client.batch().v1().jobs().withName("orders-r2-expand").get().getSpec()
        .getTemplate().getMetadata().getLabels()).doesNotContainKey(Labels.APP)
        .containsEntry(MigrationJobs.PHASE, "expand");
  }
}
