package dev.baton.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.Phase;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The operator's main class: it starts against the kubeconfig and serves health and metrics. */
@ExtendWith(TestClusterExtension.class)
class OperatorProcessIT {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theMainClassReconcilesAndServesHealthzReadyzAndMetrics(TestCluster cluster)
      throws Exception {
    InProcessOperator.installCrd(cluster.client());
    int port = freePort();
    try (OperatorProcess operator = OperatorProcess.start(cluster, "main", port)) {
      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> get(port, "/readyz").statusCode() == 200);
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);

      cluster.client().resource(Apps.example(cluster.client(), "main")).create();
      Apps.awaitPhase(cluster.client(), "main", Phase.Healthy);

      String metrics = get(port, "/metrics").body();
      assertThat(metrics).contains("operator_sdk_reconciliations_started_total")
          .contains("jvm_memory_used_bytes");
    }
  }
}
