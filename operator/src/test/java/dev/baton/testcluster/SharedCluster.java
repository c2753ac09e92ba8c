package dev.baton.testcluster;

import io.fabric8.kubernetes.client.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one cluster of a test run: the cluster named by {@code KUBECONFIG} when the user points at
 * one (kind, for people with Docker), else the local test cluster of {@code hack/cluster.sh},
 * started on first use and stopped again at the end of the run if this run started it.
 */
final class SharedCluster implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SharedCluster.class);

  private final Path kubeconfig;
  private final boolean startedHere;
  private final Thread shutdownHook;
  private volatile boolean closed;

  private SharedCluster(Path kubeconfig, boolean startedHere) {
    this.kubeconfig = kubeconfig;
    this.startedHere = startedHere;
    // An interrupted run (Ctrl-C, a CI time-out) skips JUnit's clean-up; the hook does not.
    this.shutdownHook = new Thread(this::stopIfStartedHere, "test-cluster-down");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  static SharedCluster connect() {
    String external = System.getenv("KUBECONFIG");
    if (external != null && !external.isBlank()) {
      Path path = Path.of(external.split(java.io.File.pathSeparator)[0]);
      requireLocal(path);
      LOG.info("Using the cluster of KUBECONFIG={}", path);
      return new SharedCluster(path, false);
    }
    boolean running = ClusterProcess.tryRun("status").exitCode() == 0;
    if (!running) {
      LOG.info("Starting the test cluster (hack/cluster.sh up); a cold run builds it first");
      ClusterProcess.run("up");
    }
    return new SharedCluster(Path.of(ClusterProcess.run("kubeconfig")), !running);
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * Tests create and delete namespaces and cluster-wide CRDs: refuse a remote cluster unless the
   * user says so, so that a KUBECONFIG left pointing at production is never a test target.
   */
  private static void requireLocal(Path path) {
    try {
      Config config = Config.fromKubeconfig(Files.readString(path));
      String host = URI.create(config.getMasterUrl()).getHost();
      boolean local = host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]");
      if (!local && !"true".equals(System.getenv("BATON_TEST_ALLOW_REMOTE"))) {
        throw new IllegalStateException("KUBECONFIG points at " + config.getMasterUrl()
            + ", which is not on this machine; set BATON_TEST_ALLOW_REMOTE=true to test there");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stopIfStartedHere() {
    if (closed) {
      return;
    }
    closed = true;
    if (startedHere && !"true".equals(System.getenv("BATON_KEEP_CLUSTER"))) {
      LOG.info("Stopping the test cluster this run started (BATON_KEEP_CLUSTER=true keeps it)");
      ClusterProcess.tryRun("down");
    }
  }

  @Override
  public void close() {
    stopIfStartedHere();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or ran; nothing left to do
    }
  }
}
