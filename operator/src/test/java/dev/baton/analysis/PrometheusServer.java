package dev.baton.analysis;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import java.util.stream.Stream;

/**
 * A real Prometheus server for the analysis tests: Debian's binary, unpacked into the cache by
 * {@code hack/prometheus.sh} (never installed as a service), started on 127.0.0.1 with a
 * temporary TSDB and a 1 s scrape of a target the test serves. Optionally with basic auth
 * (Prometheus' web config, a bcrypt hash). Tests skip, saying why, only when the binary cannot
 * be had.
 */
final class PrometheusServer implements AutoCloseable {

  private final Path dir;
  private final Process process;
  private final int port;

  private PrometheusServer(Path dir, Process process, int port) {
    this.dir = dir;
    this.process = process;
    this.port = port;
  }

  /** The binary, or the test is skipped with the reason it could not be had. */
  static Path binary() {
    Path repo = Path.of(System.getProperty("baton.repoRoot", "..")).toAbsolutePath().normalize();
    Optional<Path> bin = Optional.empty();
    String why;
    try {
      Process p = new ProcessBuilder("bash", repo.resolve("hack/prometheus.sh").toString())
          .redirectErrorStream(false).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      boolean done = p.waitFor(10, TimeUnit.MINUTES);
      why = "hack/prometheus.sh: " + err;
      if (done && p.exitValue() == 0 && Files.isExecutable(Path.of(out))) {
        bin = Optional.of(Path.of(out));
      }
    } catch (IOException e) {
      why = "cannot run hack/prometheus.sh: " + e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      why = "interrupted";
    }
    assumeTrue(bin.isPresent(), "Debian's prometheus binary cannot be obtained, so the "
        + "Prometheus analysis tests are skipped (" + why + ")");
    return bin.get();
  }

  /**
   * Starts Prometheus scraping {@code target} (host:port, path /metrics) every second.
   *
   * @param basicAuth {@code user:bcrypt-hash} to require basic auth, or null
   * @param credentials {@code user:password} to wait for readiness with, or null
   */
  static PrometheusServer start(Path binary, String target, String basicAuth, String credentials)
      throws IOException {
    Path dir = Files.createTempDirectory("baton-prometheus-");
    Files.writeString(dir.resolve("prometheus.yml"), """
        global:
          scrape_interval: 1s
          evaluation_interval: 1s
        scrape_configs:
        - job_name: app
          static_configs:
          - targets: ['%s']
        """.formatted(target));
    int port = freePort();
    List<String> cmd = new ArrayList<>(List.of(binary.toString(),
        "--config.file=" + dir.resolve("prometheus.yml"),
        "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port,
        "--log.level=warn"));
    if (basicAuth != null) {
      String[] userHash = basicAuth.split(":", 2);
      Files.writeString(dir.resolve("web.yml"), "basic_auth_users:\n  " + userHash[0] + ": '"
          + userHash[1] + "'\n");
      cmd.add("--web.config.file=" + dir.resolve("web.yml"));
    }
    Process process = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(dir, process, port);
    server.awaitReady(credentials);
    return server;
  }

  /** Its base URL. */
  String address() {
    return "http://127.0.0.1:" + port;
  }

  /** Stops the process (the TSDB stays until {@link #close()}). */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    stop();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /**
   * Waits until Prometheus has scraped its target once ({@code up{job="app"}} has a sample): a
   * query of the target's series made before that is empty, which an analysis counts as
   * inconclusive. A test class started right after Prometheus would depend on the tests before it
   * having given Prometheus that time.
   */
  void awaitScraped() {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(address() + "/api/v1/query?query="
        + java.net.URLEncoder.encode("up{job=\"app\"}", StandardCharsets.UTF_8));
    Awaitility.await("Prometheus scraped its target").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("\"value\""));
  }

  /**
   * Waits until {@code promql} gives a value above 0: for a rate or an increase, until the series
   * has two samples in its window. A rollout started sooner can take its first measurement
   * before there is anything to measure, and is then rightly inconclusive instead of failed.
   */
  void awaitPositive(String promql) {
    HttpClient http = HttpClient.newHttpClient();
    URI uri = URI.create(address() + "/api/v1/query?query="
        + java.net.URLEncoder.encode("(" + promql + ") > 0", StandardCharsets.UTF_8));
    Awaitility.await("Prometheus has " + promql).atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("\"value\""));
  }

  private void awaitReady(String credentials) {
    HttpClient http = HttpClient.newHttpClient();
    Awaitility.await("Prometheus ready").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class)
        .until(() -> {
          if (!process.isAlive()) {
            throw new IllegalStateException("Prometheus exited: "
                + Files.readString(dir.resolve("prometheus.log")));
          }
          HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(address() + "/-/ready"))
              .timeout(Duration.ofSeconds(2));
          if (credentials != null) {
            req.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
          }
          return http.send(req.build(), HttpResponse.BodyHandlers.discarding())
              .statusCode() == 200;
        });
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
