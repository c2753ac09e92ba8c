package dev.baton.analysis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BuiltInCheck;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.ThresholdRange;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.DataPlane;
import dev.baton.testcluster.PodServer;
import dev.baton.testcluster.TestCluster;
import dev.baton.traffic.TrafficApps;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;

/**
 * The apps, metrics and waits the analysis integration tests share: canaries and blue/green apps
 * behind Traefik with their analyses, the built-in success-rate check and plain Prometheus
 * queries, and the Prometheus that scrapes the test run's Traefik.
 */
final class AnalysisApps {

  private AnalysisApps() {}

  /**
   * A Prometheus scraping the data plane's Traefik every second; the calling class is skipped,
   * saying why, without the data plane or the Prometheus binary.
   */
  static PrometheusServer prometheusScrapingTraefik(TestCluster cluster) throws Exception {
    String traefikMetrics = DataPlane.traefikMetricsTarget(cluster);
    assumeTrue(traefikMetrics != null, "analysis from the proxy's metrics needs "
        + "hack/test.sh's data plane: " + DataPlane.unavailableReason());
    PrometheusServer server = PrometheusServer.start(PrometheusServer.binary(), traefikMetrics,
        null, null);
    server.awaitScraped();
    return server;
  }

  /** The built-in success-rate check of the canary, from Traefik's metrics. */
  static AnalysisMetric successRate(String address, int minRequests, int count) {
    return successRate(address, BuiltInCheck.Proxy.traefik, minRequests, count);
  }

  /** The built-in success-rate check of {@code proxy} (null: the app's provider's). */
  static AnalysisMetric successRate(String address, BuiltInCheck.Proxy proxy, int minRequests,
      int count) {
    AnalysisMetric m = Metrics.successRate("success-rate", address, proxy);
    m.provider.prometheus.timeoutSeconds = 2;
    m.provider.prometheus.builtIn.windowSeconds = 10;
    m.provider.prometheus.builtIn.minRequests = minRequests;
    // Traefik reloads its routes within ~2 s of the weight and Prometheus scrapes every second.
    m.initialDelaySeconds = 6;
    m.intervalSeconds = 3;
    m.count = count;
    return m;
  }

  static CanaryStep analysisStep(String... metrics) {
    CanaryStep step = new CanaryStep();
    step.analysis = new AnalysisSpec();
    step.analysis.metrics = List.of(metrics);
    return step;
  }

  /** The app behind Traefik as a canary with {@code steps} and its own {@code metrics}. */
  static BatonApp canary(KubernetesClient client, String name, List<AnalysisMetric> metrics,
      CanaryStep... steps) {
    return canary(client, name, IngressSpec.Provider.traefik, metrics, steps);
  }

  /** The app behind {@code provider} as a canary with {@code steps} and its own metrics. */
  static BatonApp canary(KubernetesClient client, String name, IngressSpec.Provider provider,
      List<AnalysisMetric> metrics, CanaryStep... steps) {
    BatonApp app = TrafficApps.behind(client, name, provider);
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.canary = new CanarySpec();
    app.getSpec().strategy.canary.scaleDownDelaySeconds = 2;
    app.getSpec().strategy.canary.steps = List.of(steps);
    app.getSpec().analysisMetrics = metrics;
    app.getSpec().progressDeadlineSeconds = 300;
    return app;
  }

  /** A canary whose one analysis step, at 25 %, runs {@code metric}. */
  static BatonApp oneStepCanary(KubernetesClient client, String name, AnalysisMetric metric) {
    return canary(client, name, List.of(metric), CanaryStep.weight(25),
        analysisStep(metric.name));
  }

  /** Deploys {@code app} healthy, then rolls out a new, good revision; watching its capacity. */
  static CapacityWatcher deployAndRollOut(KubernetesClient client, BatonApp app) {
    CapacityWatcher watcher = Apps.deployHealthy(client, app);
    try {
      newRevision(client, app.getMetadata().getName(), "registry.example.com/shop/api:1.8.3",
          null);
      return watcher;
    } catch (RuntimeException e) {
      watcher.close();
      throw e;
    }
  }

  /** A new revision: another image, and the pod server's 5xx control when {@code errorRate}. */
  static void newRevision(KubernetesClient client, String name, String image, String errorRate) {
    Apps.edit(client, name, a -> {
      a.getSpec().template.getSpec().getContainers().get(0).setImage(image);
      if (errorRate != null) {
        if (a.getSpec().template.getMetadata().getAnnotations() == null) {
          a.getSpec().template.getMetadata().setAnnotations(new HashMap<>());
        }
        a.getSpec().template.getMetadata().getAnnotations().put(PodServer.ERROR_RATE, errorRate);
      }
    });
  }

  /** The app once its rollout is aborted (within two minutes: analyses take a while). */
  static BatonApp awaitAborted(KubernetesClient client, String name) {
    return Apps.awaitStatus(client, name, a -> a.getStatus().rollout != null
        && a.getStatus().rollout.aborted != null, Duration.ofSeconds(120));
  }

  /** The app once revision 2 serves and it is Healthy (analysis steps take a while). */
  static BatonApp awaitPromoted(KubernetesClient client, String name) {
    return Apps.awaitStatus(client, name, a -> Integer.valueOf(2).equals(
        a.getStatus().activeRevision) && a.getStatus().phase == Phase.Healthy,
        Duration.ofSeconds(150));
  }

  static List<AnalysisRunStatus> runs(BatonApp app) {
    return app.getStatus().analysis == null ? List.of() : app.getStatus().analysis;
  }

  static List<Event> events(KubernetesClient client, String name, String reason) {
    return client.v1().events().withField("involvedObject.name", name).list().getItems()
        .stream().filter(e -> reason.equals(e.getReason())).toList();
  }

  /** A Prometheus metric of {@code query} that passes at 0.5 and above. */
  static AnalysisMetric query(String name, String address, String query) {
    AnalysisMetric m = Metrics.prometheus(name, address, query);
    m.provider.prometheus.timeoutSeconds = 2;
    m.thresholdRange = ThresholdRange.of(0.5, null);
    m.intervalSeconds = 2;
    m.count = 2;
    return m;
  }

  static BatonApp blueGreen(KubernetesClient client, String name, AnalysisMetric metric) {
    BatonApp app = Apps.example(client, name);
    app.getSpec().analysisMetrics = List.of(metric);
    app.getSpec().strategy.blueGreen.prePromotionAnalysis = new AnalysisSpec();
    app.getSpec().strategy.blueGreen.prePromotionAnalysis.metrics = List.of(metric.name);
    return app;
  }
}
