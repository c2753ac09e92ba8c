package dev.baton.bluegreen;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.SelectorHistory;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crash safety: the operator process is killed (SIGKILL) after the new version is ready and
 * before traffic switches; a new process finishes the rollout with exactly one switch.
 */
@ExtendWith(TestClusterExtension.class)
class OperatorRestartIT {

  @Test
  void anOperatorKilledBeforeTheSwitchSwitchesExactlyOnceAfterRestart(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    BatonApp app = Apps.example(client, "survivor");
    app.getSpec().strategy.blueGreen.promotionDelaySeconds = 4;

    try (OperatorProcess first = OperatorProcess.start(cluster, "restart-first")) {
      client.resource(app).create();
      Apps.awaitPhase(client, "survivor", Phase.Healthy);
      var services = new SelectorHistory(client, "survivor", Labels.REVISION_HASH);
      try (services; CapacityWatcher watcher = new CapacityWatcher(client, "survivor", 3);
          AppTraffic traffic = AppTraffic.start(cluster, app)) {
        await().atMost(TIMEOUT).until(() -> watcher.readyEndpoints() == 3);
        watcher.arm();

        Apps.setImage(client, "survivor", "registry.example.com/shop/api:2");
        Apps.awaitStatus(client, "survivor", a -> Apps.condition(a, BlueGreenPlanner.PROGRESSING)
            .map(c -> "WaitingForPromotionDelay".equals(c.getReason())).orElse(false));
        first.kill();

        try (OperatorProcess second = OperatorProcess.start(cluster, "restart-second")) {
          BatonApp done = Apps.awaitStatus(client, "survivor",
              a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
                  && a.getStatus().phase == Phase.Healthy);

          assertThat(services.values()).as("the active Service switched once").hasSize(2);
          assertThat(services.values().get(1)).isEqualTo(done.getStatus().activeHash);
          assertThat(client.v1().events().withField("involvedObject.name", "survivor").list()
              .getItems()).filteredOn(e -> e.getReason().equals("Promoted")).hasSize(1);
          assertThat(watcher.violations()).isEmpty();
          // Requests went on through the kill and the second operator's switch.
          traffic.assertOnlyRevisionAfter(done.getStatus().activeHash, java.time.Instant.now());
          traffic.assertNoFailedRequests();
        }
      }
    }
  }
}
