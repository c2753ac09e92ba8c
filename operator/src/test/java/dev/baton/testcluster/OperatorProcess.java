package dev.baton.testcluster;

import dev.baton.operator.BatonOperator;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Baton's operator as a separate process (its real main class), for tests that kill it: a JVM
 * killed with SIGKILL gets no chance to clean up, just like a pod evicted mid-rollout.
 */
public final class OperatorProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private OperatorProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts {@code BatonOperator} against the test cluster, watching the cluster's namespace. */
  public static OperatorProcess start(TestCluster cluster, String logName) {
    return start(cluster, logName, 0);
  }

  /** As {@link #start(TestCluster, String)}, serving health and metrics on the given port. */
  public static OperatorProcess start(TestCluster cluster, String logName, int httpPort) {
    return start(cluster, logName, httpPort, java.util.Map.of());
  }

  /** As {@link #start(TestCluster, String, int)}, with more environment variables. */
  public static OperatorProcess start(TestCluster cluster, String logName, int httpPort,
      java.util.Map<String, String> env) {
    try {
      Path log = Files.createDirectories(Path.of("target", "operator-logs"))
          .resolve(logName + ".log");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      // The chart's JVM flags (helm/baton/values.yaml jvmOptions), minus the container sizing.
      ProcessBuilder pb = new ProcessBuilder(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "-cp", System.getProperty("java.class.path"), "dev.baton.operator.BatonOperator")
          .redirectErrorStream(true)
          .redirectOutput(log.toFile());
      if (cluster.operatorUsesChartIdentity()) {
        // Fabric8 reads these instead of a kubeconfig: the process runs as the chart's account.
        var config = cluster.operatorConfig();
        pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
        pb.environment().put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
        pb.environment().put("KUBERNETES_MASTER", config.getMasterUrl());
        pb.environment().put("KUBERNETES_AUTH_TOKEN", config.getOauthToken());
        if (config.getCaCertData() != null) {
          pb.environment().put("KUBERNETES_CERTS_CA_DATA", config.getCaCertData());
        }
        if (config.getCaCertFile() != null) {
          pb.environment().put("KUBERNETES_CERTS_CA_FILE", config.getCaCertFile());
        }
      } else {
        pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
      }
      pb.environment().put("BATON_WATCH_NAMESPACES", cluster.namespace());
      pb.environment().put("BATON_HTTP_ADDRESS", "127.0.0.1:" + httpPort);
      pb.environment().putAll(env);
      return new OperatorProcess(pb.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no graceful stop. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** False once the process has exited (killed, halted at a fault point, or crashed). */
  public boolean isAlive() {
    return process.isAlive();
  }

  public File log() {
    return log.toFile();
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
    }
  }
}
