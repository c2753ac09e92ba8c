package dev.baton.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The data plane's figures ({@code bench/traffic.sh}; not part of the suite, whose Failsafe
 * passes match {@code *IT} only): per provider, many consecutive blue/green swaps of one app
 * under a steady load, then many apps swapping at once under load. For each it prints failed
 * requests (goal 0), request latency through Traefik (p50, p99) and the delay from Baton
 * reporting a switch to only the new revision answering (median, max), and appends them to
 * {@code target/traffic-bench.txt}. It asserts only what every rollout test asserts (zero failed
 * requests, capacity), so a run that breaks the promise fails.
 *
 * <p>Sizes: {@code -Dbaton.bench.swaps} (100), {@code -Dbaton.bench.apps} (50),
 * {@code -Dbaton.bench.providers} (none,nginx,traefik,gatewayAPI).
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class TrafficBench {

  private static final int SWAPS = Integer.getInteger("baton.bench.swaps", 100);
  private static final int APPS = Integer.getInteger("baton.bench.apps", 50);
  /** Per app while many swap at once: 50 apps at 4 a second is 200 requests a second. */
  private static final int RATE_MANY = 4;
  private static final Duration SWAP_TIMEOUT = Duration.ofSeconds(120);
  private static final Path OUT = Path.of("target", "traffic-bench.txt");

  static List<IngressSpec.Provider> providers() {
    return Arrays.stream(System.getProperty("baton.bench.providers",
            "none,nginx,traefik,gatewayAPI").split(","))
        .map(String::strip).filter(p -> !p.isEmpty()).map(IngressSpec.Provider::valueOf).toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void consecutiveSwapsOfOneApp(IngressSpec.Provider provider, TestCluster cluster) {
    KubernetesClient client = cluster.client();
    String name = "swaps-" + provider.name().toLowerCase(Locale.ROOT);
    BatonApp app = quick(TrafficApps.behind(client, name, provider));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      Assumptions.assumeTrue(traffic.checked(), "no data plane in this run (bench/traffic.sh)");
      List<Duration> delays = new ArrayList<>();
      Instant start = Instant.now();
      for (int i = 1; i <= SWAPS; i++) {
        int revision = i + 1;
        Apps.setImage(client, name, "registry.example.com/shop/api:" + revision);
        BatonApp switched = Apps.awaitStatus(client, name,
            a -> Integer.valueOf(revision).equals(a.getStatus().activeRevision));
        delays.add(traffic.assertOnlyRevisionAfter(switched.getStatus().activeHash,
            Instant.now()));
      }
      Duration took = Duration.between(start, Instant.now());
      report(String.format(Locale.ROOT, "%s, %d consecutive swaps of one app (%d s): %s;"
              + " switch -> only the new revision: median %d ms, max %d ms", provider, SWAPS,
          took.toSeconds(), figures(List.of(traffic.ledger())), median(delays).toMillis(),
          max(delays).toMillis()));
      traffic.assertNoFailedRequests();
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("providers")
  void manyAppsSwappingAtOnce(IngressSpec.Provider provider, TestCluster cluster) {
    KubernetesClient client = cluster.client();
    String prefix = "many-" + provider.name().toLowerCase(Locale.ROOT) + "-";
    List<BatonApp> apps = new ArrayList<>();
    for (int i = 0; i < APPS; i++) {
      BatonApp app = quick(TrafficApps.behind(client, prefix + i, provider));
      app.getSpec().replicas = 2;
      client.resource(app).create();
      apps.add(app);
    }
    for (BatonApp app : apps) {
      Apps.awaitStatus(client, app.getMetadata().getName(),
          a -> a.getStatus().activeRevision != null && a.getStatus().activeRevision == 1);
    }
    List<AppTraffic> traffic = new ArrayList<>();
    try {
      for (BatonApp app : apps) {
        traffic.add(AppTraffic.start(cluster, app, RATE_MANY));
      }
      Assumptions.assumeTrue(traffic.get(0).checked(), "no data plane in this run");
      Instant start = Instant.now();
      for (BatonApp app : apps) {
        Apps.setImage(client, app.getMetadata().getName(), "registry.example.com/shop/api:2");
      }
      // When each app was first seen switched: all are polled together, so that one slow app
      // does not make the others' reports late (which would hide their propagation delay).
      Instant[] reported = new Instant[apps.size()];
      String[] hashes = new String[apps.size()];
      await().atMost(SWAP_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
        for (int i = 0; i < apps.size(); i++) {
          if (reported[i] == null) {
            BatonApp a = Apps.get(client, apps.get(i).getMetadata().getName());
            if (a.getStatus() != null && Integer.valueOf(2).equals(a.getStatus().activeRevision)) {
              reported[i] = Instant.now();
              hashes[i] = a.getStatus().activeHash;
            }
          }
        }
        return Arrays.stream(reported).allMatch(java.util.Objects::nonNull);
      });
      Duration took = Duration.between(start, Instant.now());
      List<Duration> delays = new ArrayList<>();
      for (int i = 0; i < apps.size(); i++) {
        delays.add(traffic.get(i).assertOnlyRevisionAfter(hashes[i], reported[i]));
      }
      report(String.format(Locale.ROOT, "%s, %d apps swapping at once (all switched in %d s): %s;"
              + " switch -> only the new revision: median %d ms, max %d ms", provider, APPS,
          took.toSeconds(), figures(traffic.stream().map(AppTraffic::ledger).toList()),
          median(delays).toMillis(), max(delays).toMillis()));
      traffic.forEach(AppTraffic::assertNoFailedRequests);
    } finally {
      traffic.forEach(AppTraffic::close);
      for (BatonApp app : apps) {
        client.resource(app).delete();
      }
    }
  }

  /** Swaps as fast as readiness allows: no promotion delay, the old version gone soon after. */
  private static BatonApp quick(BatonApp app) {
    app.getSpec().strategy.blueGreen.promotionDelaySeconds = 0;
    app.getSpec().strategy.blueGreen.scaleDownDelaySeconds = 5;
    return app;
  }

  private static String figures(List<TrafficLedger> ledgers) {
    List<TrafficLedger.Outcome> all = ledgers.stream().flatMap(l -> l.outcomes().stream()).toList();
    long failed = all.stream().filter(TrafficLedger.Outcome::failed).count();
    List<Long> ms = all.stream().filter(o -> !o.failed()).map(o -> o.latency().toMillis())
        .sorted().toList();
    return String.format(Locale.ROOT, "%d requests, %d failed, latency p50 %d ms p99 %d ms",
        all.size(), failed, percentile(ms, 50), percentile(ms, 99));
  }

  private static long percentile(List<Long> sorted, int p) {
    return sorted.isEmpty() ? 0
        : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static Duration median(List<Duration> values) {
    List<Duration> sorted = values.stream().sorted().toList();
    return sorted.isEmpty() ? Duration.ZERO : sorted.get(sorted.size() / 2);
  }

  private static Duration max(List<Duration> values) {
    return values.stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  private static void report(String line) {
    System.out.println("[bench] " + line);
    try {
      Files.writeString(OUT, line + System.lineSeparator(), StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + OUT, e);
    }
  }
}
