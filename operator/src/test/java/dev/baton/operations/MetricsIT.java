package dev.baton.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisSpec;
import dev.baton.api.v1alpha1.MetricProviderSpec;
import dev.baton.api.v1alpha1.ThresholdRange;
import dev.baton.api.v1alpha1.WebMetric;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator's /metrics after a real rollout: Baton's own figures are there with bounded labels,
 * and every metric the chart's Grafana dashboard queries exists in the scrape. The analysis
 * metrics are registered when a measurement lands (their labels name the app and metric, so there
 * is nothing to register before), so one app here runs an analysis, which fails: the dashboard's
 * analysis panels are checked against a real scrape like the others, not exempted.
 */
@ExtendWith(TestClusterExtension.class)
class MetricsIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String scrape(int port) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void aRolloutShowsInTheScrapeAndTheDashboardQueriesOnlyMetricsThatExist(TestCluster cluster)
      throws Exception {
    InProcessOperator.installCrd(cluster.client());
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (OperatorProcess operator = OperatorProcess.start(cluster, "metrics", port,
        Map.of("BATON_LOG_FORMAT", "json"))) {
      var client = cluster.client();
      Apps.deployHealthy(client, Apps.example(client, "measured")).close();
      Apps.setImage(client, "measured", "registry.example.com/shop/api:2");
      Apps.awaitStatus(client, "measured",
          a -> Integer.valueOf(2).equals(a.getStatus().activeRevision));

      // An undo (rollbacks) and an abort at the deadline (aborted, with its reason).
      Apps.annotate(client, "measured", dev.baton.planning.Commands.UNDO, "");
      Apps.awaitStatus(client, "measured",
          a -> Integer.valueOf(1).equals(a.getStatus().activeRevision));
      var broken = Apps.example(client, "broken");
      broken.getSpec().progressDeadlineSeconds = 3;
      Apps.deployHealthy(client, broken).close();
      Apps.edit(client, "broken", a -> Apps.addPodLabels(a, Map.of(
          dev.baton.testcluster.KwokBehavior.LABEL, dev.baton.testcluster.KwokBehavior.NEVER_READY)));
      Apps.awaitPhase(client, "broken", dev.baton.api.v1alpha1.Phase.Degraded);

      // A pre-promotion analysis whose one measurement fails: 0.5 against a max of 0.05.
      HttpServer web = HttpServer.create(new InetSocketAddress(
          java.net.InetAddress.getLoopbackAddress(), 0), 0);
      web.createContext("/ratio", exchange -> {
        byte[] body = "{\"ratio\":0.5}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      web.start();
      try {
        var analysed = Apps.example(client, "analysed");
        AnalysisMetric ratio = new AnalysisMetric();
        ratio.name = "ratio";
        ratio.provider = new MetricProviderSpec();
        ratio.provider.web = new WebMetric();
        ratio.provider.web.url = "http://127.0.0.1:" + web.getAddress().getPort() + "/ratio";
        ratio.provider.web.jsonPointer = "/ratio";
        ratio.thresholdRange = ThresholdRange.of(null, 0.05);
        ratio.count = 1;
        analysed.getSpec().analysisMetrics = List.of(ratio);
        analysed.getSpec().strategy.blueGreen.prePromotionAnalysis = new AnalysisSpec();
        analysed.getSpec().strategy.blueGreen.prePromotionAnalysis.metrics = List.of("ratio");
        Apps.deployHealthy(client, analysed).close();
        Apps.setImage(client, "analysed", "registry.example.com/shop/api:2");
        Apps.awaitStatus(client, "analysed", a -> a.getStatus().rollout != null
            && a.getStatus().rollout.aborted != null);
      } finally {
        web.stop(0);
      }

      String ns = cluster.namespace();
      await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
        String metrics = scrape(port);
        assertThat(metrics)
            .contains("baton_rollouts_started_total{app=\"measured\",namespace=\"" + ns + "\"} 1")
            .contains("baton_rollouts_promoted_total{app=\"measured\",namespace=\"" + ns + "\"}")
            .contains("baton_promotion_duration_seconds_count")
            .doesNotContain("baton_promotion_duration_seconds_count 0")
            .contains("baton_app_phase{app=\"measured\",namespace=\"" + ns
                + "\",phase=\"Healthy\"} 1")
            .contains("baton_rollbacks_total{app=\"measured\",namespace=\"" + ns + "\"} 1")
            .contains("baton_rollouts_aborted_total{app=\"broken\",namespace=\"" + ns
                + "\",reason=\"ProgressDeadlineExceeded\"} 1")
            .contains("operator_sdk_reconciliations_started_total")
            .contains("baton_analysis_measurements_total{metric=\"ratio\",result=\"Failed\"} 1")
            .contains("baton_analysis_last_value{app=\"analysed\",metric=\"ratio\",namespace=\""
                + ns + "\"} 0.5")
            .contains("baton_analysis_threshold{app=\"analysed\",bound=\"max\",metric=\"ratio\","
                + "namespace=\"" + ns + "\"} 0.05")
            .contains("baton_rollouts_aborted_total{app=\"analysed\",namespace=\"" + ns
                + "\",reason=\"AnalysisFailed\"} 1");
      });

      String metrics = scrape(port);
      Path dashboard = Path.of(System.getProperty("baton.repoRoot"),
          "helm/baton/dashboards/baton.json");
      Matcher names = Pattern.compile("\\b(baton_[a-z_]+|operator_sdk_[a-z_]+|jvm_[a-z_]+"
          + "|process_[a-z_]+)\\b").matcher(Files.readString(dashboard));
      int queried = 0;
      while (names.find()) {
        queried++;
        assertThat(metrics).as("the dashboard queries %s", names.group(1))
            .contains(names.group(1));
      }
      assertThat(queried).isGreaterThan(5);

      // JSON logs: one object per line, with the resource on the lines of a reconcile.
      assertThat(Files.readAllLines(operator.log().toPath()))
          .filteredOn(l -> l.contains("RolloutStarted") && l.contains("\"measured\""))
          .isNotEmpty()
          .allSatisfy(l -> assertThat(l).startsWith("{").contains("resource.name")
              .contains("measured").contains("baton.revision"));
    }
  }
}
