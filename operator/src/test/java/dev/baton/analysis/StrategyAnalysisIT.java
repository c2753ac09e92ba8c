package dev.baton.analysis;

import static dev.baton.analysis.AnalysisApps.awaitAborted;
import static dev.baton.analysis.AnalysisApps.awaitPromoted;
import static dev.baton.analysis.AnalysisApps.blueGreen;
import static dev.baton.analysis.AnalysisApps.canary;
import static dev.baton.analysis.AnalysisApps.events;
import static dev.baton.analysis.AnalysisApps.newRevision;
import static dev.baton.analysis.AnalysisApps.query;
import static dev.baton.analysis.AnalysisApps.runs;
import static dev.baton.analysis.AnalysisApps.successRate;
import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.RollingSpec;
import dev.baton.api.v1alpha1.TrafficStep;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.testcluster.WithOperator;
import dev.baton.traffic.TrafficApps;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Analysis with the blue/green and rolling strategies end to end, with real requests through
 * Traefik and a real Prometheus: blue/green pre- and post-promotion analyses, a stepped
 * blue/green's traffic step, and a rolling update judged on Traefik's metrics of its one route.
 * The canary's analyses are {@link RolloutAnalysisIT}'s.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class StrategyAnalysisIT {

  private static final Logger LOG = LoggerFactory.getLogger(StrategyAnalysisIT.class);
  static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus(TestCluster cluster) throws Exception {
    prometheus = AnalysisApps.prometheusScrapingTraefik(cluster);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
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
}
