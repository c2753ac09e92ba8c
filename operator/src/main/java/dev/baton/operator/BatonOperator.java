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
import java.time.Duration;
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
    AtomicReference<RuntimeInfo> runtime = new AtomicReference<>();
    Gauge.builder("baton.informers.healthy", runtime,
            r -> r.get() != null && r.get().allEventSourcesAreHealthy() ? 1 : 0)
        .description("1 when every informer of the operator is healthy").register(registry);
    // Serve probes before connecting, so a slow API server shows as "not ready", not "dead".
    HealthServer health = HealthServer.start(settings.httpAddress(), runtime::get, registry);
    // hack/local-operator.sh reads the port from this line when it asked for port 0.
    LOG.info("Serving /healthz, /readyz and /metrics on port {}", health.port());

    KubernetesClient client = new KubernetesClientBuilder().build();
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
    runtime.set(operator.getRuntimeInfo());
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
}
