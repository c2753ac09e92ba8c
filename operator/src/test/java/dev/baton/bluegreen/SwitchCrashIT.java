package dev.baton.bluegreen;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RevisionRecord;
import dev.baton.planning.Labels;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.SelectorHistory;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crash safety at the one irreversible write: the operator halts (as if SIGKILLed) right after it
 * moved the active Service (a test-only fault point), before anything else. The switch is written
 * before its record, so nothing records it yet; the next operator finds the Service selecting
 * another version than status recorded ({@code status.rollout.activeSelects}) and records the
 * promotion exactly once: one Promoted Event, history reason Promoted.
 */
@ExtendWith(TestClusterExtension.class)
class SwitchCrashIT {

  @Test
  void anOperatorHaltedRightAfterTheSwitchHasThePromotionRecordedExactlyOnce(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    BatonApp app = Apps.example(client, "halted");

    try (OperatorProcess first = OperatorProcess.start(cluster, "switch-crash-first", 0,
        Map.of("BATON_TEST_HALT_AT", "AFTER_SWITCH"))) {
      client.resource(app).create();
      Apps.awaitPhase(client, "halted", Phase.Healthy);
      var services = new SelectorHistory(client, "halted", Labels.REVISION_HASH);
      try (services; CapacityWatcher watcher = new CapacityWatcher(client, "halted", 3)) {
        await().atMost(TIMEOUT).until(() -> watcher.readyEndpoints() == 3);
        watcher.arm();
        String before = Apps.get(client, "halted").getStatus().activeHash;

        Apps.setImage(client, "halted", "registry.example.com/shop/api:2");
        await().atMost(TIMEOUT).until(() -> !first.isAlive());

        // Halted between the switch and everything after it: the Service moved, status still
        // records the Service on the old version and no promotion, and nothing was reported.
        Instant halt = Instant.now();
        BatonApp halted = Apps.get(client, "halted");
        String switchedTo = client.services().withName("halted").get().getSpec().getSelector()
            .get(Labels.REVISION_HASH);
        assertThat(switchedTo).isNotEqualTo(before);
        assertThat(halted.getStatus().rollout.activeSelects).isEqualTo(before);
        assertThat(halted.getStatus().rollout.switching).isNull();
        assertThat(halted.getStatus().history).noneMatch(r -> Integer.valueOf(2).equals(r.revision)
            && r.promotedAt != null);
        assertThat(promotedEvents(client)).isZero();

        try (OperatorProcess second = OperatorProcess.start(cluster, "switch-crash-second")) {
          BatonApp done = Apps.awaitStatus(client, "halted",
              a -> Integer.valueOf(2).equals(a.getStatus().activeRevision)
                  && a.getStatus().phase == Phase.Healthy
                  && switchedTo.equals(a.getStatus().rollout.activeSelects));

          RevisionRecord promoted = done.getStatus().history.stream()
              .filter(r -> Integer.valueOf(2).equals(r.revision)).findFirst().orElseThrow();
          assertThat(promoted.reason).isEqualTo("Promoted");
          // Recorded when found: after the halt, by the second operator.
          assertThat(Instant.parse(promoted.promotedAt)).isAfter(halt.minusSeconds(1));
          assertThat(services.values()).as("the active Service switched once")
              .containsExactly(before, switchedTo);
          // Give a duplicate every chance to show up: the old version's window ends meanwhile.
          Apps.awaitStatus(client, "halted", a -> a.getStatus().retiring == null
              && Apps.deploymentsOf(client, "halted").size() == 1);
          assertThat(promotedEvents(client)).as("one Promoted Event").isEqualTo(1);
          assertThat(watcher.violations()).isEmpty();
        }
      }
    }
  }

  private static long promotedEvents(KubernetesClient client) {
    return client.v1().events().withField("involvedObject.name", "halted").list().getItems()
        .stream().filter(e -> "Promoted".equals(e.getReason())).count();
  }
}
