package dev.baton.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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

  private BatonOperator() {}

  public static void main(String[] args) throws Exception {
    OperatorSettings settings = OperatorSettings.fromEnvironment(System.getenv());
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    AtomicReference<RuntimeInfo> runtime = new AtomicReference<>();
    // Serve probes before connecting, so a slow API server shows as "not ready", not "dead".
    HealthServer health = HealthServer.start(settings.httpAddress(), runtime::get, registry);
    LOG.info("Serving /healthz, /readyz and /metrics on port {}", health.port());

    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = new Operator(overrider -> {
      overrider
          .withKubernetesClient(client)
          .withConcurrentReconciliationThreads(settings.reconcileThreads())
          // Per-resource tags would give every BatonApp its own time series.
          .withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
      // Only the holder of the Lease reconciles; the others wait as hot standbys.
      settings.leaderElection().ifPresent(lease -> overrider.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration(lease.name(), lease.namespace())));
    });
    Controllers.register(operator, client, settings);
    runtime.set(operator.getRuntimeInfo());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      operator.stop();
      health.close();
    }, "baton-shutdown"));
    operator.start();
    LOG.info("Baton started against {}", client.getMasterUrl());
  }
}
