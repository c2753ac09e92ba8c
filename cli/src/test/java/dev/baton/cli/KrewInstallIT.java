package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Krew manifest and archive that {@code package} writes to target/krew: the manifest carries
 * the archive's real checksum, and Krew itself (built from its Go module, sigs.k8s.io/krew, by
 * {@code hack/cluster.sh tool krew}) installs the plugin from them, refuses a wrong checksum, and
 * kubectl then runs the plugin through Krew's link.
 */
class KrewInstallIT {

  private static final Pattern SHA256 = Pattern.compile("(?m)^\\s*sha256: \"([0-9a-f]{64})\"$");

  @Test
  void manifestCarriesTheArchivesChecksum() throws Exception {
    assertThat(sha256InManifest(manifest())).isEqualTo(sha256(archive()));
  }

  @Test
  void krewInstallsThePluginFromManifestAndArchive(@TempDir Path dir) throws Exception {
    Path krew = Path.of(hackCluster("tool", "krew"));
    Path root = dir.resolve("krew-root");

    Result installed = run(Map.of("KREW_ROOT", root.toString()), krew.toString(), "install",
        "--manifest=" + manifest(), "--archive=" + archive());
    assertThat(installed.exitCode()).as(installed.output()).isZero();
    Path link = root.resolve("bin/kubectl-baton");
    assertThat(link).as(installed.output()).isSymbolicLink().isExecutable();

    Path kubectl = Path.of(hackCluster("path", "kubectl"));
    Result version = run(Map.of("PATH", root.resolve("bin") + File.pathSeparator
        + System.getenv("PATH")), kubectl.toString(), "baton", "--version");
    assertThat(version.exitCode()).as(version.output()).isZero();
    assertThat(version.output()).contains(System.getProperty("baton.version", "0.1.0"));

    Path tampered = dir.resolve("tampered.yaml");
    Files.writeString(tampered, SHA256.matcher(Files.readString(manifest()))
        .replaceFirst("    sha256: \"" + "0".repeat(64) + "\""));
    Result refused = run(Map.of("KREW_ROOT", dir.resolve("other-root").toString()),
        krew.toString(), "install", "--manifest=" + tampered, "--archive=" + archive());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output()).containsIgnoringCase("checksum");
  }

  private static Path krewDir() {
    return Path.of(System.getProperty("baton.cli.dist", "target/dist")).toAbsolutePath()
        .getParent().resolve("krew");
  }

  private static Path manifest() {
    Path m = krewDir().resolve("baton.yaml");
    assertThat(m).as("run mvn package first").isRegularFile();
    return m;
  }

  private static Path archive() {
    Path a = krewDir().resolve("kubectl-baton-v" + System.getProperty("baton.version", "0.1.0")
        + ".tar.gz");
    assertThat(a).as("run mvn package first").isRegularFile();
    return a;
  }

  private static String sha256InManifest(Path manifest) throws Exception {
    Matcher m = SHA256.matcher(Files.readString(manifest));
    assertThat(m.find()).as("a sha256 line in %s", manifest).isTrue();
    return m.group(1);
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(
        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private record Result(int exitCode, String output) {}

  private static Result run(Map<String, String> env, String... command) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().putAll(env);
    Process process = pb.start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
    return new Result(process.exitValue(), out);
  }

  /** {@code hack/cluster.sh ARGS}: the harness' kubectl, or a test tool it builds. */
  private static String hackCluster(String... args) throws Exception {
    Path root = Path.of(System.getProperty("baton.repoRoot", "..")).toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(List.of("bash",
        root.resolve("hack/cluster.sh").toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(root.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
    assertThat(Files.isExecutable(Path.of(out.trim()))).as("%s at %s", args[1], out.trim())
        .isTrue();
    return out.trim();
  }
}
