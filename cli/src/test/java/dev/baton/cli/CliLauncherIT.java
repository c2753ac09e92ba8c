package dev.baton.cli;

import static dev.baton.cli.ClusterApps.createHealthy;
import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.WithOperator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The plugin as a user installs it: {@code package} left {@code kubectl-baton}, the jar and lib/
 * in target/dist; with that directory first on PATH, the harness-built kubectl finds the plugin.
 * No flags: the plugin takes the cluster from {@code KUBECONFIG} and its current context, as
 * kubectl does.
 */
@ExtendWith({TestClusterExtension.class, WithOperator.class})
class CliLauncherIT {

  @Test
  void kubectlRunsThePluginFromPath(TestCluster cluster) throws Exception {
    createHealthy(cluster.client(), "launched", true);
    Path dist = Path.of(System.getProperty("baton.cli.dist", "target/dist")).toAbsolutePath();
    assertThat(dist.resolve("kubectl-baton")).as("run mvn package first").isExecutable();

    Result listed = kubectl(cluster, dist, "baton", "list", "-n", cluster.namespace());
    Result missing = kubectl(cluster, dist, "baton", "get", "nope", "-n", cluster.namespace());

    assertThat(listed.exitCode()).as(listed.output()).isZero();
    assertThat(listed.output()).containsPattern("\nlaunched +Healthy +1 +- +0 +3/3 ");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output()).contains("error: batonapp \"nope\" not found in namespace");
  }

  private record Result(int exitCode, String output) {}

  private static Result kubectl(TestCluster cluster, Path pluginDir, String... args)
      throws Exception {
    Path kubectl = Path.of(hackCluster("path", "kubectl"));
    var command = new java.util.ArrayList<String>();
    command.add(kubectl.toString());
    command.addAll(java.util.List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    pb.environment().put("PATH", pluginDir + File.pathSeparator + System.getenv("PATH"));
    Process process = pb.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), out);
  }

  /** {@code hack/cluster.sh ARGS}: where the harness keeps its kubectl. */
  private static String hackCluster(String... args) throws Exception {
    Path root = Path.of(System.getProperty("baton.repoRoot", "..")).toAbsolutePath().normalize();
    var command = new java.util.ArrayList<String>(java.util.List.of("bash",
        root.resolve("hack/cluster.sh").toString()));
    command.addAll(java.util.List.of(args));
    Process process = new ProcessBuilder(command).directory(root.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.isExecutable(Path.of(out.trim()))).as("kubectl at %s", out.trim()).isTrue();
    return out.trim();
  }
}
