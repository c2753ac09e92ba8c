package dev.baton.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What hack/run-local.sh says about the operator it starts (hack/local-operator.sh, run here with
 * the operator's real main class): that it runs only once {@code /readyz} answers, and, when a
 * port is taken, which one and what to do, instead of reporting a dead operator as running.
 */
@ExtendWith(TestClusterExtension.class)
class RunLocalIT {

  private static final Path REPO = Path.of(System.getProperty("baton.repoRoot"));
  /** Starts the operator as the script does, from the test's classpath instead of the jar. */
  private static final String START = "start_operator \"$ADDRESS\" \"$LOG\" \"$OPERATOR_JAVA\""
      + " -cp \"$OPERATOR_CLASSPATH\" dev.baton.operator.BatonOperator\n";

  private record Result(int code, String output) {}

  @BeforeAll
  static void crd(TestCluster cluster) {
    InProcessOperator.installCrd(cluster.client());
  }

  /** Runs a bash script that has sourced hack/local-operator.sh, against the test cluster. */
  private static Result script(TestCluster cluster, String name, Map<String, String> env,
      String body) throws IOException, InterruptedException {
    Path logs = Files.createDirectories(Path.of("target", "operator-logs")).toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c",
        "set -uo pipefail\nsource hack/local-operator.sh\ntrap stop_operator EXIT\n" + body)
        .directory(REPO.toFile())
        .redirectErrorStream(true);
    pb.environment().remove("BATON_HTTP_ADDRESS");
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    pb.environment().put("BATON_WATCH_NAMESPACES", cluster.namespace());
    pb.environment().put("LOG", logs.resolve("run-local-" + name + ".log").toString());
    pb.environment().put("OPERATOR_JAVA",
        Path.of(System.getProperty("java.home"), "bin", "java").toString());
    pb.environment().put("OPERATOR_CLASSPATH", System.getProperty("java.class.path"));
    pb.environment().putAll(env);
    // To a file: the operator and its log's tail inherit the script's output.
    Path output = logs.resolve("run-local-" + name + ".out");
    pb.redirectOutput(output.toFile());
    Process process = pb.start();
    if (!process.waitFor(150, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("the script did not end:\n" + Files.readString(output));
    }
    return new Result(process.exitValue(), Files.readString(output));
  }

  private static ServerSocket takePort() throws IOException {
    return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
  }

  @Test
  void aTakenDefaultPortGivesWayToAFreeOneAndTheOperatorIsReadyThere(TestCluster cluster)
      throws Exception {
    try (ServerSocket taken = takePort()) {
      int port = taken.getLocalPort();
      Result r = script(cluster, "default-port-taken", Map.of(),
          "ADDRESS=$(choose_http_address 127.0.0.1:" + port + ") || exit 3\n" + START
              + "await_operator_ready \"$ADDRESS\" 120 || exit 4\n"
              + "echo \"ready on $operator_address:"
              + " $(http_status 127.0.0.1 \"${operator_address##*:}\" /readyz)\"\n");

      assertThat(r.code()).as(r.output()).isZero();
      assertThat(r.output()).contains("port " + port + " is taken by another process");
      Matcher ready = Pattern.compile("ready on 127\\.0\\.0\\.1:(\\d+): 200 ok")
          .matcher(r.output());
      assertThat(ready.find()).as(r.output()).isTrue();
      assertThat(Integer.parseInt(ready.group(1))).isNotIn(port, 0);
    }
  }

  @Test
  void aTakenPortThatTheUserChoseIsNamedWithTheFixAndNothingStarts(TestCluster cluster)
      throws Exception {
    try (ServerSocket taken = takePort()) {
      int port = taken.getLocalPort();
      Result r = script(cluster, "chosen-port-taken",
          Map.of("BATON_HTTP_ADDRESS", "127.0.0.1:" + port),
          "ADDRESS=$(choose_http_address 127.0.0.1:8080) || exit 3\n" + START);

      assertThat(r.code()).as(r.output()).isEqualTo(3);
      assertThat(r.output())
          .contains("BATON_HTTP_ADDRESS=127.0.0.1:" + port + ", but another process listens on"
              + " port " + port)
          .contains("set BATON_HTTP_ADDRESS to a free port", "unset BATON_HTTP_ADDRESS")
          .doesNotContain("Exception");
    }
  }

  @Test
  void anOperatorThatDiesAtStartIsNotReportedAsRunningButExplained(TestCluster cluster)
      throws Exception {
    try (ServerSocket taken = takePort()) {
      int port = taken.getLocalPort();
      // Past the check (as when another process takes the port just after it): the operator
      // itself fails to bind and exits.
      Result r = script(cluster, "operator-dies", Map.of("ADDRESS", "127.0.0.1:" + port),
          START + "await_operator_ready \"$ADDRESS\" 120 || exit 4\necho ready\n");

      assertThat(r.code()).as(r.output()).isEqualTo(4);
      assertThat(r.output())
          .contains("java.net.BindException")
          .contains("the operator exited: it cannot serve /healthz, /readyz and /metrics on"
              + " 127.0.0.1:" + port)
          .contains("Another process holds port " + port, "set BATON_HTTP_ADDRESS to a free")
          .doesNotContain("\nready\n");
    }
  }
}
