package dev.baton.ha;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.BlueGreenPlanner;
import dev.baton.planning.Labels;
import dev.baton.shard.ShardAssignment;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.SelectorHistory;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sharding: two operator processes split two shards of apps (one Lease per shard), each caching
 * and reconciling only its own. The replica that reconciles shard 1 is killed (SIGKILL)
 * mid-rollout; the other takes shard 1 over within 15 s and finishes both rollouts with one
 * switch each and no failed request. An app relabelled into another shard then has its children
 * moved with it and rolls out again from there.
 */
@ExtendWith(TestClusterExtension.class)
class ShardingIT {

  private static Map<String, String> replica(TestCluster cluster, String name) {
    return Map.of("BATON_LEADER_ELECTION_NAMESPACE", cluster.namespace(),
        "BATON_LEADER_ELECTION_LEASE", "baton", "BATON_POD_NAME", name, "BATON_SHARDS", "2");
  }

  private static String holder(KubernetesClient client, int shard) {
    Lease lease = client.resources(Lease.class).withName("baton-shard-" + shard).get();
    return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static BatonApp pinned(KubernetesClient client, String name, int shard) {
    BatonApp app = Apps.example(client, name);
    Map<String, String> labels = new HashMap<>();
    if (app.getMetadata().getLabels() != null) {
      labels.putAll(app.getMetadata().getLabels());
    }
    labels.put(ShardAssignment.LABEL, Integer.toString(shard));
    app.getMetadata().setLabels(labels);
    app.getSpec().strategy.blueGreen.promotionDelaySeconds = 5;
    return app;
  }

  private static String log(OperatorProcess process) {
    try {
      return Files.readString(process.log().toPath());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The shard label on every Deployment and Service of the app. */
  private static List<String> shardLabels(KubernetesClient client, String app) {
    return Stream.concat(Apps.deploymentsOf(client, app).stream(),
            client.services().withLabel(Labels.APP, app).list().getItems().stream())
        .map(HasMetadata::getMetadata)
        .map(m -> m.getLabels() == null ? null : m.getLabels().get(ShardAssignment.LABEL))
        .toList();
  }

  private static long promotedEvents(KubernetesClient client, String app) {
    return client.v1().events().withField("involvedObject.name", app).list().getItems().stream()
        .filter(e -> "Promoted".equals(e.getReason())).count();
  }

  @Test
  void twoReplicasSplitTheAppsAndTheSurvivorOfAKillFinishesTheKilledReplicasRollouts(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    try (OperatorProcess a = OperatorProcess.start(cluster, "shard-a", 0,
        replica(cluster, "shard-a"))) {
      // Alone, a replica takes every shard.
      await().atMost(Apps.TIMEOUT).until(() -> "shard-a".equals(holder(client, 0))
          && "shard-a".equals(holder(client, 1)));
      try (OperatorProcess b = OperatorProcess.start(cluster, "shard-b", 0,
          replica(cluster, "shard-b"))) {
        // A second replica gets its share: the first gives one shard back.
        await().atMost(Duration.ofSeconds(60)).until(() -> holder(client, 0) != null
            && holder(client, 1) != null && !holder(client, 0).isEmpty()
            && !holder(client, 1).isEmpty() && !holder(client, 0).equals(holder(client, 1)));
        OperatorProcess owner1 = "shard-a".equals(holder(client, 1)) ? a : b;
        OperatorProcess owner0 = owner1 == a ? b : a;
        String survivor = owner1 == a ? "shard-b" : "shard-a";

        BatonApp zero = pinned(client, "pinned-zero", 0);
        BatonApp one = pinned(client, "pinned-one", 1);
        try (CapacityWatcher zeroWatcher = Apps.deployHealthy(client, zero);
            CapacityWatcher oneWatcher = Apps.deployHealthy(client, one);
            SelectorHistory zeroSelectors = new SelectorHistory(client, "pinned-zero",
                Labels.REVISION_HASH);
            SelectorHistory oneSelectors = new SelectorHistory(client, "pinned-one",
                Labels.REVISION_HASH);
            AppTraffic traffic = AppTraffic.start(cluster, one)) {
          // Each shard's children carry its label, and each app was reconciled by its owner.
          assertThat(shardLabels(client, "pinned-zero")).isNotEmpty().containsOnly("0");
          assertThat(shardLabels(client, "pinned-one")).isNotEmpty().containsOnly("1");
          String ns = cluster.namespace();
          assertThat(log(owner0)).contains(ns + "/pinned-zero").doesNotContain(ns + "/pinned-one");
          assertThat(log(owner1)).contains(ns + "/pinned-one").doesNotContain(ns + "/pinned-zero");

          Apps.setImage(client, "pinned-zero", "registry.example.com/shop/api:2");
          Apps.setImage(client, "pinned-one", "registry.example.com/shop/api:2");
          Apps.awaitStatus(client, "pinned-one", x -> Apps.condition(x,
              BlueGreenPlanner.PROGRESSING).map(c -> "WaitingForPromotionDelay"
                  .equals(c.getReason())).orElse(false));

          owner1.kill();
          Instant killed = Instant.now();
          await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
              .until(() -> survivor.equals(holder(client, 1)));
          Duration takeover = Duration.between(killed, Instant.now());

          for (String app : List.of("pinned-zero", "pinned-one")) {
            Apps.awaitStatus(client, app, x -> Integer.valueOf(2)
                .equals(x.getStatus().activeRevision) && x.getStatus().phase == Phase.Healthy);
          }
          assertThat(takeover).isLessThan(Duration.ofSeconds(15));
          assertThat(zeroSelectors.values()).as("one switch").hasSize(2);
          assertThat(oneSelectors.values()).as("one switch").hasSize(2);
          assertThat(promotedEvents(client, "pinned-zero")).isEqualTo(1);
          assertThat(promotedEvents(client, "pinned-one")).isEqualTo(1);
          assertThat(zeroWatcher.violations()).isEmpty();
          assertThat(oneWatcher.violations()).isEmpty();
          traffic.assertOnlyRevisionAfter(Apps.get(client, "pinned-one").getStatus().activeHash,
              Instant.now());
          traffic.assertNoFailedRequests();

          // Relabelled into shard 1: its children follow, nothing moves, and it rolls out from
          // its new shard.
          Apps.edit(client, "pinned-zero", x -> x.getMetadata().getLabels()
              .put(ShardAssignment.LABEL, "1"));
          await().atMost(Apps.TIMEOUT).until(() -> shardLabels(client, "pinned-zero").stream()
              .allMatch("1"::equals));
          assertThat(zeroSelectors.values()).as("no switch from the move").hasSize(2);
          Apps.setImage(client, "pinned-zero", "registry.example.com/shop/api:3");
          Apps.awaitStatus(client, "pinned-zero", x -> Integer.valueOf(3)
              .equals(x.getStatus().activeRevision) && x.getStatus().phase == Phase.Healthy);
          assertThat(zeroSelectors.values()).hasSize(3);
          assertThat(promotedEvents(client, "pinned-zero")).isEqualTo(2);
          assertThat(zeroWatcher.violations()).isEmpty();
        }
      }
    }
  }
}
