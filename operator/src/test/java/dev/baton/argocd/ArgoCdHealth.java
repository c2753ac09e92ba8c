package dev.baton.argocd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs an Argo CD health script the way Argo CD runs a health customization: in gopher-lua, the
 * Lua VM Argo CD embeds, with only the libraries Argo CD opens (no {@code string}, {@code math},
 * {@code io} or {@code debug}), the object in the global {@code obj} and Argo CD's one-second
 * limit. The runner is {@code hack/tools/argocd-lua}, built from its pinned Go module by
 * {@code hack/cluster.sh tool argocd-lua} on first use (seconds) and cached.
 */
public final class ArgoCdHealth {

  /** What the script returned: {@code hs.status} and {@code hs.message}. */
  public record Result(String status, String message) {}

  /** The chart's health script, relative to the repository's top directory. */
  static final String SCRIPT = "helm/baton/argocd/health.lua";

  /** The runner's name, as in its error messages. */
  static final String RUNNER = "argocd-lua";

  /**
   * Evaluates the chart's health script for a live BatonApp (JSON), as the integration tests do
   * with every status they wait for.
   */
  public static Result ofLiveObject(String batonAppJson) {
    try {
      return evaluate(repoRoot().resolve(SCRIPT), batonAppJson);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile Path runner;

  private ArgoCdHealth() {}

  /** Evaluates {@code script} for the object in {@code json}; fails if the script errors. */
  static Result evaluate(Path script, String json) throws IOException, InterruptedException {
    Path out = Files.createTempFile("argocd-health-", ".out");
    Path err = Files.createTempFile("argocd-health-", ".err");
    try {
      Process p = new ProcessBuilder(runner().toString(), script.toAbsolutePath().toString())
          .redirectOutput(out.toFile())
          .redirectError(err.toFile())
          .start();
      try (var stdin = p.getOutputStream()) {
        stdin.write(json.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(RUNNER + " did not finish within 30s");
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(RUNNER + " failed (exit " + p.exitValue() + "): " + stderr);
      }
      JsonNode hs = JSON.readTree(stdout);
      return new Result(hs.path("status").asText("nil"), hs.path("message").asText("nil"));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** The runner binary: {@code -Dbaton.argocdLua}, else built (once) by hack/cluster.sh. */
  private static Path runner() throws IOException, InterruptedException {
    Path r = runner;
    if (r != null) {
      return r;
    }
    synchronized (ArgoCdHealth.class) {
      if (runner == null) {
        String configured = System.getProperty("baton.argocdLua");
        runner = configured != null ? Path.of(configured) : buildRunner();
      }
      return runner;
    }
  }

  private static Path buildRunner() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", repoRoot().resolve("hack/cluster.sh").toString(),
        "tool", RUNNER)
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || out.isEmpty()) {
      p.destroyForcibly();
      throw new IllegalStateException("hack/cluster.sh tool " + RUNNER
          + " failed: Go is needed to build Argo CD's Lua VM (see README)");
    }
    return Path.of(out);
  }

  /** The repository's top directory: {@code -Dbaton.repoRoot}, else the first parent with the script. */
  static Path repoRoot() {
    String prop = System.getProperty("baton.repoRoot");
    if (prop != null && Files.isRegularFile(Path.of(prop).resolve(SCRIPT))) {
      return Path.of(prop).toAbsolutePath().normalize();
    }
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve(SCRIPT))) {
        return p;
      }
    }
    throw new IllegalStateException("cannot find " + SCRIPT + ": set -Dbaton.repoRoot");
  }
}
