package dev.baton.analysis;

import static dev.baton.analysis.AnalysisApps.analysisStep;
import static dev.baton.analysis.AnalysisApps.awaitAborted;
import static dev.baton.analysis.AnalysisApps.awaitPromoted;
import static dev.baton.analysis.AnalysisApps.canary;
import static dev.baton.analysis.AnalysisApps.deployAndRollOut;
import static dev.baton.analysis.AnalysisApps.events;
import static dev.baton.analysis.AnalysisApps.newRevision;
import static dev.baton.analysis.AnalysisApps.oneStepCanary;
import static dev.baton.analysis.AnalysisApps.query;
import static dev.baton.analysis.AnalysisApps.runs;
import static dev.baton.analysis.AnalysisApps.successRate;
import static dev.baton.bluegreen.Apps.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.IngressSpec;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.api.v1alpha1.ThresholdRange;
import dev.baton.bluegreen.Apps;
import dev.baton.planning.Commands;
import dev.baton.testcluster.AppTraffic;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.DataPlane;
import dev.baton.testcluster.RunningOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.TrafficLedger;
import dev.baton.testcluster.WithOperator;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
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
 * Analysis in the rollout end to end: real requests through Traefik (hack/test.sh's data plane),
 * a real Prometheus (Debian's binary, hack/prometheus.sh) scraping Traefik's own metrics every
 * second; canary steps judged by the built-in success-rate check reading them, restarts and
 * retries, migrations, job and web metrics. Skipped, saying why, without the data plane or the
 * Prometheus binary. The other strategies' analyses are {@link StrategyAnalysisIT}'s.
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
    prometheus.awaitScraped();
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
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
      // The check's window must hold two samples of the canary's series before its step: a
      // measurement sooner (seen in CI under load) finds no requests and is inconclusive.
      own.awaitPositive("increase(nginx_ingress_controller_requests{canary=\"" + upstream
          + "\"}[10s])");
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
