package dev.baton.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails the build when a committed copy of the CRD (in {@code crds/} and in the Helm chart) is not
 * the one generated from the Java model. {@code hack/update-crds.sh} refreshes both.
 */
class CrdDriftTest {

  static final String FILE = "batonapps.baton.dev-v1.yml";

  /** Every CRD Baton ships: BatonApp's and the analysis templates'. */
  static final List<String> FILES = List.of(FILE, "batonanalysistemplates.baton.dev-v1.yml",
      "clusterbatonanalysistemplates.baton.dev-v1.yml");

  static Stream<String> files() {
    return FILES.stream();
  }

  static Stream<Arguments> copies() {
    return Stream.of("crds", "helm/baton/crds")
        .flatMap(folder -> FILES.stream().map(file -> Arguments.of(folder, file)));
  }

  @ParameterizedTest
  @MethodSource("copies")
  void committedCrdMatchesTheGeneratedOne(String folder, String file) throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8", file);
    Path committed = Path.of(System.getProperty("baton.repoRoot", ".."), folder, file);
    String want = Files.readString(generated);
    if (Boolean.getBoolean("baton.updateCrds")) {
      Files.writeString(committed, want);
    }
    assertThat(Files.exists(committed))
        .as("%s/%s is missing: run hack/update-crds.sh", folder, file).isTrue();
    String have = Files.readString(committed);
    assertThat(firstDifference(have, want))
        .as("%s/%s differs from the CRD generated from the Java model: run hack/update-crds.sh "
            + "and commit the result", folder, file)
        .isEmpty();
  }

  /** The first line that differs, or "" when the texts are equal (a 160 KB diff helps no one). */
  static String firstDifference(String have, String want) {
    String[] a = have.split("\n", -1);
    String[] b = want.split("\n", -1);
    for (int i = 0; i < Math.max(a.length, b.length); i++) {
      String x = i < a.length ? a[i] : "<end of file>";
      String y = i < b.length ? b[i] : "<end of file>";
      if (!x.equals(y)) {
        return "line " + (i + 1) + ": committed '" + x.strip() + "', generated '" + y.strip() + "'";
      }
    }
    return "";
  }
}
