package dev.baton.cli;

import dev.baton.testcluster.TestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code kubectl baton} in the test JVM against the test cluster and the class' namespace. */
final class CliRun {

  /** What one run printed and returned. */
  record Result(int exitCode, String out, String err) {}

  private CliRun() {}

  static Result run(TestCluster cluster, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = BatonCli.run(new PrintWriter(out), new PrintWriter(err), withCluster(cluster, args));
    return new Result(code, out.toString(), err.toString());
  }

  /** The arguments plus the flags a user would give to reach the test cluster's namespace. */
  static String[] withCluster(TestCluster cluster, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--kubeconfig", cluster.kubeconfig().toString(), "-n",
        cluster.namespace()));
    return all.toArray(String[]::new);
  }
}
