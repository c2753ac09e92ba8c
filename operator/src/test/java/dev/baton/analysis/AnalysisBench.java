package dev.baton.analysis;

import dev.baton.operator.BatonOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.AnalysisMetric;
import dev.baton.api.v1alpha1.AnalysisPhase;
import dev.baton.api.v1alpha1.AnalysisRunStatus;
import dev.baton.api.v1alpha1.BackgroundAnalysis;
import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.api.v1alpha1.CanarySpec;
import dev.baton.api.v1alpha1.CanaryStep;
import dev.baton.api.v1alpha1.MeasurementStatus;
import dev.baton.api.v1alpha1.Phase;
import dev.baton.bluegreen.Apps;
import dev.baton.testcluster.ApiServerWrites;
import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.OperatorProcess;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The cost of background analysis at scale (bench/analysis.sh; not part of the suite): N canary
 * apps paused at 50 % with a background analysis each (a Prometheus query every
 * {@code intervalSeconds}), the operator as its own process, a real Prometheus scraping a
 * target that says every app is healthy. Over a steady window it measures Prometheus queries
 * per second (Prometheus' own count of /api/v1/query), API writes per minute (the API server's
 * count, Baton's resources), the operator's CPU (cores, from /proc) and RSS; then a few apps turn
 * bad and it measures verdict latency: the failed measurement's time in status to the abort
 * seen by a watch, and the target's flip to the abort.
 *
 * <p>Sizes: {@code -Dbaton.bench.apps} (100), {@code -Dbaton.bench.interval} (30 s),
 * {@code -Dbaton.bench.window} (120 s), {@code -Dbaton.bench.bad} (10 apps).
 */
@ExtendWith(TestClusterExtension.class)
class AnalysisBench {

  private static final int APPS = Integer.getInteger("baton.bench.apps", 100);
  private static final int INTERVAL = Integer.getInteger("baton.bench.interval", 30);
  private static final int WINDOW = Integer.getInteger("baton.bench.window", 120);
  private static final int BAD = Integer.getInteger("baton.bench.bad", 10);
  private static final Path OUT = Path.of("target", "analysis-bench.txt");
  private static final Pattern QUERIES = Pattern.compile(
      "^prometheus_http_requests_total\\{[^}]*handler=\"/api/v1/query\"[^}]*} ([0-9.e+]+)$",
      Pattern.MULTILINE);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static String name(int i) {
    return String.format(Locale.ROOT, "bench-%04d", i);
  }

  /** A canary that stops at 50 %, its background analysis running from step 0. */
  static BatonApp app(KubernetesClient client, String name, String prometheus) {
    BatonApp app = Apps.example(client, name);
    app.getSpec().replicas = 1;
    app.getSpec().progressDeadlineSeconds = 3600;
    app.getSpec().strategy.blueGreen = null;
    app.getSpec().strategy.canary = new CanarySpec();
    app.getSpec().strategy.canary.scaleDownDelaySeconds = 2;
    app.getSpec().strategy.canary.steps = List.of(CanaryStep.weight(50),
        CanaryStep.pauseFor(null));
    AnalysisMetric healthy = Metrics.prometheus("healthy", prometheus,
        "max(bench_healthy{app=\"{{baton.app}}\"})");
    healthy.thresholdRange = dev.baton.api.v1alpha1.ThresholdRange.of(0.5, null);
    healthy.intervalSeconds = INTERVAL;
    app.getSpec().analysisMetrics = List.of(healthy);
    app.getSpec().strategy.canary.analysis = new BackgroundAnalysis();
    app.getSpec().strategy.canary.analysis.startingStep = 0;
    app.getSpec().strategy.canary.analysis.metrics = List.of("healthy");
    return app;
  }

  @Test
  void backgroundAnalysisAtScale(TestCluster cluster) throws Exception {
    KubernetesClient client = cluster.client();
    InProcessOperator.installCrd(client);
    Map<String, BatonApp> seen = new ConcurrentHashMap<>();
    Map<String, Instant> abortSeen = new ConcurrentHashMap<>();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (MetricsTarget target = new MetricsTarget();
        PrometheusServer prometheus = PrometheusServer.start(PrometheusServer.binary(),
            target.target(), null, null);
        OperatorProcess operator = OperatorProcess.start(cluster, "analysis-bench", port);
        SharedIndexInformer<BatonApp> informer = client.resources(BatonApp.class)
            .inform(new ResourceEventHandler<>() {
              @Override
              public void onAdd(BatonApp a) {
                onUpdate(null, a);
              }

              @Override
              public void onUpdate(BatonApp old, BatonApp a) {
                seen.put(a.getMetadata().getName(), a);
                if (a.getStatus() != null && a.getStatus().rollout != null
                    && a.getStatus().rollout.aborted != null) {
                  abortSeen.putIfAbsent(a.getMetadata().getName(), Instant.now());
                }
              }

              @Override
              public void onDelete(BatonApp a, boolean unknown) {}
            })) {
      for (int i = 0; i < APPS; i++) {
        target.series("bench_healthy{app=\"" + name(i) + "\"}", 1);
      }
      Instant t0 = Instant.now();
      for (int i = 0; i < APPS; i++) {
        client.resource(app(client, name(i), prometheus.address())).create();
      }
      awaitAll(seen, a -> a.getStatus() != null && a.getStatus().phase == Phase.Healthy
          && Integer.valueOf(1).equals(a.getStatus().activeRevision));
      Duration deployed = Duration.between(t0, Instant.now());
      for (int i = 0; i < APPS; i++) {
        Apps.setImage(client, name(i), "registry.example.com/shop/api:2");
      }
      // Every app at its 50 % step, its background run recorded: analysis runs everywhere.
      awaitAll(seen, a -> runs(a).stream().anyMatch(r -> dev.baton.analysis.RunKey.BACKGROUND
          .equals(r.step) && r.phase == AnalysisPhase.Running));
      Duration rolledOut = Duration.between(t0, Instant.now()).minus(deployed);
      Thread.sleep(INTERVAL * 1000L); // into the steady state: the first measurements are done

      long pid = operatorPid(cluster.namespace());
      double q0 = queries(prometheus);
      long w0 = writes(client);
      java.util.Map<String, Long> byResource0 = ApiServerWrites.byVerb(client);
      long cpu0 = cpuTicks(pid);
      Instant s0 = Instant.now();
      long maxRss = 0;
      while (Duration.between(s0, Instant.now()).toSeconds() < WINDOW) {
        Thread.sleep(5_000);
        maxRss = Math.max(maxRss, rssKb(pid));
      }
      double seconds = Duration.between(s0, Instant.now()).toMillis() / 1000.0;
      double qps = (queries(prometheus) - q0) / seconds;
      double writesPerMinute = (writes(client) - w0) * 60 / seconds;
      // Which writes they are, per app and minute, so that each can be accounted for.
      java.util.Map<String, String> perAppMinute = new java.util.TreeMap<>();
      ApiServerWrites.byVerb(client).forEach((k, v) -> {
        long d = v - byResource0.getOrDefault(k, 0L);
        if (d > 0) {
          perAppMinute.put(k, String.format(Locale.ROOT, "%.2f", d * 60 / seconds / APPS));
        }
      });
      double cores = (cpuTicks(pid) - cpu0) / 100.0 / seconds;

      // A few apps turn bad: their next measurement fails and aborts them.
      int bad = Math.min(BAD, APPS);
      Instant flipped = Instant.now();
      for (int i = 0; i < bad; i++) {
        target.series("bench_healthy{app=\"" + name(i) + "\"}", 0);
      }
      await().atMost(Duration.ofSeconds(INTERVAL * 3L + 60)).pollInterval(Duration.ofSeconds(1))
          .until(() -> abortSeen.size() >= bad);
      List<Duration> verdict = new ArrayList<>();
      List<Duration> endToEnd = new ArrayList<>();
      for (int i = 0; i < bad; i++) {
        Instant seenAt = abortSeen.get(name(i));
        endToEnd.add(Duration.between(flipped, seenAt));
        lastFailed(seen.get(name(i))).ifPresent(at -> verdict.add(Duration.between(at, seenAt)));
      }
      verdict.sort(Comparator.naturalOrder());
      endToEnd.sort(Comparator.naturalOrder());
      String line = String.format(Locale.ROOT, "%d apps, background analysis every %d s "
              + "(deployed in %d s, rolled out to 50 %% in %d s); over %.0f s: Prometheus queries "
              + "%.1f/s (expected %.1f/s), API writes %.0f/min (per app and minute: %s), operator "
              + "CPU %.2f cores, RSS "
              + "max %d MiB; verdict latency (failed measurement -> abort seen) median %d ms, "
              + "max %d ms over %d aborts; target flipped -> abort seen median %d s, max %d s",
          APPS, INTERVAL, deployed.toSeconds(), rolledOut.toSeconds(), seconds, qps,
          APPS / (double) INTERVAL, writesPerMinute, perAppMinute, cores, maxRss / 1024,
          verdict.isEmpty() ? -1 : verdict.get(verdict.size() / 2).toMillis(),
          verdict.isEmpty() ? -1 : verdict.get(verdict.size() - 1).toMillis(), verdict.size(),
          endToEnd.get(endToEnd.size() / 2).toSeconds(),
          endToEnd.get(endToEnd.size() - 1).toSeconds());
      System.out.println("[bench] " + line);
      Files.writeString(OUT, line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      assertThat(abortSeen).hasSize(bad);
      assertThat(operator.isAlive()).isTrue();
    }
  }

  private static List<AnalysisRunStatus> runs(BatonApp a) {
    return a.getStatus() == null || a.getStatus().analysis == null ? List.of()
        : a.getStatus().analysis;
  }

  /** When the failed measurement that decided the app's abort was taken. */
  private static java.util.Optional<Instant> lastFailed(BatonApp a) {
    return runs(a).stream().filter(r -> r.phase == AnalysisPhase.Failed)
        .flatMap(r -> r.metrics.stream()).flatMap(m -> m.measurements.stream())
        .filter(m -> AnalysisPhase.Failed == m.phase && m.at != null)
        .map((MeasurementStatus m) -> Instant.parse(m.at)).max(Comparator.naturalOrder());
  }

  private static void awaitAll(Map<String, BatonApp> seen,
      java.util.function.Predicate<BatonApp> test) {
    await().atMost(Duration.ofSeconds(60L + APPS)).pollInterval(Duration.ofSeconds(1))
        .until(() -> {
          int ok = 0;
          for (int i = 0; i < APPS; i++) {
            BatonApp a = seen.get(name(i));
            if (a != null && test.test(a)) {
              ok++;
            }
          }
          return ok == APPS;
        });
  }

  /** Prometheus' own count of instant queries answered. */
  private static double queries(PrometheusServer p) throws Exception {
    String body = HTTP.send(HttpRequest.newBuilder(URI.create(p.address() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    double sum = 0;
    Matcher m = QUERIES.matcher(body);
    while (m.find()) {
      sum += Double.parseDouble(m.group(1));
    }
    return sum;
  }

  private static long writes(KubernetesClient client) {
    return ApiServerWrites.byVerb(client).values().stream().mapToLong(Long::longValue).sum();
  }

  /**
   * The operator process started here: the BatonOperator watching this run's namespace, found
   * in /proc (ProcessHandle.Info leaves out a command line as long as the test classpath).
   */
  private static long operatorPid(String namespace) {
    return ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).filter(pid ->
            proc(pid, "cmdline").contains("BatonOperator")
                && proc(pid, "environ").contains("BATON_WATCH_NAMESPACES=" + namespace))
        .findFirst().orElseThrow(() -> new IllegalStateException("no BatonOperator process "
            + "watching " + namespace));
  }

  private static String proc(long pid, String file) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), file)),
          java.nio.charset.StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException | SecurityException e) {
      return "";
    }
  }

  /** utime + stime of {@code pid}, in clock ticks (100 a second on Linux). */
  private static long cpuTicks(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long rssKb(long pid) throws Exception {
    return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith("VmRSS:")).map(l -> l.replaceAll("[^0-9]", ""))
        .mapToLong(Long::parseLong).findFirst().orElse(0);
  }
}
