package dev.baton.cli;

import static dev.baton.cli.ClusterApps.awaitStatus;
import static dev.baton.cli.ClusterApps.createHealthy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.baton.api.v1alpha1.BatonApp;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code list}, {@code get} and {@code get --watch} on the test cluster, read as a user would. */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class CliGetIT {

  @Test
  void listShowsARowPerApp(TestCluster cluster) {
    createHealthy(cluster.client(), "listed", true);

    CliRun.Result result = CliRun.run(cluster, "list");

    assertThat(result.exitCode()).isZero();
    assertThat(result.out().lines().toList().get(0))
        .matches("NAME +PHASE +ACTIVE +PREVIEW +WEIGHT +READY +AGE");
    assertThat(result.out()).containsPattern("\nlisted +Healthy +1 +- +0 +3/3 +\\d+s\n");
    assertThat(CliRun.run(cluster, "list", "-A").out())
        .containsPattern("\n" + cluster.namespace() + " +listed +Healthy");
  }

  @Test
  void getShowsTheTreeOfTheLiveVersion(TestCluster cluster) {
    BatonApp app = createHealthy(cluster.client(), "shown", true);
    String hash = app.getStatus().activeHash;

    CliRun.Result result = CliRun.run(cluster, "get", "shown");

    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.out()).startsWith("batonapp/shown (namespace " + cluster.namespace())
        .contains("|-- phase: Healthy",
            "|-- weight: 100% active",
            "|-- active: revision 1, hash " + hash,
            "|   |-- images: registry.example.com/shop/api:1.8.2",
            "|   |-- deployment/shown-" + hash + ": 3/3 ready",
            "|   `-- pods: 3/3 ready",
            "|   |-- service/shown -> baton.dev/revision-hash=" + hash + " (active, revision 1)",
            "|   `-- service/shown-preview -> baton.dev/revision-hash=" + hash,
            "|   |-- Available ",
            "|-- rollback: none",
            "    `-- revision 1: registry.example.com/shop/api:1.8.2");
  }

  @Test
  void watchPrintsAgainWhenARolloutHappens(TestCluster cluster) throws Exception {
    createHealthy(cluster.client(), "watched", true);
    Writer out = new SynchronizedStringWriter();
    Thread watch = new Thread(() -> BatonCli.run(new PrintWriter(out, true),
        new PrintWriter(new StringWriter()), CliRun.withCluster(cluster, "get", "watched", "-w")));
    watch.start();
    try {
      await().atMost(ClusterApps.TIMEOUT).until(() -> out.toString().contains("pods: 3/3 ready"));

      ClusterApps.setImage(cluster.client(), "watched", "registry.example.com/shop/api:1.8.3");

      awaitStatus(cluster.client(), "watched", a -> a.getStatus().activeRevision == 2);
      await().atMost(ClusterApps.TIMEOUT).until(() -> out.toString()
          .contains("|-- active: revision 2"));
      // KWOK makes pods Ready at once, so the preview stage may fall between two renders.
      assertThat(out.toString().split("batonapp/watched ")).hasSizeGreaterThan(2);
    } finally {
      watch.interrupt();
      watch.join(10_000);
    }
    assertThat(watch.isAlive()).as("get --watch stops when interrupted").isFalse();
  }

  /** The watch thread writes while the test reads. */
  private static final class SynchronizedStringWriter extends StringWriter {
    @Override
    public synchronized void write(String str, int off, int len) {
      super.write(str, off, len);
    }

    @Override
    public synchronized void write(char[] cbuf, int off, int len) {
      super.write(cbuf, off, len);
    }

    @Override
    public synchronized String toString() {
      return super.toString();
    }
  }
}
