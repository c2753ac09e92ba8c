package dev.baton.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** kubectl's flags, parsed by the plugin itself, in any position; no cluster is contacted. */
class KubeOptionsTest {

  private static final String KUBECONFIG = """
      apiVersion: v1
      kind: Config
      current-context: dev
      clusters:
      - name: dev
        cluster: {server: "https://127.0.0.1:6443"}
      - name: prod
        cluster: {server: "https://127.0.0.2:6443"}
      contexts:
      - name: dev
        context: {cluster: dev, user: me}
      - name: prod
        context: {cluster: prod, user: me, namespace: shop}
      users:
      - name: me
        user: {token: secret}
      """;

  @TempDir
  Path dir;

  private KubeOptions parse(String... args) {
    BatonCli cli = new BatonCli();
    new CommandLine(cli).parseArgs(args);
    return cli.kube;
  }

  @Test
  void flagsBeforeOrAfterTheSubcommand() {
    assertThat(parse("-n", "a", "promote", "x").namespace).isEqualTo("a");
    assertThat(parse("promote", "x", "-n", "b").namespace).isEqualTo("b");
    assertThat(parse("get", "x", "--namespace=c", "--context", "prod").context).isEqualTo("prod");
    assertThat(parse("list", "--kubeconfig", "/k").kubeconfig).isEqualTo(Path.of("/k"));
  }

  @Test
  void namespaceFromFlagElseContextElseDefault() throws Exception {
    Path file = Files.writeString(dir.resolve("config"), KUBECONFIG);
    try (var c = parse("list", "--kubeconfig", file.toString()).connect()) {
      assertThat(c.namespace()).isEqualTo("default");
      assertThat(c.client().getConfiguration().getMasterUrl()).contains("127.0.0.1");
    }
    try (var c = parse("list", "--kubeconfig", file.toString(), "--context", "prod").connect()) {
      assertThat(c.namespace()).isEqualTo("shop");
      assertThat(c.client().getConfiguration().getMasterUrl()).contains("127.0.0.2");
    }
    try (var c = parse("list", "--kubeconfig", file.toString(), "--context", "prod", "-n", "x")
        .connect()) {
      assertThat(c.namespace()).isEqualTo("x");
    }
  }

  @Test
  void unknownContextOrFileIsAnErrorWithAHint() throws Exception {
    Path file = Files.writeString(dir.resolve("config"), KUBECONFIG);
    assertThatThrownBy(() -> parse("list", "--kubeconfig", file.toString(), "--context", "nope")
        .connect()).isInstanceOf(CliException.class)
        .hasMessage("context \"nope\" does not exist in the kubeconfig");
    assertThatThrownBy(() -> parse("list", "--kubeconfig", dir.resolve("missing").toString())
        .connect()).hasMessageContaining("cannot read the kubeconfig file");
  }

  @Test
  void usageErrorsExitWithOne() {
    StringWriter err = new StringWriter();
    int code = BatonCli.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "undo",
        "x", "--to-revision", "two");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("error: ").contains("--to-revision");
  }
}
