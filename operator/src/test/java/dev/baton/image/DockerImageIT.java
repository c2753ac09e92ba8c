package dev.baton.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The operator image, built from the project's Dockerfile without a Docker engine or a registry
 * and run as the chart runs it ({@code hack/image.sh}: base images assembled from Debian
 * packages, buildah with vfs storage, runc): as uid 65532 with a read-only root filesystem, it
 * reaches the test cluster, reconciles an app to Healthy and answers its health endpoints, and the
 * JVM maps the image's class-data archive ({@code -Xshare:on} would refuse to start otherwise).
 * Prints the image size and the start-up times with and without the archive. Where buildah, runc
 * and mmdebstrap are missing and cannot be installed (not root, no apt), it reports itself skipped
 * and says why.
 */
@ExtendWith(TestClusterExtension.class)
class DockerImageIT {

  private static final Path REPO =
      Path.of(System.getProperty("baton.repoRoot", "..")).toAbsolutePath().normalize();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Test
  void theImageRunsAsTheChartRunsItAndReconciles(TestCluster cluster) throws Exception {
    Result build = prebuilt();
    if (build == null) {
      Result tools = run(List.of("bash", "hack/image.sh", "tools"), 10);
      Assumptions.assumeTrue(tools.exitCode() == 0, "Skipped: the image was not built: "
          + tools.output().strip());
      build = run(List.of("bash", "hack/image.sh", "build"), 40);
    }
    // hack/image.sh exits with 3 when buildah, runc or mmdebstrap cannot be had.
    Assumptions.assumeTrue(build.exitCode() != 3, "Skipped: the image was not built: "
        + build.output().strip());
    assertThat(build.exitCode()).as(build.output()).isZero();
    Matcher size = Pattern.compile("(?m)^\\S*baton-operator:\\S+ (.+)$").matcher(build.output());
    assertThat(size.find()).as(build.output()).isTrue();

    // -Xshare:on: the JVM refuses to start unless it maps the image's archive.
    try (Container c = Container.start(cluster, "share-on", "-Xshare:on")) {
      long startupMs = c.awaitReady();
      assertThat(c.uid()).isEqualTo(65532);
      assertThat(c.rootIsReadOnly()).isTrue();

      BatonApp app = Apps.example(cluster.client(), "imaged");
      Apps.deployHealthy(cluster.client(), app);
      assertThat(c.get("/healthz")).isEqualTo(200);

      c.close();
      // Start-up with and without the archive, alternated so that neither has the warmer file
      // cache; the first start above, on a freshly unpacked image, is not counted.
      List<Long> on = new ArrayList<>();
      List<Long> off = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        for (String share : List.of("-Xshare:off", "-Xshare:on")) {
          try (Container timed = Container.start(cluster, "timed" + i + share.substring(8),
              share)) {
            (share.endsWith("on") ? on : off).add(timed.awaitReady());
          }
        }
      }
      System.out.printf("[image] baton-operator: size %s; start to /readyz %d ms on the first "
              + "start (-Xshare:on); then %s ms with the class-data archive (-Xshare:on), %s ms "
              + "without (-Xshare:off)%n", size.group(1).strip(), startupMs, on, off);
    }
  }

  /** The image running under runc through {@code hack/image.sh run}. */
  private static final class Container implements AutoCloseable {
    private final String name;
    private final Process process;
    private final int port;
    private final Path log;

    private Container(String name, Process process, int port, Path log) {
      this.name = name;
      this.process = process;
      this.port = port;
      this.log = log;
    }

    static Container start(TestCluster cluster, String label, String javaOptions)
        throws IOException {
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      String name = "baton-it-" + label + "-" + ProcessHandle.current().pid();
      Path log = Files.createDirectories(Path.of("target", "operator-logs"))
          .resolve("image-" + label + ".log");
      ProcessBuilder pb = new ProcessBuilder("bash", "hack/image.sh", "run", name,
          "BATON_WATCH_NAMESPACES=" + cluster.namespace(),
          "BATON_HTTP_ADDRESS=127.0.0.1:" + port,
          // The chart's JVM flags (values.yaml jvmOptions), as its Deployment sets them.
          "JAVA_TOOL_OPTIONS=" + chartJvmOptions(),
          "JDK_JAVA_OPTIONS=" + javaOptions)
          .directory(REPO.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
      return new Container(name, pb.start(), port, log);
    }

    /**
     * Waits for {@code /readyz}; the time from the start of runc (hack/image.sh says when, after
     * unpacking the image into a bundle) to ready, in milliseconds.
     */
    long awaitReady() {
      long[] started = new long[1];
      await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(20))
          .until(() -> {
            assertThat(process.isAlive()).as("hack/image.sh run exited; see %s", log).isTrue();
            return Files.readString(log).contains("[image] starting the image with runc");
          });
      started[0] = System.nanoTime();
      await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50))
          .until(() -> {
            assertThat(process.isAlive()).as("the container exited; see %s", log).isTrue();
            return get("/readyz") == 200;
          });
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started[0]);
    }

    int get(String path) {
      try {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (IOException e) {
        return -1;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }

    private long pid() throws Exception {
      Result state = run(List.of("runc", "state", name), 1);
      Matcher m = Pattern.compile("\"pid\":\\s*(\\d+)").matcher(state.output());
      assertThat(m.find()).as(state.output()).isTrue();
      return Long.parseLong(m.group(1));
    }

    int uid() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/status"))) {
        if (line.startsWith("Uid:")) {
          return Integer.parseInt(line.split("\\s+")[1]);
        }
      }
      throw new AssertionError("no Uid line");
    }

    boolean rootIsReadOnly() throws Exception {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid() + "/mountinfo"))) {
        String[] f = line.split(" ");
        if (f[4].equals("/")) {
          return List.of(f[5].split(",")).contains("ro");
        }
      }
      throw new AssertionError("no root mount");
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        run(List.of("runc", "kill", name, "TERM"), 1);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          run(List.of("runc", "kill", name, "KILL"), 1);
        }
      }
      run(List.of("runc", "delete", "--force", name), 1);
      process.waitFor(10, TimeUnit.SECONDS);
      process.destroyForcibly();
    }
  }

  private static String chartJvmOptions() throws IOException {
    Matcher m = Pattern.compile("(?m)^jvmOptions: \"([^\"]*)\"$")
        .matcher(Files.readString(REPO.resolve("helm/baton/values.yaml")));
    assertThat(m.find()).as("jvmOptions in helm/baton/values.yaml").isTrue();
    return m.group(1);
  }

  private record Result(int exitCode, String output) {}

  /**
   * The build hack/test.sh ran before it entered its network namespace, where the image's build
   * stage could not reach the Maven registry; null when this JVM was started otherwise.
   */
  private static Result prebuilt() throws Exception {
    String log = System.getenv("BATON_IMAGE_BUILD_LOG");
    if (log == null || log.isBlank()) {
      return null;
    }
    int rc = Integer.parseInt(System.getenv().getOrDefault("BATON_IMAGE_BUILD_RC", "0"));
    return new Result(rc, Files.readString(Path.of(log)));
  }

  private static Result run(List<String> command, long minutes) throws Exception {
    Process p = new ProcessBuilder(new ArrayList<>(command)).directory(REPO.toFile())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, out + "\n(timed out)");
    }
    return new Result(p.exitValue(), out);
  }
}
