package dev.baton.crdtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The schemas of Kubernetes' own types, from the OpenAPI v3 document a Kubernetes release ships
 * ({@code api/openapi-spec/v3/api__v1_openapi.json}: the core group and the meta types it uses).
 */
public final class KubernetesOpenApi {

  /** Where a release keeps the core group's OpenAPI v3 document. */
  static final String CORE_V1 = "api/openapi-spec/v3/api__v1_openapi.json";

  private final JsonNode schemas;

  KubernetesOpenApi(JsonNode document) {
    this.schemas = document.path("components").path("schemas");
    if (!schemas.isObject() || schemas.isEmpty()) {
      throw new IllegalArgumentException("no components.schemas in the Kubernetes OpenAPI");
    }
  }

  /** Reads an OpenAPI v3 document. */
  static KubernetesOpenApi read(Path document) throws IOException {
    return new KubernetesOpenApi(new ObjectMapper().readTree(document.toFile()));
  }

  /**
   * The release's document from the Go module {@code k8s.io/kubernetes} (the source the test
   * cluster is built from), found with {@code go mod download}: the module cache, or the module
   * proxy the first time.
   */
  static KubernetesOpenApi fromGoModule(String version) throws IOException, InterruptedException {
    String module = "k8s.io/kubernetes@v" + version;
    Process go;
    try {
      go = new ProcessBuilder("go", "mod", "download", "-json", module)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("Go is needed to read the Kubernetes OpenAPI that describes "
          + "the core types in the CRD (go mod download " + module + "); see the README", e);
    }
    go.getOutputStream().close();
    String out = new String(go.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!go.waitFor(15, TimeUnit.MINUTES) || go.exitValue() != 0) {
      go.destroyForcibly();
      throw new IllegalStateException("go mod download " + module + " failed: " + out);
    }
    String dir = new ObjectMapper().readTree(out).path("Dir").asText("");
    Path document = Path.of(dir, CORE_V1);
    if (dir.isEmpty() || !Files.isRegularFile(document)) {
      throw new IllegalStateException(module + " has no " + CORE_V1 + ": " + out);
    }
    return read(document);
  }

  /** The schema named {@code name} (e.g. {@code io.k8s.api.core.v1.EnvVar}), if the document has it. */
  Optional<JsonNode> schema(String name) {
    JsonNode s = schemas.path(name);
    return s.isObject() ? Optional.of(s) : Optional.empty();
  }
}
