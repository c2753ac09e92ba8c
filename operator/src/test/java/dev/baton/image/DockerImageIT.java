package dev.baton.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Builds the operator image from the top-level Dockerfile, where a Docker engine runs. Our
 * development machines and CI have none: the test then reports itself skipped and says why; it
 * never pretends to have built anything.
 */
class DockerImageIT {

  private static final Path REPO = Path.of(System.getProperty("baton.repoRoot", ".."));
  private static final String TAG = "baton-operator:" + System.getProperty("baton.version");

  private static Result run(List<String> command, long minutes) throws Exception {
    Process p = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      return new Result(-1, out + "\n(timed out)");
    }
    return new Result(p.exitValue(), out);
  }

  private record Result(int exitCode, String output) {}

  private static void requireDocker() throws Exception {
    Result info;
    try {
      info = run(List.of("docker", "info"), 1);
    } catch (IOException noClient) {
      info = new Result(-1, noClient.getMessage());
    }
    Assumptions.assumeTrue(info.exitCode() == 0,
        "Skipped: no Docker engine here (`docker info` failed), so the image was not built.");
  }

  @Test
  void theDockerfileBuildsANonRootImageWithTheChartsTag() throws Exception {
    requireDocker();
    Result build = run(List.of("docker", "build", "-t", TAG, "."), 30);
    assertThat(build.exitCode()).as(build.output()).isZero();

    Result user = run(List.of("docker", "image", "inspect", "-f", "{{.Config.User}}", TAG), 1);
    assertThat(user.output().trim()).isEqualTo("65532:65532");
  }
}
