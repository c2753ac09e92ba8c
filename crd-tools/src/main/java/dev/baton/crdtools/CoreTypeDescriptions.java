package dev.baton.crdtools;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives the fields of Kubernetes core types inside Baton's CRD the descriptions Kubernetes gives
 * them. The Fabric8 generator builds those schemas from Fabric8's model classes, which carry no
 * descriptions, so {@code kubectl explain batonapp.spec.template.spec.containers} would say
 * nothing. Starting from the places where Baton's API embeds a core type ({@link #ROOTS}), it walks
 * the CRD's schema and the Kubernetes OpenAPI side by side, following the OpenAPI's references,
 * and fills every description the generator left empty. Baton's own descriptions are never
 * replaced.
 */
final class CoreTypeDescriptions {

  /**
   * A place in the CRD where a Kubernetes type is embedded, that type's OpenAPI name, and whether
   * its descriptions are cut to their first sentence.
   */
  record Root(List<String> path, String schema, boolean firstSentence) {}

  /**
   * Where Baton's API embeds core types. A path element {@code *} is every property of the
   * object, {@code []} the items of an array. The test that every field of the CRD has a
   * description names the fields of a core type embedded anywhere else.
   *
   * <p>The pod template's 1,100 fields get the first sentence of their description only: in full
   * they would make the CRD's JSON about 370 KB, beyond the 256 KB annotation a client-side
   * {@code kubectl apply} (and Argo CD's default sync) writes, so it could no longer be applied
   * that way. The first sentence says what the field is; {@code kubectl explain
   * deployment.spec.template} has the rest.
   */
  static final List<Root> ROOTS = List.of(
      new Root(List.of("spec", "template"), "io.k8s.api.core.v1.PodTemplateSpec", true),
      new Root(List.of("spec", "database", "migration", "*", "env", "[]"),
          "io.k8s.api.core.v1.EnvVar", false),
      new Root(List.of("spec", "notifications", "webhook", "urlFrom", "secretKeyRef"),
          "io.k8s.api.core.v1.SecretKeySelector", false),
      new Root(List.of("status", "conditions", "[]"),
          "io.k8s.apimachinery.pkg.apis.meta.v1.Condition", false));

  /** Abbreviations whose period does not end a sentence. */
  private static final List<String> ABBREVIATIONS = List.of("e.g", "i.e", "etc", "vs", "Ex", "ex");

  private static final String REF_PREFIX = "#/components/schemas/";

  private final KubernetesOpenApi kubernetes;
  private boolean firstSentence;

  CoreTypeDescriptions(KubernetesOpenApi kubernetes) {
    this.kubernetes = kubernetes;
  }

  /** Describes the core types under {@code root} (a version's openAPIV3Schema). */
  void describe(JSONSchemaProps root) {
    for (Root r : ROOTS) {
      JsonNode type = kubernetes.schema(r.schema()).orElseThrow(() -> new IllegalStateException(
          "the Kubernetes OpenAPI has no " + r.schema()));
      firstSentence = r.firstSentence();
      at(root, r.path(), 0, type);
    }
  }

  private void at(JSONSchemaProps node, List<String> path, int i, JsonNode type) {
    if (node == null) {
      return;
    }
    if (i == path.size()) {
      fill(node, type);
      return;
    }
    String step = path.get(i);
    if (step.equals("[]")) {
      if (node.getItems() != null) {
        at(node.getItems().getSchema(), path, i + 1, type);
      }
    } else if (step.equals("*")) {
      for (JSONSchemaProps child : properties(node).values()) {
        at(child, path, i + 1, type);
      }
    } else {
      at(properties(node).get(step), path, i + 1, type);
    }
  }

  /** Fills {@code node}'s description and its descendants' from the OpenAPI schema {@code type}. */
  private void fill(JSONSchemaProps node, JsonNode type) {
    if (node == null || type == null) {
      return;
    }
    fillDescription(node, type);
    JsonNode props = type.path("properties");
    for (Map.Entry<String, JSONSchemaProps> e : properties(node).entrySet()) {
      JsonNode field = props.path(e.getKey());
      if (field.isObject()) {
        fillDescription(e.getValue(), field);
        fillBody(e.getValue(), field);
      }
    }
  }

  /** Descends into what a field's schema refers to: an object type, array items, map values. */
  private void fillBody(JSONSchemaProps node, JsonNode field) {
    resolve(field).ifPresent(t -> fill(node, t));
    if (node.getItems() != null && field.has("items")) {
      JSONSchemaProps items = node.getItems().getSchema();
      JsonNode itemType = field.path("items");
      resolve(itemType).ifPresentOrElse(t -> fill(items, t), () -> fillBody(items, itemType));
    }
    if (node.getAdditionalProperties() != null && node.getAdditionalProperties().getSchema() != null
        && field.path("additionalProperties").isObject()) {
      JSONSchemaProps values = node.getAdditionalProperties().getSchema();
      JsonNode valueType = field.path("additionalProperties");
      resolve(valueType).ifPresentOrElse(t -> fill(values, t), () -> fillBody(values, valueType));
    }
  }

  /** The schema a field refers to ({@code $ref}, or {@code allOf: [{$ref}]} as the v3 document writes it). */
  private Optional<JsonNode> resolve(JsonNode field) {
    String ref = field.path("$ref").asText("");
    if (ref.isEmpty() && field.path("allOf").isArray() && field.path("allOf").size() == 1) {
      ref = field.path("allOf").get(0).path("$ref").asText("");
    }
    if (!ref.startsWith(REF_PREFIX)) {
      return Optional.empty();
    }
    return kubernetes.schema(ref.substring(REF_PREFIX.length()));
  }

  private void fillDescription(JSONSchemaProps node, JsonNode type) {
    String description = type.path("description").asText("").strip();
    if (firstSentence) {
      description = firstSentence(description);
    }
    if ((node.getDescription() == null || node.getDescription().isBlank())
        && !description.isBlank()) {
      node.setDescription(description);
    }
  }

  /** The text up to the first period that ends a sentence (followed by white space or the end). */
  static String firstSentence(String text) {
    for (int i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
      boolean ends = i + 1 == text.length() || Character.isWhitespace(text.charAt(i + 1));
      if (ends && !abbreviationBefore(text, i)) {
        return text.substring(0, i + 1);
      }
    }
    return text;
  }

  private static boolean abbreviationBefore(String text, int period) {
    for (String a : ABBREVIATIONS) {
      int start = period - a.length();
      if (start >= 0 && text.startsWith(a, start)
          && (start == 0 || !Character.isLetter(text.charAt(start - 1)))) {
        return true;
      }
    }
    return false;
  }

  private static Map<String, JSONSchemaProps> properties(JSONSchemaProps node) {
    return node.getProperties() == null ? Map.of() : node.getProperties();
  }
}
