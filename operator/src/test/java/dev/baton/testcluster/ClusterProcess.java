package dev.baton.testcluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code hack/cluster.sh} subcommands from tests. */
final class ClusterProcess {

  private ClusterProcess() {}

  /** The repository's top directory: from {@code baton.repoRoot} (set by Maven), else by search. */
  static Path repoRoot() {
    String configured = System.getProperty("baton.repoRoot");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("hack/cluster.sh"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find hack/cluster.sh above the working directory");
    }
    return dir;
  }

  /** Runs {@code hack/cluster.sh args...}, returns its standard output, fails on a non-zero exit. */
  static String run(String... args) {
    Result result = tryRun(args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(
          "hack/cluster.sh " + String.join(" ", args) + " failed (exit " + result.exitCode() + ")");
    }
    return result.stdout().trim();
  }

  /** Runs {@code hack/cluster.sh args...}; its standard error goes to ours, so build logs show. */
  static Result tryRun(String... args) {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(repoRoot().resolve("hack/cluster.sh").toString());
    command.addAll(List.of(args));
    try {
      Process process = new ProcessBuilder(command)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .directory(repoRoot().toFile())
          .start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(30, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException("hack/cluster.sh " + String.join(" ", args) + " timed out");
      }
      return new Result(process.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  record Result(int exitCode, String stdout) {}
}
