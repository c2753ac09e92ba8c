package dev.baton.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.testcluster.PodServer;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * hack/run-local.sh's data plane (hack/local-dataplane.sh) against the test cluster: from a
 * network namespace of its own, the pods answer through Traefik on a loopback port of the caller,
 * and stopping it leaves nothing listening.
 */
@ExtendWith(TestClusterExtension.class)
class LocalDataPlaneIT {

  private static final Path REPO = Path.of(System.getProperty("baton.repoRoot"));
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void thePodsAnswerThroughTraefikOnALoopbackPortUntilItStops(TestCluster cluster)
      throws Exception {
    for (String tool : new String[] {"socat", "unshare", "nsenter", "ip"}) {
      Assumptions.assumeTrue(onPath(tool), tool + " is not installed");
    }
    Assumptions.assumeTrue(traefikBuilt(), "Traefik is not built (hack/cluster.sh build-traefik)");
    KubernetesClient client = cluster.client();
    String host = "local." + cluster.namespace() + ".localhost";
    deployBehindIngress(client, host);

    int port = freePort();
    Path logs = Files.createDirectories(Path.of("target", "operator-logs")).toAbsolutePath();
    Path output = logs.resolve("local-dataplane.out");
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -uo pipefail\n"
        + "source hack/local-dataplane.sh\ntrap stop_dataplane EXIT\n"
        + "start_dataplane \"$KUBECONFIG\" " + port + " || exit 3\n"
        + "echo \"started in $dataplane_dir\"\nread -r _\n")
        .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    pb.environment().put("DATAPLANE_JAVA",
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("DATAPLANE_CLASSPATH", System.getProperty("java.class.path"));
    Process script = pb.start();
    try (OutputStream stop = script.getOutputStream()) {
      await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
        assertThat(script.isAlive()).as("%s", Files.readString(output)).isTrue();
        return Files.readString(output).contains("started");
      });
      HttpResponse<String> answer = await().atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> get(port, host), r -> r.statusCode() == 200);
      assertThat(answer.headers().firstValue(PodServer.IMAGE_HEADER))
          .contains("registry.example.com/local:1");
      assertThat(answer.body()).startsWith("local-");

      stop.write('\n');
    }
    assertThat(script.waitFor(30, TimeUnit.SECONDS)).as(Files.readString(output)).isTrue();
    assertThat(script.exitValue()).as(Files.readString(output)).isZero();
    String dir = Files.readString(output).replaceAll("(?s).*started in (\\S+).*", "$1");
    assertThat(ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains(dir))
        .map(p -> p.info().commandLine().orElse("")))
        .as("processes of the stopped data plane").isEmpty();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      throw new AssertionError("port " + port + " still accepts connections after the stop");
    } catch (ConnectException expected) {
      // nothing listens any more
    }
  }

  private static void deployBehindIngress(KubernetesClient client, String host) {
    client.resource(new DeploymentBuilder().withNewMetadata().withName("local").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().addToMatchLabels("app", "local")
        .endSelector().withNewTemplate().withNewMetadata().addToLabels("app", "local")
        .endMetadata().withNewSpec().addNewContainer().withName("api")
        .withImage("registry.example.com/local:1").addNewPort().withName("http")
        .withContainerPort(8080).endPort().withNewReadinessProbe().withNewHttpGet()
        .withPath("/healthz").withNewPort("http").endHttpGet().endReadinessProbe().endContainer()
        .endSpec().endTemplate().endSpec().build()).create();
    client.resource(new ServiceBuilder().withNewMetadata().withName("local").endMetadata()
        .withNewSpec().addToSelector("app", "local").addNewPort().withPort(80)
        .withTargetPort(new IntOrString("http")).endPort().endSpec().build()).create();
    client.resource(new IngressBuilder().withNewMetadata().withName("local").endMetadata()
        .withNewSpec().withIngressClassName("traefik").addNewRule().withHost(host)
        .withNewHttp().addNewPath().withPath("/").withPathType("Prefix").withNewBackend()
        .withNewService().withName("local").withNewPort().withNumber(80).endPort().endService()
        .endBackend().endPath().endHttp().endRule().endSpec().build()).create();
  }

  private static HttpResponse<String> get(int port, String host) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .header("Host", host).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static boolean onPath(String tool) {
    return Arrays.stream(System.getenv("PATH").split(":"))
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
  }

  private static boolean traefikBuilt() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", REPO.resolve("hack/cluster.sh").toString(), "path",
        "traefik").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    return p.waitFor() == 0 && Files.isExecutable(Path.of(out));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
