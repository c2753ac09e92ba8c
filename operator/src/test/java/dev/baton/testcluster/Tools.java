package dev.baton.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the harness' own command-line tools (helm, kubectl) against the test cluster. */
public final class Tools {

  private Tools() {}

  /**
   * The output of a finished command.
   *
   * @param exitCode the process' exit code
   * @param output standard output and standard error, interleaved
   */
  public record Result(int exitCode, String output) {}

  /** Runs the harness-built {@code helm} with the cluster's kubeconfig. */
  public static Result helm(TestCluster cluster, String... args) {
    return run(cluster, binary("helm"), null, args);
  }

  /** Runs the harness-built {@code kubectl} with the cluster's kubeconfig, feeding it stdin. */
  public static Result kubectl(TestCluster cluster, String stdin, String... args) {
    return run(cluster, binary("kubectl"), stdin, args);
  }

  /** The path of a harness binary, built on first use (a kind run has not built them yet). */
  static Path binary(String name) {
    Path path = Path.of(ClusterProcess.run("path", name));
    if (!Files.isExecutable(path)) {
      ClusterProcess.run("build");
    }
    return path;
  }

  private static Result run(TestCluster cluster, Path binary, String stdin, String... args) {
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .directory(ClusterProcess.repoRoot().toFile());
      pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
      // Helm keeps caches and repository config under HOME; keep them out of the user's.
      Path helmHome = Files.createDirectories(Path.of("target", "helm-home")).toAbsolutePath();
      pb.environment().put("HELM_CACHE_HOME", helmHome.resolve("cache").toString());
      pb.environment().put("HELM_CONFIG_HOME", helmHome.resolve("config").toString());
      pb.environment().put("HELM_DATA_HOME", helmHome.resolve("data").toString());
      Process process = pb.start();
      if (stdin != null) {
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " timed out");
      }
      return new Result(process.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
