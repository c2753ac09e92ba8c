package dev.baton.analysis;

import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.BuiltInCheck;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.api.v1alpha1.ThresholdRange;
import dev.baton.api.v1alpha1.TrafficStep;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Commands;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.DataPlane;
import dev.baton.testcluster.PodServer;
import dev.baton.testcluster.RunningOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.testcluster.WithOperator;
import dev.baton.traffic.TrafficApps;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analysis in the rollout end to end: real requests through Traefik (hack/test.sh's data plane),
 * a real Prometheus (Debian's binary, hack/prometheus.sh) scraping Traefik's own metrics every
 * second; canary steps judged by the built-in success-rate check reading them, and blue/green
 * pre-promotion analyses holding the switch. Skipped, saying why, without the data plane or the
 * Prometheus binary.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class RolloutAnalysisIT {

  private static final Logger LOG = LoggerFactory.getLogger(RolloutAnalysisIT.class);

  static Path binary;
  static String traefikMetrics;
  static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus(TestCluster cluster) throws Exception {
    traefikMetrics = DataPlane.traefikMetricsTarget(cluster);
    assumeTrue(traefikMetrics != null, "canary analysis from the proxy's metrics needs "
        + "hack/test.sh's data plane: " + DataPlane.unavailableReason());
    binary = PrometheusServer.binary();
    prometheus = PrometheusServer.start(binary, traefikMetrics, null, null);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
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

  @Test
  void aCanaryServingErrorsIsAbortedOnTraefiksMetricsAndTheOldVersionKeepsServing(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = canary(client, "bad-canary", List.of(successRate(prometheus.address(), 10, 3)),
        CanaryStep.weight(25), analysisStep("success-rate"), CanaryStep.weight(50));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      String live = Apps.get(client, "bad-canary").getStatus().activeHash;
      newRevision(client, "bad-canary", "registry.example.com/shop/api:broken", "1");

      BatonApp aborted = awaitAborted(client, "bad-canary");
      Instant abortedAt = Instant.now();
      String canary = aborted.getStatus().rollout.targetHash;
      assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      assertThat(aborted.getStatus().phase).isEqualTo(Phase.Degraded);
      assertThat(aborted.getStatus().activeHash).isEqualTo(live);
      assertThat(runs(aborted)).singleElement().satisfies(r -> {
        assertThat(r.step).isEqualTo("step-1");
        assertThat(r.attempt).isEqualTo(1);
        assertThat(r.phase).isEqualTo(AnalysisPhase.Failed);
        assertThat(r.message).contains("success-rate").contains("[0.95, +inf]");
      });
      assertThat(events(client, "bad-canary", "AnalysisFailed")).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("success-rate")
              .contains("value 0.0").contains("[0.95, +inf]"));
      // Weight 0 in one write; then only the old version answers, and nothing fails.
      BatonApp drained = Apps.awaitStatus(client, "bad-canary",
          a -> Integer.valueOf(0).equals(a.getStatus().trafficWeight));
      traffic.assertOnlyRevisionAfter(live, abortedAt);
      Instant settled = abortedAt.plus(AppTraffic.PROPAGATION_BOUND);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          traffic.ledger().sentBetween(settled, Instant.MAX).size() >= 100);
      assertThat(traffic.ledger().sentBetween(settled, Instant.MAX))
          .filteredOn(TrafficLedger.Outcome::failed).isEmpty();
      // Before it, the only failures are the canary's own deliberate 500s, never the proxy's
      // or the old version's.
      traffic.assertFailuresOnlyWhere(f -> f.status() == 500 && canary.equals(f.revision()),
          "the canary's deliberate 5xx");
      assertThat(traffic.ledger().failures()).isNotEmpty();
      LOG.info("bad canary: {} deliberate failures before the abort; weight back to {}",
          traffic.ledger().failures().size(), drained.getStatus().trafficWeight);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  /**
   * The rolling strategy's analysis, on Traefik's metrics of the app's one route: a new template
   * that answers with errors is rolled back to the previous one while the old pods never stopped
   * serving (maxUnavailable 0), and the next, good template becomes stable only on its verdict.
   */
  @Test
  void aRollingUpdateServingErrorsIsRolledBackAndAGoodOneBecomesStableOnItsVerdict(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    String name = "rolling-analysed";
    BatonApp app = TrafficApps.behind(client, name, IngressSpec.Provider.traefik);
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.rolling = new RollingSpec();
    app.getSpec().strategy.rolling.analysis = new AnalysisSpec();
    app.getSpec().strategy.rolling.analysis.metrics = List.of("success-rate");
    app.getSpec().analysisMetrics = List.of(successRate(prometheus.address(), 10, 3));
    app.getSpec().progressDeadlineSeconds = 300;
    String oldImage = app.getSpec().template.getSpec().getContainers().get(0).getImage();
    String broken = "registry.example.com/shop/api:broken";
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      String live = Apps.get(client, name).getStatus().activeHash;
      newRevision(client, name, broken, "1");

      BatonApp aborted = awaitAborted(client, name);
      assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      assertThat(aborted.getStatus().activeHash).isEqualTo(live);
      assertThat(aborted.getStatus().activeRevision).isEqualTo(1);
      assertThat(runs(aborted)).singleElement().satisfies(r -> {
        assertThat(r.revision).isEqualTo(2);
        assertThat(r.step).isEqualTo(RunKey.BACKGROUND);
        assertThat(r.phase).isEqualTo(AnalysisPhase.Failed);
        assertThat(r.message).contains("success-rate").contains("[0.95, +inf]");
      });
      assertThat(events(client, name, "AnalysisFailed")).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("success-rate"));
      assertThat(events(client, name, "Promoted")).isEmpty();
      // The previous template is written back and the Deployment controller rolls it out again.
      org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> {
        var d = client.apps().deployments().withName(name).get();
        var st = d.getStatus();
        return oldImage.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0)
            .getImage()) && st != null
            && d.getMetadata().getGeneration().equals(st.getObservedGeneration())
            && d.getSpec().getReplicas().equals(st.getUpdatedReplicas())
            && d.getSpec().getReplicas().equals(st.getReplicas());
      });
      Instant settled = Instant.now().plus(AppTraffic.PROPAGATION_BOUND);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          traffic.ledger().sentBetween(settled, Instant.MAX).size() >= 50);
      assertThat(traffic.ledger().sentBetween(settled, Instant.MAX))
          .filteredOn(TrafficLedger.Outcome::failed).isEmpty();
      // Every failure was the broken template's own deliberate 500, never the proxy's.
      traffic.assertFailuresOnlyWhere(f -> f.status() == 500 && broken.equals(f.image()),
          "the broken template's deliberate 5xx");
      assertThat(traffic.ledger().failures()).isNotEmpty();

      newRevision(client, name, "registry.example.com/shop/api:1.8.4", "0");
      BatonApp stable = Apps.awaitStatus(client, name, a -> Integer.valueOf(3).equals(
          a.getStatus().activeRevision) && a.getStatus().phase == Phase.Healthy,
          Duration.ofSeconds(150));
      assertThat(runs(stable)).filteredOn(r -> r.revision == 3).singleElement()
          .satisfies(r -> assertThat(r.phase).isEqualTo(AnalysisPhase.Successful));
      // Promoted only once the verdict was in: the Event follows AnalysisPassed.
      Event passed = events(client, name, "AnalysisPassed").get(0);
      Event promoted = events(client, name, "Promoted").get(0);
      assertThat(Instant.parse(promoted.getMetadata().getCreationTimestamp()))
          .isAfterOrEqualTo(Instant.parse(passed.getMetadata().getCreationTimestamp()));
      assertThat(watcher.violations()).isEmpty();
    }
  }

  /**
   * ingress-nginx's built-in check, chosen by the app's provider (the metric names no proxy). No
   * nginx controller runs here: a scrape target serves what its /metrics would for this app, in
   * its names and labels (the canary's requests counted under the main Ingress, the canary
   * upstream in the {@code canary} label), the stable version's requests all 200 and the
   * canary's all 500; Baton renders the real Ingresses.
   */
  @Test
  void aCanaryBehindNginxServingErrorsIsAbortedOnIngressNginxsMetrics(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    String ns = client.getNamespace();
    try (MetricsTarget nginx = new MetricsTarget();
        PrometheusServer own = PrometheusServer.start(binary, nginx.target(), null, null)) {
      BatonApp app = canary(client, "nginx-canary", IngressSpec.Provider.nginx,
          List.of(successRate(own.address(), null, 10, 3)),
          CanaryStep.weight(25), analysisStep("success-rate"), CanaryStep.weight(50));
      String upstream = ns + "-" + dev.baton.planning.DesiredObjects.previewServiceName(
          "nginx-canary") + "-" + app.getSpec().service.port;
      String labels = "namespace=\"" + ns + "\",ingress=\"nginx-canary\","
          + "service=\"nginx-canary\"";
      nginx.grow("nginx_ingress_controller_requests{" + labels + ",status=\"200\",canary=\"\"}",
          30);
      nginx.grow("nginx_ingress_controller_requests{" + labels + ",status=\"500\",canary=\""
          + upstream + "\"}", 10);
      try (CapacityWatcher watcher = Apps.deployHealthy(client, app)) {
        String live = Apps.get(client, "nginx-canary").getStatus().activeHash;
        newRevision(client, "nginx-canary", "registry.example.com/shop/api:broken", null);

        BatonApp aborted = Apps.awaitStatus(client, "nginx-canary",
            a -> a.getStatus().rollout != null && a.getStatus().rollout.aborted != null,
            Duration.ofSeconds(120));
        assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
        assertThat(aborted.getStatus().activeHash).isEqualTo(live);
        assertThat(runs(aborted)).singleElement().satisfies(r -> {
          assertThat(r.step).isEqualTo("step-1");
          assertThat(r.phase).isEqualTo(AnalysisPhase.Failed);
        });
        // 0.0: only the canary upstream's 500s counted, never the stable version's 200s.
        assertThat(events(client, "nginx-canary", "AnalysisFailed")).singleElement()
            .satisfies(e -> assertThat(e.getMessage()).contains("success-rate")
                .contains("value 0.0").contains("[0.95, +inf]"));
        BatonApp drained = Apps.awaitStatus(client, "nginx-canary",
            a -> Integer.valueOf(0).equals(a.getStatus().trafficWeight));
        LOG.info("nginx canary aborted on ingress-nginx's metrics; weight {}",
            drained.getStatus().trafficWeight);
        assertThat(watcher.violations()).isEmpty();
      }
    }
  }

  @Test
  void aGoodVersionPassesEveryAnalysisStepAndIsPromoted(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    BatonApp app = canary(client, "good-canary",
        List.of(successRate(prometheus.address(), 10, 2)), CanaryStep.weight(25),
        analysisStep("success-rate"), CanaryStep.weight(50), analysisStep("success-rate"));
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      newRevision(client, "good-canary", "registry.example.com/shop/api:1.8.3", null);

      BatonApp promoted = awaitPromoted(client, "good-canary");
      assertThat(runs(promoted)).extracting(r -> r.step + ":" + r.phase)
          .containsExactly("step-1:Successful", "step-3:Successful");
      assertThat(runs(promoted)).allSatisfy(r -> assertThat(r.metrics.get(0).successful)
          .isEqualTo(2));
      assertThat(events(client, "good-canary", "AnalysisPassed")).hasSize(2);
      traffic.assertOnlyRevisionAfter(promoted.getStatus().activeHash, Instant.now());
      traffic.assertNoFailedRequests();
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void tooFewRequestsAreInconclusiveAndAPromoteAcceptsThatOnce(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    // No traffic is sent: the canary's request count stays under minRequests.
    BatonApp app = oneStepCanary(client, "quiet-canary", successRate(prometheus.address(), 10, 2));
    try (CapacityWatcher watcher = deployAndRollOut(client, app)) {
      BatonApp paused = Apps.awaitStatus(client, "quiet-canary",
          a -> a.getStatus().phase == Phase.Paused && Apps.condition(a, "Paused")
              .filter(c -> "AnalysisInconclusive".equals(c.getReason())).isPresent(),
          Duration.ofSeconds(120));
      assertThat(paused.getStatus().trafficWeight).isEqualTo(25);
      assertThat(paused.getStatus().activeRevision).isEqualTo(1);
      assertThat(runs(paused)).singleElement().satisfies(r -> {
        assertThat(r.phase).isEqualTo(AnalysisPhase.Inconclusive);
        assertThat(r.overridden).isNull();
        assertThat(r.message).contains("no requests to the canary");
      });
      assertThat(events(client, "quiet-canary", "AnalysisInconclusive")).hasSize(1);

      Apps.annotate(client, "quiet-canary", Commands.PROMOTE, "");
      BatonApp promoted = awaitPromoted(client, "quiet-canary");
      assertThat(runs(promoted)).singleElement().satisfies(r -> {
        assertThat(r.phase).isEqualTo(AnalysisPhase.Inconclusive);
        assertThat(r.overridden).isTrue();
      });
      assertThat(events(client, "quiet-canary", "AnalysisOverridden")).hasSize(1);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void prometheusStoppedMidAnalysisIsAnErrorStreakThatAborts(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    // A Prometheus of this test's own, stopped half way; its metric always passes while it runs.
    try (PrometheusServer own = PrometheusServer.start(binary, traefikMetrics, null, null)) {
      AnalysisMetric up = query("always-up", own.address(), "vector(1)");
      up.count = 1000;
      up.consecutiveErrorLimit = 3;
      BatonApp app = oneStepCanary(client, "blind-canary", up);
      try (CapacityWatcher watcher = deployAndRollOut(client, app)) {
        Apps.awaitStatus(client, "blind-canary", a -> runs(a).stream().anyMatch(r ->
            r.phase == AnalysisPhase.Running), Duration.ofSeconds(120));
        // A few passing measurements, then the provider goes away.
        Thread.sleep(5_000);
        own.stop();

        BatonApp aborted = awaitAborted(client, "blind-canary");
        assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
        assertThat(aborted.getStatus().activeRevision).isEqualTo(1);
        assertThat(runs(aborted)).singleElement().satisfies(r -> {
          assertThat(r.phase).isEqualTo(AnalysisPhase.Failed);
          assertThat(r.message).contains("3 measurement errors in a row");
          assertThat(r.metrics.get(0).successful).isPositive();
          assertThat(r.metrics.get(0).consecutiveErrors).isEqualTo(3);
        });
        Apps.awaitStatus(client, "blind-canary",
            a -> Integer.valueOf(0).equals(a.getStatus().trafficWeight));
        assertThat(watcher.violations()).isEmpty();
      }
    }
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

  @Test
  void aBlueGreenSwitchWaitsForThePrePromotionVerdictAndAFailureKeepsTheOldVersion(
      TestCluster cluster) {
    KubernetesClient client = cluster.client();
    // Passes on Prometheus' own record that it scrapes Traefik (up == 1).
    BatonApp good = blueGreen(client, "bg-pre-good",
        query("scraped", prometheus.address(), "max(up{job=\"app\"})"));
    // Fails: the value is 0.
    BatonApp bad = blueGreen(client, "bg-pre-bad",
        query("zero", prometheus.address(), "vector(0)"));
    try (CapacityWatcher goodWatcher = Apps.deployHealthy(client, good);
        CapacityWatcher badWatcher = Apps.deployHealthy(client, bad);
        AppTraffic traffic = AppTraffic.start(cluster, bad)) {
      String live = Apps.get(client, "bg-pre-bad").getStatus().activeHash;
      newRevision(client, "bg-pre-good", "registry.example.com/shop/api:1.8.3", null);
      newRevision(client, "bg-pre-bad", "registry.example.com/shop/api:1.8.3", null);

      BatonApp promoted = awaitPromoted(client, "bg-pre-good");
      assertThat(runs(promoted)).singleElement().satisfies(r -> {
        assertThat(r.step).isEqualTo("prePromotion");
        assertThat(r.phase).isEqualTo(AnalysisPhase.Successful);
        assertThat(r.metrics.get(0).successful).isEqualTo(2);
      });
      // The switch came after the verdict, not at the preview's readiness.
      Instant verdict = Instant.parse(runs(promoted).get(0).completedAt);
      assertThat(promoted.getStatus().history).filteredOn(h -> Integer.valueOf(2)
          .equals(h.revision)).singleElement().satisfies(h ->
              assertThat(Instant.parse(h.promotedAt)).isAfterOrEqualTo(verdict));

      BatonApp aborted = awaitAborted(client, "bg-pre-bad");
      assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      assertThat(aborted.getStatus().activeHash).isEqualTo(live);
      assertThat(runs(aborted)).singleElement().satisfies(r ->
          assertThat(r.phase).isEqualTo(AnalysisPhase.Failed));
      assertThat(events(client, "bg-pre-bad", "AnalysisFailed")).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("zero").contains("value 0.0")
              .contains("[0.5, +inf]"));
      // The preview never took a request: the old version answered every one.
      traffic.assertOnlyRevisionAfter(live, Instant.now());
      traffic.assertNoFailedRequests();
      assertThat(goodWatcher.violations()).isEmpty();
      assertThat(badWatcher.violations()).isEmpty();
    }
  }

  /**
   * A stepped blue/green whose first traffic step carries an analysis: the step holds at its
   * weight for the verdict, and a failure puts the weight back to 0 while the live version, which
   * never stopped serving, keeps every request.
   */
  @Test
  void aSteppedBlueGreenTrafficStepWaitsForItsAnalysisAndAFailureDrainsIt(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    AnalysisMetric zero = query("zero", prometheus.address(), "vector(0)");
    BatonApp app = TrafficApps.behind(client, "bg-steps", IngressSpec.Provider.traefik);
    app.getSpec().analysisMetrics = List.of(zero);
    TrafficStep ten = new TrafficStep();
    ten.weight = 10;
    ten.pauseSeconds = 1;
    ten.analysis = new AnalysisSpec();
    ten.analysis.metrics = List.of("zero");
    TrafficStep half = new TrafficStep();
    half.weight = 50;
    app.getSpec().strategy.blueGreen.trafficSteps = List.of(ten, half);
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      String live = Apps.get(client, "bg-steps").getStatus().activeHash;
      newRevision(client, "bg-steps", "registry.example.com/shop/api:1.8.3", null);

      BatonApp aborted = awaitAborted(client, "bg-steps");
      assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      assertThat(aborted.getStatus().activeHash).isEqualTo(live);
      assertThat(runs(aborted)).singleElement().satisfies(r -> {
        assertThat(r.step).isEqualTo("step-0");
        assertThat(r.phase).isEqualTo(AnalysisPhase.Failed);
      });
      assertThat(events(client, "bg-steps", "AnalysisFailed")).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("zero").contains("value 0.0"));
      Apps.awaitStatus(client, "bg-steps",
          a -> Integer.valueOf(0).equals(a.getStatus().trafficWeight));
      // The step never moved on to 50 %, and the proxy never failed a request.
      assertThat(events(client, "bg-steps", "StepReached"))
          .noneMatch(e -> e.getMessage().contains("50%"));
      traffic.assertOnlyRevisionAfter(live, Instant.now());
      traffic.assertNoFailedRequests();
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void aFailedPostPromotionAnalysisSwitchesBackToTheWarmVersionAndHoldsIt(TestCluster cluster) {
    KubernetesClient client = cluster.client();
    AnalysisMetric zero = query("zero", prometheus.address(), "vector(0)");
    // Later than the 2 s rollback window: the previous version must be held warm meanwhile.
    zero.initialDelaySeconds = 5;
    BatonApp app = Apps.example(client, "bg-post");
    app.getSpec().analysisMetrics = List.of(zero);
    app.getSpec().strategy.blueGreen.postPromotionAnalysis = new AnalysisSpec();
    app.getSpec().strategy.blueGreen.postPromotionAnalysis.metrics = List.of("zero");
    try (CapacityWatcher watcher = Apps.deployHealthy(client, app);
        AppTraffic traffic = AppTraffic.start(cluster, app)) {
      String first = Apps.get(client, "bg-post").getStatus().activeHash;
      newRevision(client, "bg-post", "registry.example.com/shop/api:1.8.3", null);

      BatonApp switched = Apps.awaitStatus(client, "bg-post",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision));
      String second = switched.getStatus().activeHash;
      BatonApp back = Apps.awaitStatus(client, "bg-post",
          a -> Integer.valueOf(1).equals(a.getStatus().activeRevision)
              && a.getStatus().rollback != null, Duration.ofSeconds(60));
      Instant backAt = Instant.now();
      assertThat(back.getStatus().rollback.revision).isEqualTo(1);
      assertThat(runs(back)).singleElement().satisfies(r -> {
        assertThat(r.step).isEqualTo("postPromotion");
        assertThat(r.revision).isEqualTo(2);
        assertThat(r.phase).isEqualTo(AnalysisPhase.Failed);
      });
      assertThat(events(client, "bg-post", "AnalysisFailed")).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("post-promotion")
              .contains("zero").contains("value 0.0"));
      // The switch's Event comes from the reconcile that sees the Service moved, just after.
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> !events(client, "bg-post", "RolledBack").isEmpty());
      traffic.assertOnlyRevisionAfter(first, backAt);
      // Held: the same spec does not roll forward again.
      BatonApp steady = Apps.awaitPhase(client, "bg-post", Phase.Healthy);
      assertThat(steady.getStatus().activeHash).isEqualTo(first);
      assertThat(steady.getStatus().rollback.revision).isEqualTo(1);
      LOG.info("post-promotion: {} switched to, then back to {}", second, first);
      // Both versions were good servers: no request failed at any point, the switch back
      // included (the previous version never lost a pod).
      traffic.assertNoFailedRequests();
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void anOperatorRestartedMidAnalysisResumesTheRunFromStatus(TestCluster cluster,
      RunningOperator operator) throws Exception {
    KubernetesClient client = cluster.client();
    AnalysisMetric up = query("scraped", prometheus.address(), "max(up{job=\"app\"})");
    up.count = 5;
    BatonApp app = oneStepCanary(client, "resumed-canary", up);
    try (CapacityWatcher watcher = deployAndRollOut(client, app)) {
      BatonApp running = Apps.awaitStatus(client, "resumed-canary", a -> runs(a).stream()
          .anyMatch(r -> r.phase == AnalysisPhase.Running), Duration.ofSeconds(120));
      String startedAt = runs(running).get(0).startedAt;
      Thread.sleep(3_000); // a measurement or two, held in memory only (counters wait a minute)
      operator.restart();

      BatonApp promoted = awaitPromoted(client, "resumed-canary");
      // The same run, resumed from status: one verdict, given once.
      assertThat(runs(promoted)).singleElement().satisfies(r -> {
        assertThat(r.startedAt).isEqualTo(startedAt);
        assertThat(r.attempt).isEqualTo(1);
        assertThat(r.phase).isEqualTo(AnalysisPhase.Successful);
        assertThat(r.metrics.get(0).successful).isEqualTo(5);
      });
      assertThat(events(client, "resumed-canary", "AnalysisPassed")).hasSize(1);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  @Test
  void aVerdictSurvivesARestartAndARetryStartsAFreshAttempt(TestCluster cluster,
      RunningOperator operator) throws Exception {
    KubernetesClient client = cluster.client();
    AnalysisMetric zero = query("zero", prometheus.address(), "vector(0)");
    zero.count = 1;
    BatonApp app = oneStepCanary(client, "retried-canary", zero);
    try (CapacityWatcher watcher = deployAndRollOut(client, app)) {
      awaitAborted(client, "retried-canary");

      operator.restart();
      Thread.sleep(5_000);
      BatonApp still = Apps.get(client, "retried-canary");
      assertThat(still.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      assertThat(runs(still)).singleElement().satisfies(r ->
          assertThat(r.phase).isEqualTo(AnalysisPhase.Failed));
      assertThat(events(client, "retried-canary", "AnalysisFailed")).hasSize(1);

      Apps.annotate(client, "retried-canary", Commands.RETRY, "");
      BatonApp again = Apps.awaitStatus(client, "retried-canary", a -> runs(a).size() == 2
          && runs(a).get(1).phase == AnalysisPhase.Failed && a.getStatus().rollout.aborted != null,
          Duration.ofSeconds(120));
      assertThat(again.getStatus().rollout.attempt).isEqualTo(2);
      assertThat(runs(again)).extracting(r -> r.attempt + ":" + r.phase + ":"
          + r.metrics.get(0).failed).containsExactly("1:Failed:1", "2:Failed:1");
      assertThat(watcher.violations()).isEmpty();
    }
  }

  /** Rule 4: an analysis abort is an abort like any other, so the expand it ran is undone. */
  @Test
  void anAnalysisAbortAfterExpandRunsTheOnAbortMigrationOnce(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    AnalysisMetric zero = query("zero", prometheus.address(), "vector(0)");
    zero.count = 1;
    BatonApp app = oneStepCanary(client, "migrated-canary", zero);
    app.getSpec().database = new dev.baton.api.v1alpha1.DatabaseSpec();
    app.getSpec().database.primary = new dev.baton.api.v1alpha1.DatabaseEndpoint();
    app.getSpec().database.primary.host = "mysql-0.mysql.db.svc.cluster.local";
    app.getSpec().database.primary.port = 3306;
    app.getSpec().database.migration = new dev.baton.api.v1alpha1.MigrationSpec();
    app.getSpec().database.migration.image = "registry.example.com/shop/migrate:1";
    app.getSpec().database.migration.expand = migrationStep("expand");
    app.getSpec().database.migration.onAbort = migrationStep("down");
    app.getSpec().database.migration.backoffLimit = 0;
    try (CapacityWatcher watcher = deployAndRollOut(client, app)) {
      BatonApp aborted = Apps.awaitStatus(client, "migrated-canary",
          a -> a.getStatus().rollout != null && a.getStatus().rollout.aborted != null,
          Duration.ofSeconds(120));
      assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      BatonApp undone = Apps.awaitStatus(client, "migrated-canary",
          a -> a.getStatus().migrations != null && a.getStatus().migrations.stream().anyMatch(
              m -> "migrated-canary-r2-onabort".equals(m.jobName)
                  && m.state == dev.baton.api.v1alpha1.MigrationStatus.State.Succeeded));
      // Another change to the app's metadata: still one onAbort, and still aborted.
      Apps.annotate(client, "migrated-canary", "example.com/touched", "yes");
      Thread.sleep(3_000); // the reconciles it wakes
      assertThat(Apps.get(client, "migrated-canary").getStatus().rollout.aborted).isNotNull();
      org.awaitility.Awaitility.await().atMost(TIMEOUT).untilAsserted(() ->
          assertThat(events(client, "migrated-canary", "MigrationSucceeded"))
              .filteredOn(e -> e.getMessage().contains("migrated-canary-r2-onabort"))
              .hasSize(1));
      assertThat(client.batch().v1().jobs().withLabel(dev.baton.planning.Labels.APP,
          "migrated-canary").list().getItems()).extracting(j -> j.getMetadata().getName())
          .filteredOn(n -> n.contains("-r2-")).containsExactlyInAnyOrder(
              "migrated-canary-r2-expand", "migrated-canary-r2-onabort");
      assertThat(events(client, "migrated-canary", "MigrationStarted"))
          .filteredOn(e -> e.getMessage().contains("migrated-canary-r2-onabort")).hasSize(1);
      assertThat(undone.getStatus().activeRevision).isEqualTo(1);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  static dev.baton.api.v1alpha1.MigrationStep migrationStep(String arg) {
    dev.baton.api.v1alpha1.MigrationStep step = new dev.baton.api.v1alpha1.MigrationStep();
    step.args = List.of("migrate", arg);
    return step;
  }

  /** A job metric: a Job per measurement; {@code behavior} is the KWOK control of its pod. */
  static AnalysisMetric job(String name, String behavior, int count) throws Exception {
    AnalysisMetric m = new AnalysisMetric();
    m.name = name;
    m.provider = new MetricProviderSpec();
    m.provider.job = new dev.baton.api.v1alpha1.JobMetric();
    m.provider.job.spec = new com.fasterxml.jackson.databind.ObjectMapper().readTree("""
        {"template": {"metadata": {"labels": {"test.baton.dev/behavior": "%s"}},
          "spec": {"containers": [{"name": "smoke", "image": "registry.example.com/smoke:1"}]}}}
        """.formatted(behavior));
    m.count = count;
    return m;
  }

  @Test
  void jobMetricsPassWhenTheirJobsSucceedAndAbortWhenOneFails(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    BatonApp good = canary(client, "job-good", List.of(job("smoke", "default", 2)),
        CanaryStep.weight(25), analysisStep("smoke"));
    BatonApp bad = canary(client, "job-bad", List.of(job("smoke", "job-fail", 2)),
        CanaryStep.weight(25), analysisStep("smoke"));
    try (CapacityWatcher goodWatcher = Apps.deployHealthy(client, good);
        CapacityWatcher badWatcher = Apps.deployHealthy(client, bad)) {
      newRevision(client, "job-good", "registry.example.com/shop/api:1.8.3", null);
      newRevision(client, "job-bad", "registry.example.com/shop/api:1.8.3", null);

      BatonApp promoted = awaitPromoted(client, "job-good");
      assertThat(runs(promoted)).singleElement().satisfies(r -> {
        assertThat(r.phase).isEqualTo(AnalysisPhase.Successful);
        assertThat(r.metrics.get(0).successful).isEqualTo(2);
      });
      // One Job per measurement, named by app, metric, run and measurement.
      assertThat(client.batch().v1().jobs().withLabel(
          dev.baton.analysis.provider.job.JobMeasurements.RUN, "r2-a1-step-1").list().getItems())
          .extracting(j -> j.getMetadata().getName())
          .contains("job-good-smoke-r2-a1-step-1-1", "job-good-smoke-r2-a1-step-1-2");

      BatonApp aborted = awaitAborted(client, "job-bad");
      assertThat(aborted.getStatus().rollout.aborted.reason).isEqualTo("AnalysisFailed");
      assertThat(aborted.getStatus().activeRevision).isEqualTo(1);
      assertThat(events(client, "job-bad", "AnalysisFailed")).singleElement()
          .satisfies(e -> assertThat(e.getMessage()).contains("job-bad-smoke-r2-a1-step-1-1")
              .contains("failed"));
      assertThat(goodWatcher.violations()).isEmpty();
      assertThat(badWatcher.violations()).isEmpty();
    }
  }

  @Test
  void webAndBasicAuthPrometheusMetricsReadTheirCredentialsFromSecrets(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    client.resource(new io.fabric8.kubernetes.api.model.SecretBuilder().withNewMetadata()
        .withName("metrics-reader").endMetadata()
        .addToStringData("username", "baton")
        .addToStringData("password", PrometheusProviderIT.PASSWORD)
        .addToStringData("token", "web-token-from-a-secret").build()).create();
    java.util.concurrent.atomic.AtomicReference<String> seenToken =
        new java.util.concurrent.atomic.AtomicReference<>();
    com.sun.net.httpserver.HttpServer web = com.sun.net.httpserver.HttpServer.create(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    web.createContext("/ratio", exchange -> {
      seenToken.set(exchange.getRequestHeaders().getFirst("X-Token"));
      byte[] body = "{\"data\":{\"errorRate\":0.01}}".getBytes(
          java.nio.charset.StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    try (PrometheusServer guarded = PrometheusServer.start(binary, traefikMetrics,
        "baton:" + PrometheusProviderIT.HASH, "baton:" + PrometheusProviderIT.PASSWORD)) {
      AnalysisMetric prom = query("guarded", guarded.address(), "vector(1)");
      prom.provider.prometheus.authentication = new dev.baton.api.v1alpha1.HttpAuthentication();
      prom.provider.prometheus.authentication.basic = new dev.baton.api.v1alpha1.CredentialsRef();
      prom.provider.prometheus.authentication.basic.name = "metrics-reader";
      AnalysisMetric ratio = new AnalysisMetric();
      ratio.name = "web-ratio";
      ratio.provider = new MetricProviderSpec();
      ratio.provider.web = new dev.baton.api.v1alpha1.WebMetric();
      ratio.provider.web.url = "http://127.0.0.1:" + web.getAddress().getPort() + "/ratio";
      ratio.provider.web.jsonPointer = "/data/errorRate";
      dev.baton.api.v1alpha1.HttpHeader token = new dev.baton.api.v1alpha1.HttpHeader();
      token.name = "X-Token";
      token.valueFrom = dev.baton.api.v1alpha1.SecretKeyRef.of("metrics-reader", "token");
      ratio.provider.web.headers = List.of(token);
      ratio.thresholdRange = ThresholdRange.of(null, 0.05);
      ratio.intervalSeconds = 2;
      ratio.count = 2;
      BatonApp app = canary(client, "creds-canary", List.of(prom, ratio), CanaryStep.weight(25),
          analysisStep("guarded", "web-ratio"));
      try (CapacityWatcher watcher = deployAndRollOut(client, app)) {
        BatonApp promoted = awaitPromoted(client, "creds-canary");
        assertThat(runs(promoted)).singleElement().satisfies(r -> {
          assertThat(r.phase).isEqualTo(AnalysisPhase.Successful);
          assertThat(r.metrics).extracting(m -> m.name + ":" + m.phase + ":" + m.error)
              .containsExactlyInAnyOrder("guarded:Successful:0", "web-ratio:Successful:0");
        });
        assertThat(seenToken.get()).isEqualTo("web-token-from-a-secret");
        // Secret values never reach status or Events.
        assertThat(client.getKubernetesSerialization().asJson(promoted.getStatus()))
            .doesNotContain(PrometheusProviderIT.PASSWORD).doesNotContain("web-token-from");
        assertThat(watcher.violations()).isEmpty();
      }
    } finally {
      web.stop(0);
    }
  }
}
