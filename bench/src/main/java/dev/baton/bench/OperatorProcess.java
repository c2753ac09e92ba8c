package dev.baton.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The operator as a separate process, so that its memory and CPU time are its own: started with
 * {@code java -jar}, read through /proc/&lt;pid&gt; and its own /metrics endpoint.
 */
final class OperatorProcess implements AutoCloseable {

  /** Resident memory and CPU time (user + system) at one moment. */
  /**
   * The operator's resources at one moment, and its cumulative reconciles and informer update
   * events (passed on to a reconcile, or skipped by Baton's update filters).
   */
  record Usage(double rssMiB, double cpuSeconds, double heapUsedMiB, double reconciles,
      double updatesReconciled, double updatesSkipped, Map<String, Double> updatesByKind) {}

  /** A Prometheus histogram read from a scrape: upper bounds to cumulative counts. */
  record Histogram(TreeMap<Double, Double> buckets, double count, double sum, double max) {
    /** The quantile as Prometheus' histogram_quantile estimates it (linear within a bucket). */
    double quantile(double q) {
      if (count == 0) {
        return Double.NaN;
      }
      double rank = q * count, lower = 0, below = 0;
      for (var b : buckets.entrySet()) {
        if (b.getValue() >= rank) {
          if (b.getKey().isInfinite()) {
            return lower;
          }
          double inBucket = b.getValue() - below;
          return lower + (b.getKey() - lower) * (inBucket == 0 ? 1 : (rank - below) / inBucket);
        }
        lower = b.getKey();
        below = b.getValue();
      }
      return lower;
    }
  }

  // The kernel's clock ticks per second for /proc/<pid>/stat (USER_HZ), 100 on Linux.
  private static final double TICKS = 100.0;

  private final Process process;
  private final URI metrics;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private OperatorProcess(Process process, URI metrics) {
    this.process = process;
    this.metrics = metrics;
  }

  static OperatorProcess start(Path jar, String kubeconfig, int port, List<String> javaOptions, Path log,
      Map<String, String> env) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaOptions);
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("KUBECONFIG", kubeconfig);
    pb.environment().put("BATON_HTTP_ADDRESS", "127.0.0.1:" + port);
    // As the chart and the image run it.
    pb.environment().put("MALLOC_ARENA_MAX", "2");
    pb.environment().remove("BATON_LEADER_ELECTION_NAMESPACE");
    pb.environment().putAll(env);
    return new OperatorProcess(pb.start(), URI.create("http://127.0.0.1:" + port + "/metrics"));
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  Usage usage() throws IOException {
    double rssKiB = 0;
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rssKiB = Double.parseDouble(line.replaceAll("[^0-9]", ""));
      }
    }
    String stat = Files.readString(Path.of("/proc", Long.toString(pid()), "stat"));
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS;
    double heap = Double.NaN;
    double reconciles = Double.NaN;
    double passed = Double.NaN;
    double skipped = Double.NaN;
    Map<String, Double> byKind = new TreeMap<>();
    try {
      String scrape = scrape();
      heap = sum(scrape, "jvm_memory_used_bytes{area=\"heap\"") / (1024 * 1024);
      reconciles = sum(scrape, "operator_sdk_reconciliations_started_total");
      passed = sumWith(scrape, "baton_informer_updates_total", "result=\"reconciled\"");
      skipped = sumWith(scrape, "baton_informer_updates_total", "result=\"skipped\"");
      for (String line : scrape.split("\n")) {
        if (line.startsWith("baton_informer_updates_total{")) {
          String kind = line.replaceAll(".*kind=\"([^\"]*)\".*", "$1");
          String result = line.replaceAll(".*result=\"([^\"]*)\".*", "$1");
          byKind.put(kind + " " + result,
              Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
        }
      }
    } catch (IOException e) {
      // not up: the figures stay unknown
    }
    return new Usage(rssKiB / 1024, cpu, heap, reconciles, passed, skipped, byKind);
  }

  /** One scrape of /metrics; throws while the endpoint is not up yet. */
  String scrape() throws IOException {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IOException("metrics answered " + r.statusCode());
      }
      return r.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** The sum of every series whose line starts with the prefix (a name, or a name and labels). */
  static double sum(String scrape, String prefix) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      boolean matches = line.startsWith(prefix) && (prefix.contains("{")
          || line.length() > prefix.length() && " {".indexOf(line.charAt(prefix.length())) >= 0);
      if (matches) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  /** The sum of the series of a metric whose labels contain {@code label}. */
  static double sumWith(String scrape, String name, String label) {
    double total = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "{") && line.contains(label)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }

  static Histogram histogram(String scrape, String name) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "_bucket{")) {
        int le = line.indexOf("le=\"") + 4;
        String bound = line.substring(le, line.indexOf('"', le));
        // Merged: the scrape may be several replicas' one after the other.
        buckets.merge(bound.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound),
            Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)), Double::sum);
      }
    }
    double max = 0;
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + "_max")) {
        max = Math.max(max, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return new Histogram(buckets, sum(scrape, name + "_count"), sum(scrape, name + "_sum"), max);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy(); // SIGTERM: the operator's shutdown hook stops it, and a JFR recording is dumped
    if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
