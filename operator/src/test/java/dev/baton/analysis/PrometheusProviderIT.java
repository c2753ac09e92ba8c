package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.analysis.provider.ProviderCredentials;
import dev.baton.analysis.provider.prometheus.PrometheusMetricProvider;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus provider and the verdict rules against a real Prometheus (Debian's binary,
 * started by the test on 127.0.0.1 with a temporary TSDB, scraping a target the test serves
 * every second). No Kubernetes cluster is needed.
 */
class PrometheusProviderIT {

  static final String ERROR_RATIO = "sum(http_requests_total{code=~\"5..\"}) "
      + "/ sum(http_requests_total)";
  /** bcrypt (cost 4) of {@link #PASSWORD}, as Prometheus' web config wants it. */
  static final String HASH = "$2b$04$NyUSXLRLjaWBdw.PFdC1Zeq6QoT7185Wbcm7LZbN1rrlQxj6b9hui";
  static final String PASSWORD = "analysis-test-password";

  static Path binary;
  static MetricsTarget target;
  static PrometheusServer prometheus;
  final PrometheusMetricProvider provider = new PrometheusMetricProvider();
  final AnalysisVariables vars = AnalysisVariables.placeholders("shop", "prod");

  @BeforeAll
  static void start() throws Exception {
    binary = PrometheusServer.binary();
    target = new MetricsTarget();
    target.set("200", 1000);
    prometheus = PrometheusServer.start(binary, target.target(), null, null);
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (target != null) {
      target.close();
    }
  }

  ResolvedMetric metric(String address, String query, double max) {
    AnalysisMetric m = Metrics.prometheus("error-ratio", address, query);
    m.thresholdRange = dev.baton.api.v1alpha1.ThresholdRange.of(null, max);
    m.consecutiveErrorLimit = 3;
    m.provider.prometheus.timeoutSeconds = 5;
    return ResolvedMetric.of("test", m);
  }

  Measured measure(ResolvedMetric m, ProviderCredentials c) {
    return MeasurementJudge.judge(provider.measure(m, c, vars), m.condition(), Instant.now());
  }

  /** Waits until Prometheus has scraped the target's current values. */
  void awaitScraped(String query, double value) {
    ResolvedMetric m = metric(prometheus.address(), query, 1e9);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() ->
        provider.measure(m, ProviderCredentials.NONE, vars)
            .equals(new Observation.Value(value)));
  }

  @Test
  void goodValuesPassAndAnErrorRatioOverTheThresholdFails() {
    target.set("200", 1000);
    target.set("500", 5);
    awaitScraped("sum(http_requests_total)", 1005);
    ResolvedMetric m = metric(prometheus.address(), ERROR_RATIO, 0.05);
    Measured good = measure(m, ProviderCredentials.NONE);
    assertThat(good.phase()).as(good.message()).isEqualTo(AnalysisPhase.Successful);
    assertThat(good.value()).hasValueSatisfying(v -> assertThat(v).isCloseTo(5.0 / 1005,
        org.assertj.core.data.Offset.offset(1e-9)));

    target.set("500", 200);
    awaitScraped("sum(http_requests_total)", 1200);
    Measured bad = measure(m, ProviderCredentials.NONE);
    assertThat(bad.phase()).as(bad.message()).isEqualTo(AnalysisPhase.Failed);
    AnalysisRun run = AnalysisRun.start(RunKey.step(2, 1, 0), java.util.List.of(m),
        Instant.now()).record(m.name(), bad);
    assertThat(run.phase()).isEqualTo(AnalysisPhase.Failed);
    assertThat(run.message()).contains("error-ratio").contains("[-inf, 0.05]");
  }

  @Test
  void noSeriesIsInconclusiveAndOrVectorZeroGivesAValue() {
    awaitScraped("sum(http_requests_total{code=\"200\"})", 1000);
    String noSeries = "sum(http_requests_total{code=\"503\"})";
    Measured none = measure(metric(prometheus.address(), noSeries, 0.05),
        ProviderCredentials.NONE);
    assertThat(none.phase()).as(none.message()).isEqualTo(AnalysisPhase.Inconclusive);
    assertThat(none.message()).contains("no series");
    Measured zero = measure(metric(prometheus.address(), noSeries + " or vector(0)", 0.05),
        ProviderCredentials.NONE);
    assertThat(zero.phase()).as(zero.message()).isEqualTo(AnalysisPhase.Successful);
    assertThat(zero.value()).contains(0.0);
    Measured nan = measure(metric(prometheus.address(), "0 / 0 * sum(http_requests_total)", 0.05),
        ProviderCredentials.NONE);
    assertThat(nan.phase()).as(nan.message()).isEqualTo(AnalysisPhase.Inconclusive);
    Measured badQuery = measure(metric(prometheus.address(), "sum(", 0.05),
        ProviderCredentials.NONE);
    assertThat(badQuery.phase()).isEqualTo(AnalysisPhase.Error);
    assertThat(badQuery.message()).contains("bad_data");
  }

  @Test
  void aStoppedPrometheusIsAnErrorStreakThatFailsTheMetric() throws Exception {
    try (PrometheusServer doomed = PrometheusServer.start(binary, target.target(), null, null)) {
      ResolvedMetric m = metric(doomed.address(), "sum(http_requests_total) or vector(0)", 1e9);
      Measured before = measure(m, ProviderCredentials.NONE);
      assertThat(before.phase()).as(before.message()).isEqualTo(AnalysisPhase.Successful);
      doomed.stop();
      MetricTally streak = MetricTally.start(m.limits());
      for (int i = 0; i < 3; i++) {
        Measured e = measure(m, ProviderCredentials.NONE);
        assertThat(e.phase()).as(e.message()).isEqualTo(AnalysisPhase.Error);
        streak = streak.record(e);
      }
      assertThat(streak.phase()).isEqualTo(AnalysisPhase.Failed);
      assertThat(streak.reason()).contains("3 measurement errors in a row");
    }
  }

  @Test
  void basicAuthWorksAndAWrongPasswordIsAnError() throws Exception {
    try (PrometheusServer guarded = PrometheusServer.start(binary, target.target(),
        "baton:" + HASH, "baton:" + PASSWORD)) {
      ResolvedMetric m = metric(guarded.address(), "vector(0.01)", 0.05);
      Measured ok = measure(m, ProviderCredentials.basic("baton", PASSWORD));
      assertThat(ok.phase()).as(ok.message()).isEqualTo(AnalysisPhase.Successful);
      Measured wrong = measure(m, ProviderCredentials.basic("baton", "not-the-password"));
      assertThat(wrong.phase()).isEqualTo(AnalysisPhase.Error);
      assertThat(wrong.message()).contains("HTTP 401").doesNotContain("not-the-password");
      Measured none = measure(m, ProviderCredentials.NONE);
      assertThat(none.phase()).isEqualTo(AnalysisPhase.Error);
    }
  }
}
