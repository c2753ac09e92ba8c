package dev.baton.crd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Fails the build when the committed CRD in {@code crds/} is not the one generated from the Java
 * model. Run {@code mvn process-test-classes surefire:test -Dtest=CrdDriftTest
 * -Dbaton.updateCrds=true -pl operator} (or just {@code hack/update-crds.sh}) to refresh it.
 */
class CrdDriftTest {

  static final String FILE = "batonapps.baton.dev-v1.yml";

  @Test
  void committedCrdMatchesTheGeneratedOne() throws IOException {
    Path generated = Path.of("target/classes/META-INF/fabric8", FILE);
    Path committed = Path.of(System.getProperty("baton.repoRoot", ".."), "crds", FILE);
    String want = Files.readString(generated);
    if (Boolean.getBoolean("baton.updateCrds")) {
      Files.writeString(committed, want);
    }
    assertThat(Files.exists(committed))
        .as("crds/%s is missing: run hack/update-crds.sh", FILE).isTrue();
    String have = Files.readString(committed);
    assertThat(firstDifference(have, want))
        .as("crds/%s differs from the CRD generated from the Java model: run hack/update-crds.sh "
            + "and commit the result", FILE)
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
