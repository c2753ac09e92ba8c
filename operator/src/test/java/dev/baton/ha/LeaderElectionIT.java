package dev.baton.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Labels;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.SelectorHistory;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * High availability: two operator processes share a Lease; only the holder reconciles. The
 * leader is killed (SIGKILL) mid-rollout; the standby takes over within 15 s and finishes the
 * rollout with each transition done once.
 */
@ExtendWith(TestClusterExtension.class)
class LeaderElectionIT {

  private static Map<String, String> replica(TestCluster cluster, String name) {
    return Map.of("BATON_LEADER_ELECTION_NAMESPACE", cluster.namespace(),
        "BATON_LEADER_ELECTION_LEASE", "baton", "BATON_POD_NAME", name);
  }

  private static String holder(KubernetesClient client) {
    Lease lease = client.resources(Lease.class).withName("baton").get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  @Test
  void theStandbyTakesOverWithinFifteenSecondsAndNoTransitionHappensTwice(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    try (OperatorProcess a = OperatorProcess.start(cluster, "ha-a", 0, replica(cluster, "baton-a"))) {
      await().atMost(Apps.TIMEOUT).until(() -> "baton-a".equals(holder(client)));
      try (OperatorProcess b = OperatorProcess.start(cluster, "ha-b", 0,
          replica(cluster, "baton-b"))) {
        BatonApp app = Apps.example(client, "ha");
        app.getSpec().strategy.blueGreen.promotionDelaySeconds = 5;
        try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
            SelectorHistory selectors = new SelectorHistory(client, "ha", Labels.REVISION_HASH);
            AppTraffic traffic = AppTraffic.start(cluster, app)) {
          Apps.setImage(client, "ha", "registry.example.com/shop/api:2");
          Apps.awaitStatus(client, "ha", x -> Apps.condition(x, BlueGreenPlanner.PROGRESSING)
              .map(c -> "WaitingForPromotionDelay".equals(c.getReason())).orElse(false));

          a.kill();
          Instant killed = Instant.now();
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
              .until(() -> "baton-b".equals(holder(client)));
          Duration takeover = Duration.between(killed, Instant.now());

          BatonApp done = Apps.awaitStatus(client, "ha",
              x -> Integer.valueOf(2).equals(x.getStatus().activeRevision)
                  && x.getStatus().phase == Phase.Healthy);
          assertThat(takeover).isLessThan(Duration.ofSeconds(15));
          assertThat(selectors.values()).as("one switch").hasSize(2);
          assertThat(selectors.values().get(1)).isEqualTo(done.getStatus().activeHash);
          assertThat(client.v1().events().withField("involvedObject.name", "ha").list()
              .getItems()).filteredOn(e -> e.getReason().equals("Promoted")).hasSize(1);
          assertThat(watcher.violations()).isEmpty();
          traffic.assertOnlyRevisionAfter(done.getStatus().activeHash, Instant.now());
          traffic.assertNoFailedRequests();
        }
      }
    }
  }

  @Test
  void aGracefullyStoppedLeaderHandsTheLeaseOverInAFewSeconds(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    try (OperatorProcess a = OperatorProcess.start(cluster, "ha-graceful-a", 0,
        replica(cluster, "baton-a"));
        OperatorProcess b = OperatorProcess.start(cluster, "ha-graceful-b", 0,
            replica(cluster, "baton-b"))) {
      await().atMost(Apps.TIMEOUT).until(() -> holder(client) != null
          && !holder(client).isEmpty());
      String leader = holder(client);
      OperatorProcess leaderProcess = leader.equals("baton-a") ? a : b;
      String standby = leader.equals("baton-a") ? "baton-b" : "baton-a";

      leaderProcess.close(); // SIGTERM: the shutdown hook releases the Lease
      Instant stopped = Instant.now();
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> standby.equals(holder(client)));

      assertThat(Duration.between(stopped, Instant.now())).isLessThan(Duration.ofSeconds(8));
    }
  }
}
