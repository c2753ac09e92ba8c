package dev.baton.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code kubectl explain batonapp} describes every field: Baton's own (their
 * {@code @JsonPropertyDescription}) and those of the Kubernetes core types the API embeds (the pod
 * template, env, ...), which the build's CRD finishing step (crd-tools) takes from the Kubernetes
 * OpenAPI. CrdDriftTest keeps the committed CRD equal to the generated one.
 */
class CrdDescriptionsTest {

  @ParameterizedTest
  @MethodSource("dev.baton.crd.CrdDriftTest#files")
  void everyFieldOfTheCrdHasADescription(String file) throws IOException {
    Path committed = Path.of(System.getProperty("baton.repoRoot", ".."), "crds", file);
    CustomResourceDefinition crd = new KubernetesSerialization()
        .unmarshal(Files.readString(committed), CustomResourceDefinition.class);
    List<String> undescribed = new ArrayList<>();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      walk(version.getName(), version.getSchema().getOpenAPIV3Schema(), undescribed);
    }
    assertThat(undescribed)
        .as("fields without a description (kubectl explain shows nothing for them): describe "
            + "Baton's own with @JsonPropertyDescription; for a Kubernetes type embedded in a new "
            + "place, add the place to crd-tools' CoreTypeDescriptions.ROOTS; then run "
            + "hack/update-crds.sh")
        .isEmpty();
  }

  /**
   * A client-side {@code kubectl apply} (and Argo CD's default sync) stores the whole CRD as JSON
   * in an annotation, which the API server caps at 256 KiB: the descriptions must leave it room.
   */
  @ParameterizedTest
  @MethodSource("dev.baton.crd.CrdDriftTest#files")
  void crdStaysSmallEnoughForAClientSideApply(String file) throws IOException {
    Path committed = Path.of(System.getProperty("baton.repoRoot", ".."), "crds", file);
    KubernetesSerialization serialization = new KubernetesSerialization();
    CustomResourceDefinition crd = serialization
        .unmarshal(Files.readString(committed), CustomResourceDefinition.class);
    int bytes = serialization.asJson(crd).getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    assertThat(bytes).as("the CRD as JSON (bytes), the last-applied-configuration annotation of "
        + "a client-side apply, limited to 262144 bytes with room for growth").isLessThan(230_000);
  }

  private static void walk(String path, JSONSchemaProps node, List<String> undescribed) {
    if (node.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : node.getProperties().entrySet()) {
        String child = path + "." + e.getKey();
        String description = e.getValue().getDescription();
        if (description == null || description.isBlank()) {
          undescribed.add(child);
        }
        walk(child, e.getValue(), undescribed);
      }
    }
    if (node.getItems() != null && node.getItems().getSchema() != null) {
      walk(path + "[]", node.getItems().getSchema(), undescribed);
    }
    if (node.getAdditionalProperties() != null
        && node.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", node.getAdditionalProperties().getSchema(), undescribed);
    }
  }
}
