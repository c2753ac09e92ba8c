package dev.baton.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.CapacityWatcher;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator process killed with SIGKILL in the middle of an analysis run, after it took
 * measurements it had not yet written (counters are written at most once a minute): the next
 * process resumes the same run from status, takes exactly the measurements still missing, and
 * gives one verdict, one promotion.
 */
@ExtendWith(TestClusterExtension.class)
class AnalysisOperatorKillIT {

  private static final Pattern MEASURED = Pattern.compile(
      "baton_analysis_measurements_total\\{[^}]*metric=\"one\"[^}]*} ([0-9.]+)");

  static PrometheusServer prometheus;

  @BeforeAll
  static void startPrometheus() throws Exception {
    // Nothing to scrape: the metric's query is a constant, so only Baton's side is under test.
    prometheus = PrometheusServer.start(PrometheusServer.binary(), "127.0.0.1:9", null, null);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
  }

  @Test
  void anOperatorKilledMidAnalysisResumesTheRunAndGivesOneVerdict(TestCluster cluster)
      throws Exception {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    AnalysisMetric one = AnalysisApps.query("one", prometheus.address(), "vector(1)");
    one.count = 6;
    one.intervalSeconds = 2;
    BatonApp app = AnalysisApps.oneStepCanary(client, "killed-mid-run", one);
    int port = freePort();
    String startedAt;
    CapacityWatcher watcher;
    try (OperatorProcess first = OperatorProcess.start(cluster, "analysis-kill-first", port)) {
      watcher = Apps.deployHealthy(client, app);
      AnalysisApps.newRevision(client, "killed-mid-run",
          "registry.example.com/shop/api:1.8.3", null);
      BatonApp running = Apps.awaitStatus(client, "killed-mid-run", a -> AnalysisApps
          .runs(a).stream().anyMatch(r -> r.phase == AnalysisPhase.Running),
          Duration.ofSeconds(120));
      startedAt = AnalysisApps.runs(running).get(0).startedAt;
      // Two measurements taken, and held in memory only: the kill loses them.
      await().atMost(Duration.ofSeconds(60)).until(() -> measured(port) >= 2);
      assertThat(AnalysisApps.runs(Apps.get(client, "killed-mid-run")).get(0).phase)
          .isEqualTo(AnalysisPhase.Running);
      first.kill();
    }
    try (watcher; OperatorProcess second = OperatorProcess.start(cluster,
        "analysis-kill-second")) {
      BatonApp promoted = AnalysisApps.awaitPromoted(client, "killed-mid-run");
      assertThat(AnalysisApps.runs(promoted)).singleElement().satisfies(r -> {
        assertThat(r.startedAt).as("the same run, resumed").isEqualTo(startedAt);
        assertThat(r.attempt).isEqualTo(1);
        assertThat(r.phase).isEqualTo(AnalysisPhase.Successful);
        assertThat(r.metrics.get(0).successful).isEqualTo(6);
      });
      assertThat(AnalysisApps.events(client, "killed-mid-run", "AnalysisPassed"))
          .hasSize(1);
      assertThat(AnalysisApps.events(client, "killed-mid-run", "Promoted")).hasSize(1);
      assertThat(watcher.violations()).isEmpty();
    }
  }

  /** Measurements of metric "one" the first process counted, from its /metrics. */
  private static double measured(int port) {
    try {
      String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(2))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
      double sum = 0;
      Matcher m = MEASURED.matcher(body);
      while (m.find()) {
        sum += Double.parseDouble(m.group(1));
      }
      return sum;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
