package dev.baton.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.baton.testcluster.InProcessOperator;
import dev.baton.testcluster.TestCluster;
import dev.baton.testcluster.TestClusterExtension;
import dev.baton.testcluster.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every example in examples/ is accepted by the API server against the installed CRD. */
@ExtendWith(TestClusterExtension.class)
class ExamplesIT {

  @Test
  void everyExamplePassesAServerSideDryRun(TestCluster cluster) throws IOException {
    InProcessOperator.installCrd(cluster.client());
    Path dir = Path.of(System.getProperty("baton.repoRoot"), "examples");
    List<Path> examples;
    try (Stream<Path> files = Files.list(dir)) {
      examples = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(examples).isNotEmpty();
    for (Path example : examples) {
      Tools.Result result = Tools.kubectl(cluster, null, "apply", "--server-side",
          "--dry-run=server", "-n", cluster.namespace(), "-f", example.toString());
      assertThat(result.exitCode()).as(example + ": " + result.output()).isZero();
    }
  }
}
