package dev.baton.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import dev.baton.shard.ShardLeases;
import dev.baton.shard.ShardScope;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: connects to the cluster named by the current kubeconfig (or the in-cluster
 * service account), registers Baton's reconcilers with the Java Operator SDK and serves health and
 * metrics endpoints.
 */
public final class BatonOperator {

  private static final Logger LOG = LoggerFactory.getLogger(BatonOperator.class);

  private static final java.util.concurrent.atomic.AtomicBoolean SHUTTING_DOWN =
      new java.util.concurrent.atomic.AtomicBoolean();

  private BatonOperator() {}

  /**
   * A replica that loses the Lease without being asked to stop must not go on reconciling: it
   * exits at once (skipping shutdown hooks) and its pod is restarted as a standby.
   */
  private static void leadershipLost() {
    if (!SHUTTING_DOWN.get()) {
      LOG.error("Lost the leader-election Lease: exiting so that only the leader reconciles");
      Runtime.getRuntime().halt(1);
    }
  }

  /** This replica's name in the Lease: the pod's name in a cluster, host and pid elsewhere. */
  private static String identity() {
    String pod = System.getenv("BATON_POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    return java.net.InetAddress.getLoopbackAddress().getHostName() + "-"
        + ProcessHandle.current().pid();
  }

  public static void main(String[] args) throws Exception {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    // The runtimes of the operators that reconcile (one; with shards, one per shard held);
    // null until connected.
    AtomicReference<Supplier<Collection<RuntimeInfo>>> runtimes = new AtomicReference<>();
    Supplier<Collection<RuntimeInfo>> current = () -> runtimes.get() == null ? null
        : runtimes.get().get();
    Gauge.builder("baton.informers.healthy", current,
            c -> c.get() != null && c.get().stream()
                .allMatch(RuntimeInfo::allEventSourcesAreHealthy) ? 1 : 0)
        .description("1 when every informer of the operator is healthy").register(registry);
    // Serve probes before connecting, so a slow API server shows as "not ready", not "dead".
    HealthServer health = HealthServer.start(settings.httpAddress(), current, registry);
    // hack/local-operator.sh reads the port from this line when it asked for port 0.
    LOG.info("Serving /healthz, /readyz and /metrics on port {}", health.port());

    KubernetesClient client = new KubernetesClientBuilder().build();
    if (settings.shards() > 1) {
      runSharded(settings, client, registry, runtimes, health);
      return;
    }
    UrgentFirstExecutor reconciles = new UrgentFirstExecutor(settings.reconcileThreads());
    Operator operator = new Operator(overrider -> {
      overrider
          .withKubernetesClient(client)
          // The shutdown hook still needs the client to release the Lease; it closes it after.
          .withCloseClientOnStop(false)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          .withExecutorService(reconciles)
          // Per-resource tags would give every BatonApp its own time series.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      // Only the holder of the Lease reconciles; the others wait as hot standbys.
      // A lost leader is replaced within about 12 s (lease 10 s + one 2 s retry).
      settings.leaderElection().ifPresent(lease -> overrider.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration(lease.name(), lease.namespace(),
              Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(2),
              identity(), new LeaderCallbacks(
                  () -> LOG.info("Became the leader: reconciling"),
                  BatonOperator::leadershipLost,
                  leader -> LOG.info("The leader is {}", leader)),
              // Not JOSDK's exit: it calls System.exit from operator.stop(), which deadlocks in
              // a shutdown hook. leadershipLost exits instead when the loss is not a shutdown.
              false)));
    });
    Controllers.register(operator, client, settings, new BatonMetrics(registry), reconciles);
    RuntimeInfo info = operator.getRuntimeInfo();
    runtimes.set(() -> List.of(info));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      SHUTTING_DOWN.set(true);
      operator.stop();
      settings.leaderElection().ifPresent(lease -> LeaseRelease.release(client, lease,
          identity()));
      client.close();
      health.close();
    }, "baton-shutdown"));
    operator.start();
    LOG.info("Baton started against {}", client.getMasterUrl());
  }

  /** One shard's operator and its reconciler. */
  private record ShardRun(Operator operator, BatonAppReconciler reconciler) {}

  /**
   * With shards: this replica reconciles the shards whose Leases it holds, each with an operator
   * of its own whose informers hold that shard's apps and children only, started when the
   * shard's Lease is taken and stopped before it is given back.
   */
  private static void runSharded(OperatorSettings settings, KubernetesClient client,
      PrometheusMeterRegistry registry, AtomicReference<Supplier<Collection<RuntimeInfo>>> runtimes,
      HealthServer health) {
    OperatorSettings.LeaseName lease = settings.leaderElection().orElseThrow();
    BatonMetrics metrics = new BatonMetrics(registry);
    Map<Integer, ShardRun> running = new ConcurrentHashMap<>();
    runtimes.set(() -> running.values().stream().map(r -> r.operator().getRuntimeInfo())
        .toList());
    ShardLeases.Shards shards = new ShardLeases.Shards() {
      @Override
      public void start(int shard) {
        UrgentFirstExecutor reconciles = new UrgentFirstExecutor(settings.reconcileThreads());
        Operator operator = new Operator(overrider -> overrider
            .withKubernetesClient(client)
            .withCloseClientOnStop(false)
            .withConcurrentReconciliationThreads(settings.reconcileThreads())
            .withExecutorService(reconciles)
            .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry)));
        BatonAppReconciler reconciler = Controllers.register(operator, client, settings, metrics,
            reconciles, new ShardScope(shard, settings.shards()));
        operator.start();
        running.put(shard, new ShardRun(operator, reconciler));
      }

      @Override
      public void stop(int shard) {
        ShardRun run = running.remove(shard);
        if (run != null) {
          run.operator().stop();
          run.reconciler().close();
          LOG.info("Stopped reconciling shard {}", shard);
        }
      }
    };
    ShardLeases leases = new ShardLeases(client, lease.namespace(), lease.name(),
        settings.shards(), identity(), shards, BatonOperator::shardLost, Clock.systemUTC(),
        registry);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      SHUTTING_DOWN.set(true);
      leases.close();
      client.close();
      health.close();
    }, "baton-shutdown"));
    leases.start();
    LOG.info("Baton started against {} with {} shards", client.getMasterUrl(), settings.shards());
  }

  /** As {@link #leadershipLost()}, for a shard's Lease. */
  private static void shardLost() {
    if (!SHUTTING_DOWN.get()) {
      Runtime.getRuntime().halt(1);
    }
  }
}
